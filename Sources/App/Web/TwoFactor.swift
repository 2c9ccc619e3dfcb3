import CAFCore
import Fluent
import OneTimePasswords
import SQLKit
import Vapor

/// The second factor: checking a TOTP code, setting one up, and the short wait between a
/// checked password and its code.
enum TwoFactor {
    /// How long a checked password waits for its code before signing in starts again.
    static let pendingLifetime: TimeInterval = 5 * 60

    /// True once the code is accepted: within a step of now, from a later step than the last
    /// code used. Each code takes a turn from the throttle like a password (429 when it must
    /// wait), unless its request took one already for the password beside it (the API); a
    /// failure is audited and counted like a wrong password, and a right code gives the
    /// account's turns from this address back. A code already used is refused like a wrong
    /// one and audited as reused; at sign-in its holder is told too (ASVS V2.8.5): whoever
    /// sent it has the password and saw a code, or is replaying one. (Changing a password
    /// a minute after signing in reuses the code just typed: refused, but no alarm.)
    static func check(
        _ code: String, for practitioner: Practitioner, channel: String, turnTaken: Bool = false, on req: Request
    ) async throws -> Bool {
        if !turnTaken { try await Auth.takeTurn(practitioner.email, channel: "\(channel) code", on: req) }
        guard let secret = try secret(of: practitioner, on: req.application),
            let step = TOTP.matchingStep(code, secret: secret, at: Date())
        else {
            try await Auth.failed(practitioner.email, practitioner, channel: "\(channel) code", on: req)
            return false
        }
        guard try await claim(step, for: practitioner.id!, on: req.db) else {
            try await Auth.failed(practitioner.email, practitioner, channel: "\(channel) code reused", on: req)
            if ["web", "api"].contains(channel) {
                try await CredentialNotices.post(.codeReused, to: practitioner, mail: req.application.mail, on: req.db)
            }
            return false
        }
        try await req.application.throttle.succeeded(practitioner.email, on: req)
        return true
    }

    /// A signed-in person proving it is them before a change to how they sign in or where:
    /// their password again, and their app's code when they have one. Nil when both are right,
    /// else the problem to show; a wait (429) is thrown for the caller's page.
    static func reauthenticate(_ practitioner: Practitioner, _ form: FormFields, channel: String, on req: Request)
        async throws -> FieldProblem?
    {
        if try await Auth.verify(email: practitioner.email, password: form["password"], channel: channel, on: req) == nil {
            return .init(field: "password", message: "Your password is not right")
        }
        if practitioner.totpSecret != nil, try await !check(form["code"], for: practitioner, channel: channel, on: req) {
            return .init(field: "code", message: "The code is not right or has been used. Enter the newest code")
        }
        return nil
    }

