import Fluent
import SQLKit
import Vapor
import WebAuthn

/// Security keys (WebAuthn) as a second factor that a phishing page cannot relay: the
/// browser signs for the site it is on, so an answer made on a look-alike address is refused
/// (`WebAuthnError.wrongOrigin`). A person adds and removes keys themselves, with their
/// password and, if they have an authenticator app, its code; once they have a key, signing
/// in on the pages asks for one and no longer takes a code, and the API gives them no token.
enum SecurityKeys {
    /// Enough for a spare or two; a bound, so one account cannot fill the table.
    static let mostPerPerson = 10
    /// How long a challenge waits for the key's answer.
    static let challengeLifetime: TimeInterval = 5 * 60
    /// The form fields a key's answer comes in, each base64url (bounded in `FormFields`).
    static let answerFields = ["credentialId", "clientDataJSON", "attestationObject", "authenticatorData", "signature"]

    /// This site, as browsers scope keys to it: from ECAF_PUBLIC_URL, checked at start.
    static func relyingParty(_ app: Application) -> RelyingParty {
        RelyingParty(publicURL: app.mail.publicURL) ?? RelyingParty(id: "localhost", origin: "http://localhost:8080")
    }

    static func keys(of practitionerID: UUID, on db: any Database) async throws -> [SecurityKey] {
        try await SecurityKey.query(on: db).filter(\.$practitioner.$id == practitionerID).sort(\.$createdAt).all()
    }

    // MARK: challenges, one at a time in the session

    enum Ceremony: String {
        case add, signIn = "sign-in"
    }

    /// A new challenge for this person and ceremony, replacing any earlier one.
    static func challenge(_ ceremony: Ceremony, for practitionerID: UUID, on req: Request) -> [UInt8] {
        let challenge = RelyingParty.newChallenge()
        req.session.data["keyChallenge"] = Base64URL.encode(challenge)
        req.session.data["keyChallengeFor"] = "\(ceremony.rawValue):\(practitionerID.uuidString)"
        req.session.data["keyChallengeAt"] = String(Date().timeIntervalSince1970)
        return challenge
    }

    /// The challenge given for this person and ceremony, used up: an answer is checked once.
    static func takeChallenge(_ ceremony: Ceremony, for practitionerID: UUID, on req: Request) -> [UInt8]? {
        defer { for key in ["keyChallenge", "keyChallengeFor", "keyChallengeAt"] { req.session.data[key] = nil } }
        guard req.session.data["keyChallengeFor"] == "\(ceremony.rawValue):\(practitionerID.uuidString)",
            let at = req.session.data["keyChallengeAt"].flatMap(Double.init),
            Date().timeIntervalSince1970 - at < challengeLifetime
        else { return nil }
        return req.session.data["keyChallenge"].flatMap(Base64URL.decode)
    }

    // MARK: a key's answer, as the page's script posts it

    /// What the browser answered, from the form; nil when the script sent nothing (no
    /// JavaScript, no key support, or the person cancelled: `failure` says which).
    struct Answer {
        let credentialID: String
        let clientDataJSON: [UInt8]
        /// `attestationObject` when adding; `authenticatorData` when signing in.
        let data: [UInt8]
        let signature: [UInt8]

        init?(_ form: FormFields, adding: Bool) {
            guard let client = Base64URL.decode(form["clientDataJSON"]),
                let data = Base64URL.decode(form[adding ? "attestationObject" : "authenticatorData"]),
                let signature = adding ? [] : Base64URL.decode(form["signature"]),
                Base64URL.decode(form["credentialId"]) != nil, !client.isEmpty, !data.isEmpty
            else { return nil }
            (credentialID, clientDataJSON, self.data, self.signature) = (form["credentialId"], client, data, signature)
        }
    }

    /// What to tell a person whose browser sent no answer, from the script's `failure`.
    static func noAnswer(_ failure: String) -> String {
        switch failure {
        case "NotAllowedError", "AbortError":
            "Your security key was not used in time, or you cancelled. Try again, and touch your key when it flashes"
        case "InvalidStateError": "That security key is already added to your account"
        case "unsupported", "NotSupportedError", "SecurityError":
            "This browser cannot use security keys here. Use an up-to-date browser with JavaScript turned on"
        default: "Your browser did not send an answer from a security key. Security keys need JavaScript turned on"
        }
    }

    // MARK: adding and removing

    enum AddProblem: Error {
        case refused(WebAuthnError)
        case alreadyAdded
        case tooMany
    }

