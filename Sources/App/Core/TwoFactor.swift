import Fluent
import SQLKit
import Vapor

/// The second factor: checking a TOTP code, setting one up, and the short wait between a
/// checked password and its code.
enum TwoFactor {
    /// How long a checked password waits for its code before signing in starts again.
    static let pendingLifetime: TimeInterval = 5 * 60

    /// True once the code is accepted: within a step of now, from a later step than the last
    /// code used, and not while the account is locked out. Each failure is audited and counts
    /// towards lockout, like a wrong password.
    static func check(_ code: String, for practitioner: Practitioner, channel: String, on req: Request) async throws -> Bool {
        let locked = try await Auth.isLockedOut(practitioner.email, on: req)
        if !locked, let secret = practitioner.totpSecret.flatMap(Base32.decode),
            let step = TOTP.matchingStep(code, secret: secret, at: Date()),
            try await claim(step, for: practitioner.id!, on: req.db)
        {
            return true
        }
        try await Audit.record(
            on: req.db, by: nil, email: practitioner.email, .signInFailed, outcome: .denied,
            detail: locked ? "\(channel) code locked" : "\(channel) code")
        return false
    }

    /// Marks the step used unless it (or a later one) already was. One conditional UPDATE,
    /// so two requests racing with the same code cannot both win.
    static func claim(_ step: Int64, for id: UUID, on db: any Database) async throws -> Bool {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE practitioners SET totp_last_step = \(bind: step)
            WHERE id = \(bind: id) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step)) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Sets up two-factor sign-in with a secret the person's app has just shown a code for.
    static func enrol(
        secret: [UInt8], code: String, for practitioner: Practitioner, channel: String, on req: Request
    ) async throws -> Bool {
        guard practitioner.totpSecret == nil, let step = TOTP.matchingStep(code, secret: secret, at: Date()) else {
            try await Audit.record(
                on: req.db, by: nil, email: practitioner.email, .signInFailed, outcome: .denied, detail: "\(channel) set-up code")
            return false
        }
        try await req.db.transaction { db in
            practitioner.totpSecret = Base32.encode(secret)
            practitioner.totpLastStep = step
            try await practitioner.save(on: db)
            try await Audit.record(
                on: db, by: SignedIn(practitioner: practitioner, organisation: practitioner.organisation), .setUpTwoFactor,
                detail: channel)
        }
        return true
    }

    // MARK: the wait between password and code, kept in the (pre-sign-in) session

    static func startPending(_ practitionerID: UUID, on req: Request) {
        req.session.data["pending"] = practitionerID.uuidString
        req.session.data["pendingAt"] = String(Date().timeIntervalSince1970)
    }

    /// The account whose password was checked in the last few minutes, if any.
    static func pending(on req: Request) async throws -> Practitioner? {
        guard let id = req.session.data["pending"].flatMap(UUID.init(uuidString:)),
            let at = req.session.data["pendingAt"].flatMap(Double.init),
            Date().timeIntervalSince1970 - at < pendingLifetime
        else { return nil }
        return try await Practitioner.query(on: req.db).filter(\.$id == id).filter(\.$disabled == false)
            .with(\.$organisation).first()
    }
}