    /// Marks the step used unless it (or a later one) already was. One conditional UPDATE,
    /// so two requests racing with the same code cannot both win.
    static func claim(_ step: Int64, for id: UUID, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.raw(
            """
            UPDATE practitioners SET totp_last_step = \(bind: step)
            WHERE id = \(bind: id) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step)) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Sets up two-factor sign-in with a secret the person's app has just shown a code for.
    /// Set up from a reset link, the link is used up in the same transaction: until then the
    /// reset still waits, and the password alone leads nowhere.
    static func enrol(
        secret: [UInt8], code: String, for practitioner: Practitioner, channel: String, usingLink link: UUID? = nil,
        on req: Request
    ) async throws -> Bool {
        guard practitioner.totpSecret == nil, let step = TOTP.matchingStep(code, secret: secret, at: Date()) else {
            try await Audit.record(
                on: req.db, by: nil, email: practitioner.email, .signInFailed, outcome: .denied, detail: "\(channel) set-up code")
            return false
        }
        try await req.db.writeTransaction { db in
            if let link, try await !CredentialLinks.use(link, on: db) { throw AppError.linkUnusable }
            practitioner.totpSecret = try seal(secret, for: practitioner, keys: try req.application.requireSecrets())
            practitioner.twoFactorResetAt = nil
            practitioner.totpLastStep = step
            try await practitioner.save(on: db)
            // A factor set up from a reset link replaces one: its holder is told.
            if link != nil {
                try await CredentialNotices.post(.secondFactorReplaced, to: practitioner, mail: req.application.mail, on: db)
            }
            try await Audit.record(
                on: db, by: SignedIn(practitioner: practitioner, organisation: practitioner.organisation), .setUpTwoFactor,
                detail: link == nil ? channel : "\(channel), from a reset link")
        }
        return true
    }

    /// The account's TOTP secret, opened. One that no key opens (a server left on an old key
    /// while another rotated) fails loudly: every code would otherwise look wrong.
    static func secret(of practitioner: Practitioner, on app: Application) throws -> [UInt8]? {
        guard let stored = practitioner.totpSecret, let id = practitioner.id else { return nil }
        do {
            return Base32.decode(try SealedColumn.totpSecret.open(stored, row: id, keys: try app.requireSecrets()))
        } catch {
            app.logger.critical("The TOTP secret of account \(id) opens with no key this server has: \(error)")
            throw error
        }
    }

    /// A TOTP secret as stored: sealed, and bound to its account.
    static func seal(_ secret: [UInt8], for practitioner: Practitioner, keys: SecretKeys) throws -> String {
        try SealedColumn.totpSecret.seal(Base32.encode(secret), row: try practitioner.requireID(), keys: keys)
    }

    /// A secret being set up, as it waits in the session: sealed, and bound to the account
    /// and to this use (it is no account's factor yet).
    static func sealForSetUp(_ secret: [UInt8], of practitioner: Practitioner, keys: SecretKeys) throws -> String {
        try keys.seal(Base32.encode(secret), context: "set-up:\(try practitioner.requireID().uuidString)")
    }

    static func openSetUp(_ sealed: String, of practitioner: Practitioner, keys: SecretKeys) -> [UInt8]? {
        guard let id = practitioner.id, let text = try? keys.open(sealed, context: "set-up:\(id.uuidString)") else { return nil }
        return Base32.decode(text)
    }

    /// True while an administrator's reset of this account's second factor waits for its
    /// holder to set one up from the link (expired or withdrawn: then they need a new one).
    static func awaitsResetLink(_ practitioner: Practitioner) -> Bool {
        practitioner.twoFactorResetAt != nil
    }

    // MARK: the wait between password and code, kept in the (pre-sign-in) session

    /// What lets a waiting session set up a second factor before it is signed in.
    enum SetUpPermit: Equatable {
        /// A password checked for an account that never had one set up, and no reset waiting.
        case firstSignIn
        /// A reset link followed and the password proved: the link is used at set-up.
        case link(UUID)
    }

    static func startPending(_ practitionerID: UUID, setUp permit: SetUpPermit? = nil, on req: Request) {
        req.session.data["pending"] = practitionerID.uuidString
        req.session.data["pendingAt"] = String(Date().timeIntervalSince1970)
        req.session.data["setUpPermit"] =
            switch permit {
            case nil: nil
            case .firstSignIn: "first-sign-in"
            case .link(let id): id.uuidString
            }
    }

    /// The account whose password was checked in the last few minutes, if any, and only
    /// while its credentials have not changed since (a reset ends a waiting session too).
    static func pending(on req: Request) async throws -> Practitioner? {
        guard let id = req.session.data["pending"].flatMap(UUID.init(uuidString:)),
            let at = req.session.data["pendingAt"].flatMap(Double.init),
            Date().timeIntervalSince1970 - at < pendingLifetime,
            let practitioner = try await Practitioner.query(on: req.db).filter(\.$id == id).filter(\.$disabled == false)
                .with(\.$organisation).first()
        else { return nil }
        if let changed = practitioner.credentialsChangedAt, changed.timeIntervalSince1970 >= at { return nil }
        return practitioner
    }

    /// Whether the waiting session may set up a second factor now: only as its permit says,
    /// and a first sign-in only while no reset waits for its link.
    static func setUpPermit(for practitioner: Practitioner, on req: Request) async throws -> SetUpPermit? {
        switch req.session.data["setUpPermit"] {
        case "first-sign-in":
            return awaitsResetLink(practitioner) ? nil : .firstSignIn
        case let text?:
            return UUID(uuidString: text).map(SetUpPermit.link)
        case nil:
            return nil
        }
    }
}
