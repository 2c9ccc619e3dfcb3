import CAFCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// How much one signed-in person may ask of eCAF in an hour (ASVS V11.1.4, V8.1.4, V11.1.8).
///
/// Every request a signed-in person makes, page or API, read, search, write or refusal,
/// counts against their own allowance for the hour. No one's work needs hundreds of records
/// an hour; copying the index does. At `alertAt` the person's LA coordinators are e-mailed
/// and it is audited, once an hour; past `limit` each request is refused with 429 and
/// Retry-After until the hour ends, and the first refusal is audited (the rest are not, so a
/// flood cannot fill the audit log). Counted per person, not per token or address, so many
/// tokens or places do not multiply it.
struct RequestAllowance: Sendable {
    /// Requests in an hour that alert the person's coordinators (ECAF_REQUEST_ALERT).
    var alertAt = 600
    /// Requests in an hour past which the person waits (ECAF_REQUEST_LIMIT).
    var limit = 1500
    /// The clock the hours are read from (a test's own, so none straddles an hour).
    var now: @Sendable () -> Date = { Date() }
    /// The window both count over.
    static let window: TimeInterval = 3600
    /// The window in milliseconds, as `request_counts` keeps it.
    static let windowMS = Int64(window * 1000)

    /// Counts this request against the signed-in person's hour; throws 429 once past the limit.
    ///
    /// Most people's requests are counted here, in this instance's tally, and written each
    /// second in one statement for everyone (`RequestTallyService`): a write and a commit for
    /// every request would be most of its cost (issue 16). A person near their allowance (at
    /// the alert level or the limit, as this instance knows it) has each request written at
    /// once, and the alert and refusal are decided on the written count. So an instance
    /// learns of requests made through another within a second: the allowance's slack, at
    /// most a second's writes from each instance.
    ///
    /// The window only moves forward, by at most one hour: an instance whose clock is behind
    /// counts into the window another has begun rather than starting the count again, and
    /// one whose clock is far ahead cannot hold a person's count for hours to come.
    func take(by signedIn: SignedIn, on req: Request) async throws {
        let now = AuditFormat.milliseconds(self.now())
        let windowMS = Self.windowMS
        let tally = req.application.requestTally
        guard
            let counted = tally.count(
                signedIn.id, window: now / windowMS * windowMS, writingAt: min(alertAt, limit))
        else { return }
        // The upsert returns the person's row, always.
        let written = try await Self.write([counted], to: tally, on: req.db)[0]
        if written.requests >= alertAt, !written.alerted {
            // An alert that fails (the mail relay's outbox, say) is tried again on the next
            // request; it never costs the person this one.
            do {
                try await Self.alert(signedIn, window: written.window, mail: req.application.mail, on: req.db)
            } catch {
                req.logger.report(error: error)
            }
        }
        guard written.requests > limit else { return }
        if crossesLimit(written, adding: counted.requests) { try await auditRefusal(signedIn, on: req.db) }
        let minutes = max(1, Int((written.window + windowMS - now + 59_999) / 60_000))
        throw AppError(
            status: .tooManyRequests, code: "request-limit",
            message:
                "You have made more than \(limit) requests to eCAF within an hour, more than anyone's work needs. Try again in \(minutes) minutes; if your work needs more, tell your LA's eCAF administrator.",
            headers: ["Retry-After": String(minutes * 60)])
    }

    /// Whether this write took the count past the limit. Writes to a row are serialised and
    /// each adds its requests, so exactly one write in a window does: the first refusal of
    /// the window is audited by whichever instance made it, in a request or its flush.
    private func crossesLimit(_ written: RequestTally.Written, adding requests: Int) -> Bool {
        written.requests > limit && written.requests - requests <= limit
    }

    private func auditRefusal(_ signedIn: SignedIn, on db: any Database) async throws {
        try await Audit.record(
            on: db, by: signedIn, .requestLimit, outcome: .denied, detail: "\(limit) requests within an hour")
    }

    /// Writes what this instance has counted for everyone; tells the coordinators of anyone it
    /// finds past the alert level and audits anyone it takes past the limit (counted through
    /// several instances, say). One person's failure does not hold up the rest.
    static func flush(_ app: Application) async throws {
        let allowance = app.requestAllowance
        let counts = app.requestTally.takeAll()
        let written = try await write(counts, to: app.requestTally, on: app.db)
        app.requestTally.prune(before: AuditFormat.milliseconds(allowance.now()) / windowMS * windowMS - windowMS)
        let sent = Dictionary(counts.map { ($0.practitioner, $0.requests) }, uniquingKeysWith: +)
        for person in written {
            let alerts = person.requests >= allowance.alertAt && !person.alerted
            let refuses = allowance.crossesLimit(person, adding: sent[person.practitioner] ?? 0)
            guard alerts || refuses else { continue }
            do {
                guard let signedIn = try await SignedIn.load(person.practitioner, on: app.db) else { continue }
                if alerts { try await alert(signedIn, window: person.window, mail: app.mail, on: app.db) }
                if refuses { try await allowance.auditRefusal(signedIn, on: app.db) }
            } catch {
                app.logger.report(error: error)
            }
        }
    }

