import CAFCore
import Vapor
import WebAuthn

/// A person's security keys: adding and removing their own (with their password), and the
/// key's step of signing in, after the password (`AuthController`).
struct SecurityKeyController {
    /// A fresh prompt to add a key: a new challenge, and the person's keys left out.
    static func addPrompt(for practitioner: Practitioner, keys: [SecurityKey], on req: Request) throws
        -> SecurityKeyPrompt
    {
        let id = try practitioner.requireID()
        return SecurityKeyPrompt(
            ceremony: .add(userID: id, email: practitioner.email, name: practitioner.name),
            challenge: SecurityKeys.challenge(.add, for: id, on: req), site: SecurityKeys.relyingParty(req.application),
            credentialIDs: keys.map(\.credentialID))
    }

    /// A fresh prompt to sign in with one of these keys.
    static func signInPrompt(for practitionerID: UUID, keys: [SecurityKey], on req: Request) -> SecurityKeyPrompt {
        SecurityKeyPrompt(
            ceremony: .signIn, challenge: SecurityKeys.challenge(.signIn, for: practitionerID, on: req),
            site: SecurityKeys.relyingParty(req.application), credentialIDs: keys.map(\.credentialID))
    }

    func show(req: Request) async throws -> Response {
        try await page(req)
    }

    private func page(_ req: Request, name: String = "", problems: [FieldProblem] = [], notice: String? = nil)
        async throws -> Response
    {
        let practitioner = try req.signedIn.practitioner
        let keys = try await SecurityKeys.keys(of: try practitioner.requireID(), on: req.db)
        return SecurityKeysPage(
            keys: keys, prompt: try Self.addPrompt(for: practitioner, keys: keys, on: req), name: name, problems: problems,
            notice: notice
        ).render(PageContext(req)).response(problems.isEmpty ? .ok : .unprocessableEntity)
    }

    func add(req: Request) async throws -> Response {
        let practitioner = try req.signedIn.practitioner
        let id = try practitioner.requireID()
        let form = FormFields(req)
        // Taken first, so every answer this page sends is checked against one challenge once.
        let challenge = SecurityKeys.takeChallenge(.add, for: id, on: req)
        let name = form["name"].trimmingCharacters(in: .whitespaces)
        func refuse(_ problems: [FieldProblem]) async throws -> Response {
            try await page(req, name: name, problems: problems)
        }
        if name.isEmpty { return try await refuse([.init(field: "name", message: "Enter a name for the key")]) }
        if name.count > 60 { return try await refuse([.init(field: "name", message: "Name must be 60 characters or fewer")]) }
        if try await Auth.verify(email: practitioner.email, password: form["password"], channel: "web security key", on: req)
            == nil
        {
            return try await refuse([.init(field: "password", message: "Your password is not right")])
        }
        guard let answer = SecurityKeys.Answer(form, adding: true) else {
            return try await refuse([.init(field: "securityKey", message: SecurityKeys.noAnswer(form["failure"]))])
        }
        guard let challenge else {
            return try await refuse([
                .init(field: "securityKey", message: "That took too long. Press the button and use your key again")
            ])
        }
        switch try await SecurityKeys.add(answer, named: name, for: practitioner, challenge: challenge, on: req) {
        case .success(let key):
            try await Self.stayInThisSession(req)
            return try await page(req, notice: "Security key ‘\(key.name)’ added")
        case .failure(.alreadyAdded):
            return try await refuse([.init(field: "securityKey", message: "That security key is already added to an account")])
        case .failure(.tooMany):
            return try await refuse([
                .init(
                    field: "securityKey",
                    message: "You have \(SecurityKeys.mostPerPerson) security keys, the most you can have. Remove one first")
            ])
        case .failure(.refused):
            return try await refuse([
                .init(field: "securityKey", message: "eCAF could not accept the key’s answer. Try again, or try another key")
            ])
        }
    }

    private func ownKey(_ req: Request) async throws -> (SecurityKey, isLast: Bool) {
        let keys = try await SecurityKeys.keys(of: try req.signedIn.practitioner.requireID(), on: req.db)
        let id = try req.id("security key")
        guard let key = keys.first(where: { $0.id == id }) else { throw AppError.notFound("security key") }
        return (key, keys.count == 1)
    }

    func showRemove(req: Request) async throws -> Response {
        let (key, isLast) = try await ownKey(req)
        return RemoveSecurityKeyPage(key: key, isLast: isLast).render(PageContext(req)).response()
    }

    func remove(req: Request) async throws -> Response {
        let practitioner = try req.signedIn.practitioner
        let (key, isLast) = try await ownKey(req)
        let password = FormFields(req)["password"]
        guard try await Auth.verify(email: practitioner.email, password: password, channel: "web security key", on: req) != nil
        else {
            return RemoveSecurityKeyPage(
                key: key, isLast: isLast, problems: [.init(field: "password", message: "Your password is not right")]
            ).render(PageContext(req)).response(.unprocessableEntity)
        }
        guard try await SecurityKeys.remove(key.id!, of: practitioner, on: req) else {
            throw AppError.notFound("security key")
        }
        try await Self.stayInThisSession(req)
        return try await page(req, notice: "Security key ‘\(key.name)’ removed")
    }

    /// After a change of second factor has ended every session: this one starts again.
    private static func stayInThisSession(_ req: Request) async throws {
        let signedIn = try req.signedIn
        try await AuthController.renewSession(req)
        SessionSignIn.start(signedIn, on: req)
    }

    /// The key's answer at sign-in, for the account whose password was just checked.
    func signIn(req: Request) async throws -> Response {
        guard let practitioner = try await TwoFactor.pending(on: req) else { return req.redirect(to: SiteURL.signIn.path) }
        let id = try practitioner.requireID()
        let keys = try await SecurityKeys.keys(of: id, on: req.db)
        guard !keys.isEmpty else { return req.redirect(to: SiteURL.signInCode.path) }
        let challenge = SecurityKeys.takeChallenge(.signIn, for: id, on: req)
        let form = FormFields(req)
        func refuse(_ message: String, status: HTTPResponseStatus = .unprocessableEntity) -> Response {
            SignInCodePage(
                securityKey: Self.signInPrompt(for: id, keys: keys, on: req),
                problems: [.init(field: "securityKey", message: message)]
            ).render(PageContext(req)).response(status)
        }
        guard let answer = SecurityKeys.Answer(form, adding: false) else {
            return refuse(SecurityKeys.noAnswer(form["failure"]))
        }
        guard let challenge else { return refuse("That took too long. Press the button and use your key again") }
        do {
            guard try await SecurityKeys.check(answer, for: practitioner, challenge: challenge, on: req) else {
                return refuse("eCAF could not accept your security key’s answer. Use a key added to your account")
            }
        } catch let error as AppError where error.status == .tooManyRequests {
            let response = refuse(error.message, status: .tooManyRequests)
            response.headers.add(contentsOf: error.headers)
            return response
        }
        return try await AuthController().complete(
            SignedIn(practitioner: practitioner, organisation: practitioner.organisation), on: req, detail: "web, security key")
    }
}

extension SecurityKeyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(SiteURL.signInSecurityKey.pattern, use: signIn)
        let signedIn = routes.signedInPages
        signedIn.get(SiteURL.securityKeys.pattern, use: show)
        signedIn.post(SiteURL.securityKeys.pattern, use: add)
        signedIn.get(SiteURL.removeSecurityKey(.pattern).pattern, use: showRemove)
        signedIn.post(SiteURL.removeSecurityKey(.pattern).pattern, use: remove)
    }
}
