import CAFCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Sign-in's throttle: slows whoever keeps guessing, never locks the person out everywhere.
///
/// Every password or code attempt first claims a turn under two keys, the account from this
/// client address and the address across all accounts, each by one conditional UPDATE that
/// counts the attempt and checks it together (so thirty attempts at once get thirty
/// different counts). Within the limit a turn is free; past it each attempt waits longer
/// (30 seconds, doubling, up to the window) and an attempt before its time is refused with
/// 429 and Retry-After, without checking the password. A right password frees its turns.
/// Someone guessing a worker's password from one address therefore slows only that address:
/// the worker signs in from their own. Failures against one account from anywhere are
/// counted too, and a burst of them alerts the LA's coordinators.
struct SignInThrottle: Sendable {
    /// Attempts for one account from one address within the window before delays begin
    /// (ECAF_LOCKOUT_ATTEMPTS).
    var attempts = 5
    /// How long counts last without a new attempt (ECAF_LOCKOUT_MINUTES).
    var window: TimeInterval = 15 * 60
    /// Attempts from one address, across accounts, before delays begin: enough for a busy
    /// office behind one address, too few to spray a password across a directory.
    var addressAttempts = 50
    /// Failures against one account, from anywhere, that alert its LA's coordinators.
    var burst = 20
    /// Take the client's address from the last X-Forwarded-For entry (ECAF_TRUST_FORWARDED):
    /// only behind a proxy that sets it.
    var trustForwarded = false

    struct Refused: Error {
        let retryAfter: Int
        /// The first refusal of this wait: audited; the rest of a flood is not, so it cannot
        /// fill the audit log or queue every audited action behind its chain.
        let first: Bool
    }

    /// The address a request comes from, as the throttle counts it: the last X-Forwarded-For
    /// entry over every such header (the one the trusted proxy added) when trusted; an IPv6
    /// address by its /64, which one host can fill with addresses of its own.
    func clientAddress(_ req: Request) -> String {
        let entries = req.headers[.xForwardedFor].flatMap { $0.split(separator: ",") }
        let address =
            if trustForwarded, let last = entries.last { last.trimmingCharacters(in: .whitespaces) } else {
                req.remoteAddress?.ipAddress ?? "unknown"
            }
        return Self.bucket(String(address.prefix(64)))
    }

