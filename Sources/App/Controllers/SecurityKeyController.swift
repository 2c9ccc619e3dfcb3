import CAFCore
import Vapor
import WebAuthn

/// A person's security keys: adding and removing their own (with their password, and their
/// app's code if they have one, so a session a phishing page won by relaying a code cannot
/// add the phisher's key), and the key's step of signing in, after the password.
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
            keys: keys, prompt: try Self.addPrompt(for: practitioner, keys: keys, on: req),
            needsCode: practitioner.totpSecret != nil, name: name, problems: problems, notice: notice
        ).render(PageContext(req)).response(problems.isEmpty ? .ok : .unprocessableEntity)
    }

    /// A wait from the throttle, on the page that asked.
    private static func waiting(_ error: AppError, _ page: () async throws -> Response) async throws -> Response {
        let response = try await page()
        response.status = .tooManyRequests
        response.headers.add(contentsOf: error.headers)
        return response
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
        do {
            if let problem = try await TwoFactor.reauthenticate(practitioner, form, channel: "web security key", on: req) {
                return try await refuse([problem])
            }
        } catch let error as AppError where error.status == .tooManyRequests {
            return try await Self.waiting(error) { try await refuse([.init(field: "password", message: error.message)]) }
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

    /// One of the person's own keys, as the removal page shows it.
    private func removal(_ req: Request, problems: [FieldProblem] = []) async throws -> RemoveSecurityKeyPage {
        let practitioner = try req.signedIn.practitioner
        let keys = try await SecurityKeys.keys(of: try practitioner.requireID(), on: req.db)
        let id = try req.id("security key")
        guard let key = keys.first(where: { $0.id == id }) else { throw AppError.notFound("security key") }
        let only = keys.count == 1
        return RemoveSecurityKeyPage(
            key: key, isLast: only,
            mayRemove: SecurityKeys.mayRemove(
                oneOf: keys.count, of: practitioner, factorRequired: req.application.twoFactorRequired),
            needsCode: practitioner.totpSecret != nil, problems: problems)
    }

    func showRemove(req: Request) async throws -> Response {
        try await removal(req).render(PageContext(req)).response()
    }

    func remove(req: Request) async throws -> Response {
        let practitioner = try req.signedIn.practitioner
        func refuse(_ problem: FieldProblem) async throws -> Response {
            try await removal(req, problems: [problem]).render(PageContext(req)).response(.unprocessableEntity)
        }
        _ = try await removal(req)
        do {
            if let problem = try await TwoFactor.reauthenticate(
                practitioner, FormFields(req), channel: "web security key", on: req)
            {
                return try await refuse(problem)
            }
        } catch let error as AppError where error.status == .tooManyRequests {
            return try await Self.waiting(error) { try await refuse(.init(field: "password", message: error.message)) }
        }
        switch try await SecurityKeys.remove(try req.id("security key"), of: practitioner, on: req) {
        case .success(let key):
            try await Self.stayInThisSession(req)
            return try await page(req, notice: "Security key ‘\(key.name)’ removed")
        case .failure(.notTheirs): throw AppError.notFound("security key")
        case .failure(.lastFactor):
            return try await refuse(
                .init(
                    field: "password",
                    message: "This key is your only second factor. Add another key, or set up an authenticator app, first"))
        }
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