    /// Adds counts to the people's rows, in statements of up to 500 people, and returns each
    /// row as written, learning each statement's as it succeeds. Counts that could not be
    /// written go back to the tally: never lost.
    private static func write(_ counts: [RequestTally.Count], to tally: RequestTally, on db: any Database) async throws
        -> [RequestTally.Written]
    {
        var written: [RequestTally.Written] = []
        for start in stride(from: 0, to: counts.count, by: 500) {
            let chunk = counts[start..<min(start + 500, counts.count)]
            do {
                let rows = try await db.sql.raw(
                    """
                    INSERT INTO request_counts (practitioner_id, window_start, requests, alerted)
                    VALUES \(SQLList(chunk.map { SQLGroupExpression([SQLBind($0.practitioner), SQLBind($0.window), SQLBind($0.requests), SQLLiteral.numeric("0")]) }))
                    ON CONFLICT (practitioner_id) DO UPDATE SET
                        requests = CASE WHEN \(current) THEN request_counts.requests + excluded.requests
                            ELSE excluded.requests END,
                        alerted = CASE WHEN \(current) THEN request_counts.alerted ELSE 0 END,
                        window_start = CASE WHEN \(current) THEN request_counts.window_start
                            ELSE excluded.window_start END
                    RETURNING practitioner_id, requests, alerted, window_start
                    """
                ).all().map { row in
                    RequestTally.Written(
                        practitioner: try row.decode(column: "practitioner_id", as: UUID.self),
                        window: try row.decode(column: "window_start", as: Int64.self),
                        requests: try row.decode(column: "requests", as: Int.self),
                        alerted: try row.decode(column: "alerted", as: Int.self) != 0)
                }
                tally.learn(rows, for: chunk)
                written += rows
            } catch {
                tally.restore(counts[start...])
                throw error
            }
        }
        return written
    }

    /// The row's window is the one being counted into: the same hour, or the next hour begun
    /// by an instance whose clock is ahead.
    private static var current: SQLQueryString {
        "request_counts.window_start >= excluded.window_start AND request_counts.window_start <= excluded.window_start + \(literal: Int(windowMS))"
    }

    /// The coordinators of the person's LA are told (never the person themselves; their LA's
    /// administrators when no one else coordinates), and it is audited: someone may be
    /// copying records with this account. Claimed in the same transaction as the audit and
    /// the e-mail, so it happens once an hour, and again on the next request if it failed.
    static func alert(_ signedIn: SignedIn, window: Int64, mail: MailSettings, on db: any Database) async throws {
        let practitioner = signedIn.practitioner
        let told = try await SignInAlerts.whoToTell(about: practitioner, on: db)
        try await db.writeTransaction { db in
            let claimed = try await db.sql.raw(
                """
                UPDATE request_counts SET alerted = 1
                WHERE practitioner_id = \(bind: signedIn.id) AND window_start = \(bind: window) AND alerted = 0
                RETURNING requests
                """
            ).first()
            guard let claimed else { return }
            let count = try claimed.decode(column: "requests", as: Int.self)
            try await Audit.record(
                on: db, by: signedIn, .unusualVolume, detail: "\(count) requests within an hour; \(told.count) told")
            try await SignInAlerts.tell(
                told, subject: "Unusually many requests from one eCAF account",
                paragraphs: [
                    "The eCAF account of \(practitioner.name) (\(practitioner.email)) has made \(count) requests within an hour: far more than a person's work needs, and what copying records would look like.",
                    "Ask them whether it was them. If it was not, or they cannot say why, ask your LA administrator to disable the account. Each request is in the audit log.",
                ], mail: mail, on: db)
        }
    }
}

/// Counts every signed-in request against its person's allowance; placed after sign-in is
/// required, on pages and the API alike.
struct CountRequests: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await req.application.requestAllowance.take(by: try req.signedIn, on: req)
        return try await next.respond(to: req)
    }
}

extension Application {
    private struct RequestAllowanceKey: StorageKey { typealias Value = RequestAllowance }
    private struct RequestTallyKey: StorageKey { typealias Value = RequestTally }

    var requestAllowance: RequestAllowance {
        get { storage[RequestAllowanceKey.self] ?? RequestAllowance() }
        set { storage[RequestAllowanceKey.self] = newValue }
    }

    /// This instance's counts not yet written; made in `configure`.
    var requestTally: RequestTally {
        get {
            if let tally = storage[RequestTallyKey.self] { return tally }
            let tally = RequestTally()
            storage[RequestTallyKey.self] = tally
            return tally
        }
        set { storage[RequestTallyKey.self] = newValue }
    }
}