    /// Checks the new key's answer against the challenge and keeps it. Audited, and its
    /// holder told by e-mail: a key added by someone else would be theirs to sign in with.
    /// Every other session and token of theirs ends.
    static func add(
        _ answer: Answer, named name: String, for practitioner: Practitioner, challenge: [UInt8], on req: Request
    ) async throws -> Result<SecurityKey, AddProblem> {
        let signedIn = SignedIn(practitioner: practitioner, organisation: practitioner.organisation)
        let credential: NewCredential
        do {
            credential = try relyingParty(req.application).register(
                attestationObject: answer.data, clientDataJSON: answer.clientDataJSON, challenge: challenge)
        } catch let error as WebAuthnError {
            try await Audit.record(
                on: req.db, by: signedIn, .addSecurityKey, outcome: .denied, detail: "web, \(Audit.typed("\(error)"))")
            return .failure(.refused(error))
        }
        let id = try practitioner.requireID()
        let key = SecurityKey()
        key.$practitioner.id = id
        key.credentialID = Base64URL.encode(credential.id)
        key.publicKey = Base64URL.encode(credential.publicKey)
        key.signCount = Int64(credential.signCount)
        key.name = name
        key.createdAt = Date()
        let mail = req.application.mail
        return try await req.db.writeTransaction { db in
            // The holder's row locked, so two changes at once count each other.
            try await StateChange.lock(Practitioner.schema, id: id, on: db)
            let held = try await SecurityKey.query(on: db).filter(\.$practitioner.$id == id).count()
            guard held < mostPerPerson else { return .failure(.tooMany) }
            guard try await SecurityKey.query(on: db).filter(\.$credentialID == key.credentialID).count() == 0 else {
                return .failure(.alreadyAdded)
            }
            try await key.create(on: db)
            try await changed(practitioner, keys: held + 1, on: db)
            try await CredentialNotices.post(.securityKeyAdded, to: practitioner, mail: mail, on: db)
            try await Audit.record(on: db, by: signedIn, .addSecurityKey, detail: "web, \(Audit.typed(name))")
            return .success(key)
        }
    }

    enum RemoveProblem: Error {
        case notTheirs
        /// Their only second factor, where one is required: without it the password alone
        /// would set up a new one at the next sign-in.
        case lastFactor
    }

    /// Whether one of `count` keys may go: not the only second factor of an account that must
    /// have one.
    static func mayRemove(oneOf count: Int, of practitioner: Practitioner, factorRequired: Bool) -> Bool {
        count > 1 || practitioner.totpSecret != nil || !factorRequired
    }

    /// Removes one of the person's own keys. Every other session and token of theirs ends,
    /// as when a key is added.
    static func remove(_ keyID: UUID, of practitioner: Practitioner, on req: Request) async throws -> Result<
        SecurityKey, RemoveProblem
    > {
        let id = try practitioner.requireID()
        let mail = req.application.mail
        let signedIn = SignedIn(practitioner: practitioner, organisation: practitioner.organisation)
        let factorRequired = req.application.twoFactorRequired
        return try await req.db.writeTransaction { db in
            try await StateChange.lock(Practitioner.schema, id: id, on: db)
            let keys = try await SecurityKey.query(on: db).filter(\.$practitioner.$id == id).all()
            guard let key = keys.first(where: { $0.id == keyID }) else { return .failure(.notTheirs) }
            guard mayRemove(oneOf: keys.count, of: practitioner, factorRequired: factorRequired) else {
                return .failure(.lastFactor)
            }
            try await key.delete(on: db)
            try await changed(practitioner, keys: keys.count - 1, on: db)
            try await CredentialNotices.post(.securityKeyRemoved, to: practitioner, mail: mail, on: db)
            try await Audit.record(on: db, by: signedIn, .removeSecurityKey, detail: "web, \(Audit.typed(key.name))")
            return .success(key)
        }
    }

    /// Their count of keys, kept; and as with a new password, every session and token begun
    /// before the change ends (the caller starts the person's own session again).
    private static func changed(_ practitioner: Practitioner, keys: Int, on db: any Database) async throws {
        practitioner.securityKeyCount = keys
        practitioner.credentialsChangedAt = Date()
        try await practitioner.save(on: db)
        try await APIToken.query(on: db).filter(\.$practitioner.$id == practitioner.requireID()).delete()
    }

    // MARK: signing in

    /// True once a key of this person's answers the challenge. Like a code, each answer
    /// takes a turn from the throttle and a refusal is audited and counted as a wrong
    /// password. A counter that went back means a copy of the key or a replay: refused, and
    /// its holder told.
    static func check(_ answer: Answer, for practitioner: Practitioner, challenge: [UInt8], on req: Request)
        async throws -> Bool
    {
        try await Auth.takeTurn(practitioner.email, channel: "web security key", on: req)
        let id = try practitioner.requireID()
        func refuse(_ why: String) async throws -> Bool {
            try await Auth.failed(practitioner.email, practitioner, channel: "web security key, \(why)", on: req)
            return false
        }
        guard
            let key = try await SecurityKey.query(on: req.db).filter(\.$credentialID == answer.credentialID)
                .filter(\.$practitioner.$id == id).first(),
            let publicKey = Base64URL.decode(key.publicKey)
        else { return try await refuse("not one of theirs") }
        let count: UInt32
        do {
            count = try relyingParty(req.application).authenticate(
                authenticatorData: answer.data, clientDataJSON: answer.clientDataJSON, signature: answer.signature,
                challenge: challenge, publicKey: publicKey, storedSignCount: UInt32(clamping: key.signCount))
        } catch let error as WebAuthnError {
            if case .counterWentBack = error {
                try await CredentialNotices.post(.securityKeyCopied, to: practitioner, mail: req.application.mail, on: req.db)
            }
            return try await refuse(Audit.typed("\(error)"))
        }
        // Conditional, so two answers racing with the same count cannot both sign in.
        guard try await advance(key, to: count, on: req.db) else { return try await refuse("counter raced") }
        try await req.application.throttle.succeeded(practitioner.email, on: req)
        return true
    }

    private static func advance(_ key: SecurityKey, to count: UInt32, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.raw(
            """
            UPDATE security_keys SET sign_count = \(bind: Int64(count)), last_used_at = \(bind: Date())
            WHERE id = \(bind: try key.requireID()) AND (sign_count < \(bind: Int64(count)) OR \(bind: Int64(count)) = 0)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }
}
