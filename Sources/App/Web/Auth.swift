import CAFCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// The signed-in person, with what the access policy needs to know about them.
package struct SignedIn: Authenticatable {
    let practitioner: Practitioner
    let organisation: Organisation?
    /// The digest of what this sign-in is held by (the bearer token, or the page session's
    /// id): a shield override lasts as long as it.
    var credential: String? = nil

    var id: UUID { practitioner.id! }

    var actor: Actor {
        Actor(
            id: id, roles: practitioner.roles, organisationID: organisation?.id, agency: organisation?.agencyType,
            localAuthorityID: organisation?.$localAuthority.id)
    }

    /// "Amy Clarke, SENCo, Riverside Primary School" — how others see them.
    var description: String {
        [practitioner.name, practitioner.jobTitle, organisation?.name].compactMap { $0 }.joined(separator: ", ")
    }

    /// The person with this id, unless disabled.
    package static func load(_ id: UUID, on db: any Database) async throws -> SignedIn? {
        try await load(where: "practitioners.id = \(bind: id)", on: db)
    }

    /// The holder of an unexpired API token with this digest, unless disabled.
    static func load(tokenDigest: String, on db: any Database) async throws -> SignedIn? {
        try await load(
            where: """
                practitioners.id = (SELECT practitioner_id FROM api_tokens
                    WHERE token_hash = \(bind: tokenDigest) AND expires_at > \(bind: Date()))
                """, on: db)
    }

    /// Every request signs in, so it is one statement (issue 16).
    private static func load(where condition: SQLQueryString, on db: any Database) async throws -> SignedIn? {
        guard let practitioner = try await Practitioner.withOrganisation(where: condition, on: db).first,
            !practitioner.disabled
        else { return nil }
        return SignedIn(practitioner: practitioner, organisation: practitioner.organisation)
    }
}

enum Auth {
    static let tokenLifetime: TimeInterval = 12 * 3600
    static let idleTimeout: TimeInterval = 15 * 60
    static let absoluteTimeout: TimeInterval = 12 * 3600
    /// How stale a session's last-seen time may be before a request moves it on.
    static let lastSeenStep: TimeInterval = 60

    /// Checks an e-mail and password; the same answer (nil) whether the account is
    /// missing, disabled, not yet set up or the password wrong, and the same work either way.
    /// Every attempt first takes a turn from the throttle (429 when it must wait, the
    /// password unchecked); every failure is audited, with the account's address (an address
    /// that is no one's is not kept). An account with a second factor gives its turn back only at the code.
    static func verify(email: String, password: String, channel: String, on req: Request) async throws -> SignedIn? {
        let address = String(email.lowercased().trimmingCharacters(in: .whitespaces).prefix(254))
        try await takeTurn(address, channel: channel, on: req)
        let practitioner = try await Practitioner.query(on: req.db).filter(\.$email == address).with(\.$organisation).first()
        let usable = practitioner?.passwordSetAt != nil
        let hash = usable ? practitioner?.passwordHash ?? Passwords.decoyHash : Passwords.decoyHash
        let pepper = try req.pepper
        let matches = (try? await Passwords.verify(password, hash: hash, pepper: pepper)) ?? false
        guard let practitioner, matches, usable, !practitioner.disabled else {
            try await failed(address, practitioner, channel: channel, on: req)
            return nil
        }
        if Passwords.lacksPepper(hash) {
            // Made before the pepper: made again with it. Changed meanwhile (a reset), the
            // password just checked is no longer the account's: refused like a wrong one.
            let remade = try await Passwords.hash(password, pepper: pepper)
            let id = try practitioner.requireID()
            let kept = try await req.db.writeTransaction { db in
                try await db.sql.raw(
                    """
                    UPDATE practitioners SET password_hash = \(bind: remade)
                    WHERE id = \(bind: id) AND password_hash = \(bind: hash) RETURNING id
                    """
                ).all()
            }
            guard !kept.isEmpty else {
                try await failed(address, practitioner, channel: channel, on: req)
                return nil
            }
        }
        if !practitioner.hasSecondFactor { try await req.application.throttle.succeeded(address, on: req) }
        return SignedIn(practitioner: practitioner, organisation: practitioner.organisation)
    }

    /// A turn from the throttle for an attempt on this address, or 429 with Retry-After.
    static func takeTurn(_ address: String, channel: String, on req: Request) async throws {
        do {
            try await req.application.throttle.claim(address, on: req)
        } catch let refused as SignInThrottle.Refused {
            if refused.first {
                try await Audit.record(
                    on: req.db, by: nil, email: try await accountAddress(address, on: req.db), .signInFailed, outcome: .denied,
                    detail: "\(channel) throttled")
            }
            throw AppError(
                status: .tooManyRequests, code: "too-many-attempts",
                message: "Too many sign-in attempts from here: wait \(Self.wait(refused.retryAfter)) and try again",
                headers: ["Retry-After": String(refused.retryAfter)])
        }
    }

    /// A wrong password or code: audited, and counted against the account from anywhere; a
    /// burst alerts the coordinators of the account's LA, once a window.
    static func failed(_ address: String, _ practitioner: Practitioner?, channel: String, on req: Request) async throws {
        try await Audit.record(
            on: req.db, by: nil, email: practitioner?.email ?? noAccount, .signInFailed, outcome: .denied, detail: channel)
        guard let practitioner, try await req.application.throttle.failed(address, on: req.db) else { return }
        try await SignInAlerts.burst(against: practitioner, failures: req.application.throttle.burst, on: req)
    }

    /// What the audit keeps of a typed address that is no one's: not the text, which is now
    /// and then a password typed into the wrong box (ASVS V7.1.1).
    static let noAccount = "(an address with no account)"