    /// An IPv6 address's first four groups (its /64); anything else as it is.
    static func bucket(_ address: String) -> String {
        guard address.contains(":") else { return address }
        let halves = address.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.split(separator: ":").map(String.init)
        }
        let head = halves[0]
        let tail = halves.count > 1 ? halves[1] : []
        let groups = head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail
        return groups.prefix(4).map { String(Int($0, radix: 16) ?? 0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// Claims a turn for an attempt on `account` (a typed e-mail address) from this request's
    /// address; throws `Refused` when either key must wait.
    func claim(_ account: String, on req: Request, now: Date = Date()) async throws {
        let address = clientAddress(req)
        // The address first: an address already waiting spends none of an account's turns.
        try await claim(key: "address \(address)", limit: addressAttempts, on: req.db, now: now)
        try await claim(key: "pair \(account) \(address)", limit: attempts, on: req.db, now: now)
    }

    /// A right password or code: the account's turns from this address are given back, and
    /// one of the address's (only one: signing in as oneself between guesses at others must
    /// not clear the address's count).
    func succeeded(_ account: String, on req: Request) async throws {
        let address = clientAddress(req)
        let sql = req.db.sql
        try await sql.raw(
            "DELETE FROM sign_in_throttles WHERE key_hash = \(bind: Auth.digest("pair \(account) \(address)"))"
        ).run()
        try await sql.raw(
            """
            UPDATE sign_in_throttles SET attempts = attempts - 1
            WHERE key_hash = \(bind: Auth.digest("address \(address)")) AND attempts > 0
            """
        ).run()
    }

    /// A wrong one, against an account that exists: counted from anywhere; true exactly once
    /// a window, when the count reaches a burst.
    func failed(_ account: String, on db: any Database, now: Date = Date()) async throws -> Bool {
        let count = try await count(key: "account \(account)", on: db, now: now)
        return count == burst
    }

    // MARK: the counts

    /// One upsert counts the attempt and decides it: the SET expressions all see the row as
    /// it was, so an attempt is granted exactly when the key's last wait had run out, and only
    /// a granted attempt moves the count and sets the next wait.
    private func claim(key: String, limit: Int, on db: any Database, now: Date) async throws {
        let ms = AuditFormat.milliseconds(now)
        let windowMS = Int64(window * 1000)
        let due = SQLRaw("sign_in_throttles.next_allowed_at <= \(ms)")
        // The new count: reset only when the key has been quiet for a whole window after its
        // last wait ran out, so the longest wait does not itself start the count again.
        let count = SQLRaw(
            "(CASE WHEN sign_in_throttles.next_allowed_at < \(ms - windowMS) THEN 1 ELSE sign_in_throttles.attempts + 1 END)")
        let row = try await db.sql.raw(
            """
            INSERT INTO sign_in_throttles (key_hash, attempts, next_allowed_at, granted, refusals, updated_at)
            VALUES (\(bind: Auth.digest(key)), 1, \(bind: ms), 1, 0, \(bind: ms))
            ON CONFLICT (key_hash) DO UPDATE SET
                granted = CASE WHEN \(due) THEN 1 ELSE 0 END,
                refusals = CASE WHEN \(due) THEN 0 ELSE sign_in_throttles.refusals + 1 END,
                attempts = CASE WHEN \(due) THEN \(count) ELSE sign_in_throttles.attempts END,
                next_allowed_at = CASE WHEN \(due) THEN \(bind: ms) + \(Self.delay(count, limit: limit, window: window))
                    ELSE sign_in_throttles.next_allowed_at END,
                updated_at = CASE WHEN \(due) THEN \(bind: ms) ELSE sign_in_throttles.updated_at END
            RETURNING granted, refusals, next_allowed_at
            """
        ).first()
        guard let row, try row.decode(column: "granted", as: Int.self) == 0 else {
            // Now and then, keys quiet for a window (and their waits long over) are swept out.
            if Int.random(in: 0..<100) == 0 { try await sweep(before: ms - windowMS, on: db) }
            return
        }
        let wait = try row.decode(column: "next_allowed_at", as: Int64.self)
        throw Refused(
            retryAfter: max(1, Int((wait - ms + 999) / 1000)), first: try row.decode(column: "refusals", as: Int.self) == 1)
    }

    private func count(key: String, on db: any Database, now: Date) async throws -> Int {
        let ms = AuditFormat.milliseconds(now)
        let row = try await db.sql.raw(
            """
            INSERT INTO sign_in_throttles (key_hash, attempts, next_allowed_at, granted, refusals, updated_at)
            VALUES (\(bind: Auth.digest(key)), 1, 0, 1, 0, \(bind: ms))
            ON CONFLICT (key_hash) DO UPDATE SET
                attempts = CASE WHEN sign_in_throttles.updated_at < \(bind: ms - Int64(window * 1000)) THEN 1
                    ELSE sign_in_throttles.attempts + 1 END,
                updated_at = \(bind: ms)
            RETURNING attempts
            """
        ).first()
        return try row?.decode(column: "attempts", as: Int.self) ?? 0
    }

    private func sweep(before cutoff: Int64, on db: any Database) async throws {
        try await db.sql.raw(
            "DELETE FROM sign_in_throttles WHERE updated_at < \(bind: cutoff) AND next_allowed_at < \(bind: cutoff)"
        ).run()
    }

    /// No wait within the limit; then 30 seconds, doubling with each attempt, up to the window.
    private static func delay(_ count: SQLRaw, limit: Int, window: TimeInterval) -> SQLRaw {
        var steps: [String] = ["WHEN \(count.sql) <= \(limit) THEN 0"]
        var wait: Int64 = 30_000
        var step = 1
        while wait < Int64(window * 1000) {
            steps.append("WHEN \(count.sql) = \(limit + step) THEN \(wait)")
            wait *= 2
            step += 1
        }
        return SQLRaw("(CASE \(steps.joined(separator: " ")) ELSE \(Int64(window * 1000)) END)")
    }
}

extension Application {
    private struct ThrottleKey: StorageKey { typealias Value = SignInThrottle }

    var throttle: SignInThrottle {
        get { storage[ThrottleKey.self] ?? SignInThrottle() }
        set { storage[ThrottleKey.self] = newValue }
    }
}

/// Telling the people who can act that someone is guessing a worker's password.
enum SignInAlerts {
    /// A burst of failed sign-ins against one account: audited, and each coordinator of the
    /// account's LA (`whoToTell`) is e-mailed (the account and the count; nothing about a child).
    static func burst(against practitioner: Practitioner, failures: Int, on req: Request) async throws {
        let told = try await whoToTell(about: practitioner, on: req.db)
        let mail = req.application.mail
        let minutes = Int(req.application.throttle.window / 60)
        try await req.db.writeTransaction { db in
            try await Audit.record(
                on: db, by: nil, email: practitioner.email, .signInBurst, outcome: .denied,
                detail: "\(failures) failed sign-ins within \(minutes) minutes; \(told.count) told")
            try await tell(
                told, subject: "Many failed sign-ins to an eCAF account",
                paragraphs: [
                    "There have been \(failures) failed attempts to sign in to the eCAF account of \(practitioner.name) (\(practitioner.email)) within \(minutes) minutes.",
                    "The account is not locked: each place the attempts come from is slowed down, and \(practitioner.name) can still sign in from their own. If they did not make these attempts, someone may be guessing their password: ask them to change it, and tell your LA administrator.",
                ], mail: mail, on: db)
        }
    }

    /// E-mails each person told of an account's alert, from fixed text naming no child, in
    /// the caller's transaction (beside the audit entry that records it).
    static func tell(
        _ people: [Practitioner], subject: String, paragraphs: [String], mail: MailSettings, on db: any Database
    ) async throws {
        for person in people {
            let body = (["Dear \(person.name),"] + paragraphs + ["eCAF"]).joined(separator: "\n\n")
            try await Outbox.post(to: person.email, subject: subject, body: body, mail: mail, on: db)
        }
    }

    /// Who is told of something odd about a person's account: the enabled coordinators of
    /// their LA, never the person themselves (a lone coordinator would otherwise be told of
    /// their own copying), or the LA's administrators when no one else coordinates. From the
    /// organisation's row, whether or not the caller loaded it. A national account has no LA;
    /// its alerts are audited all the same.
    static func whoToTell(about practitioner: Practitioner, on db: any Database) async throws -> [Practitioner] {
        guard let organisation = practitioner.$organisation.id,
            let la = try await Organisation.find(organisation, on: db)?.$localAuthority.id
        else { return [] }
        let colleagues = try await Practitioner.enabled(in: la, holdingAnyOf: [.coordinator, .laAdmin], on: db)
            .filter { $0.id != practitioner.id }
        let coordinators = colleagues.filter { AccessPolicy.isCoordinator($0.roles) }
        return coordinators.isEmpty ? colleagues.filter { AccessPolicy.isAdministrator($0.roles) } : coordinators
    }
}