    /// The typed address as the audit keeps it: the account's, or `noAccount`.
    static func accountAddress(_ address: String, on db: any Database) async throws -> String {
        try await Practitioner.query(on: db).filter(\.$email == address).count() > 0 ? address : noAccount
    }

    static func wait(_ seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }

    /// Ends an API token at once, audited as its holder signing out.
    static func endToken(_ token: String, of signedIn: SignedIn, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await APIToken.query(on: db).filter(\.$tokenHash == digest(token)).delete()
            try await Audit.record(on: db, by: signedIn, .signOut, detail: "api")
        }
    }

    static func digest(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Issues an API token, audited as a sign-in; only its digest is stored.
    static func issueToken(for signedIn: SignedIn, on db: any Database) async throws -> (String, Date) {
        let token = randomToken()
        let expiresAt = Date().addingTimeInterval(tokenLifetime)
        try await db.writeTransaction { db in
            try await APIToken(tokenHash: digest(token), practitionerID: signedIn.id, expiresAt: expiresAt).create(on: db)
            try await Audit.record(on: db, by: signedIn, .signIn, detail: "api")
        }
        return (token, expiresAt)
    }
}

/// Password hashes: bcrypt of the password mixed with the pepper (`PasswordPepper`), marked
/// `pepper1:`. A hash made before the pepper (bcrypt alone) still verifies, and is made again
/// with it at the holder's next sign-in.
enum Passwords {
    /// bcrypt cost for new hashes (ENGINEERING.md: at least 12).
    static let cost = 12
    static let peppered = "pepper1:"
    /// Verified against when the account does not exist, so timing does not reveal it.
    static let decoyHash = try! Bcrypt.hash("decoy-password-never-matches", cost: cost)
    /// Stands where a hash will be until the holder chooses a password: matches nothing.
    static let unset = "!unset"

    /// bcrypt's own threads: a burst of sign-ins queues here, never on the threads the
    /// database (SQLite's blocking calls) and file reads share, so it cannot starve them.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        return pool
    }()

    static func hash(_ password: String, pepper: PasswordPepper, cost: Int = cost) async throws -> String {
        let mixed = pepper.mix(password)
        return peppered + (try await pool.runIfActive { try Bcrypt.hash(mixed, cost: cost) })
    }

    static func verify(_ password: String, hash: String, pepper: PasswordPepper) async throws -> Bool {
        guard hash.hasPrefix(peppered) else {
            return try await pool.runIfActive { try Bcrypt.verify(password, created: hash) }
        }
        let mixed = pepper.mix(password)
        return try await pool.runIfActive { try Bcrypt.verify(mixed, created: String(hash.dropFirst(peppered.count))) }
    }

    /// A hash made before the pepper, to be made again once its password is known.
    static func lacksPepper(_ hash: String) -> Bool { hash.hasPrefix("$2") }
}

/// Signs in API requests from `Authorization: Bearer <token>`.
struct BearerSignIn: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization,
            case let digest = Auth.digest(bearer.token),
            var signedIn = try await SignedIn.load(tokenDigest: digest, on: req.db)
        {
            signedIn.credential = digest
            req.auth.login(signedIn)
        }
        return try await next.respond(to: req)
    }
}

/// Signs in page requests from the session, enforcing idle and absolute timeouts.
struct SessionSignIn: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = Date().timeIntervalSince1970
        if let idText = req.session.data["practitioner"], let id = UUID(uuidString: idText),
            let started = req.session.data["signedInAt"].flatMap(Double.init),
            let seen = req.session.data["lastSeen"].flatMap(Double.init)
        {
            if now - seen > Auth.idleTimeout || now - started > Auth.absoluteTimeout {
                req.session.destroy()
            } else if var signedIn = try await SignedIn.load(id, on: req.db) {
                signedIn.credential = req.session.id.map { Auth.digest($0.string) }
                // A session begun before the account's credentials changed (a second factor
                // reset for a lost phone) ends, as its API tokens did.
                if let changed = signedIn.practitioner.credentialsChangedAt, changed.timeIntervalSince1970 >= started {
                    req.session.destroy()
                } else {
                    req.auth.login(signedIn)
                    // Moved at most once a minute: a page request that changes nothing else
                    // writes nothing (`DigestSessions`). So a session may end up to a minute
                    // before fifteen idle minutes, never after.
                    // One ahead of this clock (another instance's) is moved back.
                    if now - seen >= Auth.lastSeenStep || seen > now { req.session.data["lastSeen"] = String(now) }
                }
            }
        }
        return try await next.respond(to: req)
    }

    static func start(_ signedIn: SignedIn, on req: Request) {
        let now = String(Date().timeIntervalSince1970)
        req.session.data["practitioner"] = signedIn.id.uuidString
        req.session.data["signedInAt"] = now
        req.session.data["lastSeen"] = now
    }
}

extension Request {
    /// The signed-in person; API routes answer 401 and pages redirect when there is none
    /// (see `RequireSignIn`), so handlers behind it can rely on this.
    var signedIn: SignedIn {
        get throws {
            guard let signedIn = auth.get(SignedIn.self) else { throw AppError.unauthenticated }
            return signedIn
        }
    }
}

extension RoutesBuilder {
    /// Pages for a signed-in person (others are sent to sign in), each request counted
    /// against their hourly allowance.
    var signedInPages: any RoutesBuilder { grouped(RequireSignIn(api: false), CountRequests()) }
}

/// API: 401 without a valid token. Pages: redirect to sign-in.
struct RequireSignIn: AsyncMiddleware {
    let api: Bool

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.auth.has(SignedIn.self) else {
            if api { throw AppError.unauthenticated }
            return req.redirect(to: SiteURL.signIn.path)
        }
        return try await next.respond(to: req)
    }
}
