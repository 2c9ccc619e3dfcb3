import Vapor

struct AuthAPIController {
    /// POST /api/v1/auth/token
    func createToken(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(TokenRequest.self)
        guard let signedIn = try await Auth.verify(email: body.email, password: body.password, channel: "api", on: req) else {
            throw AppError(
                status: .unauthorized, code: "invalid-credentials", message: "The e-mail address or password is not right")
        }
        // Each token asked for counts like any request, so tokens cannot be minted without end.
        try await req.application.requestAllowance.take(by: signedIn, on: req)
        try await checkSecondFactor(body.code, for: signedIn.practitioner, on: req)
        let (token, expiresAt) = try await Auth.issueToken(for: signedIn, on: req.db)
        return try TokenResponse(token: token, expiresAt: expiresAt).json(.created)
    }

    /// An account with two-factor sign-in needs its code with the password; without it set
    /// up, a token is refused unless the server runs with --demo. An account with security
    /// keys gets none: a code is what a phishing page relays, and keys sign in on the pages.
    private func checkSecondFactor(_ code: String?, for practitioner: Practitioner, on req: Request) async throws {
        if practitioner.hasSecurityKeys {
            try await Audit.record(
                on: req.db, by: nil, email: practitioner.email, .signInFailed, outcome: .denied,
                detail: "api, a security key is required")
            throw AppError(
                status: .forbidden, code: "security-key-required",
                message: "Your account signs in with a security key, on the eCAF website; it cannot get an API token")
        }
        guard practitioner.totpSecret != nil else {
            guard !req.application.twoFactorRequired else {
                throw AppError(
                    status: .forbidden, code: "two-factor-not-set-up",
                    message: "Set up two-factor sign-in on the eCAF website first, then ask for a token with your code")
            }
            return
        }
        guard let code, !code.isEmpty else {
            throw AppError(
                status: .unauthorized, code: "code-required", message: "Enter the 6-digit code from your authenticator app",
                problems: [.init(field: "code", message: "Enter the 6-digit code from your authenticator app")])
        }
        guard try await TwoFactor.check(code, for: practitioner, channel: "api", turnTaken: true, on: req) else {
            throw AppError(
                status: .unauthorized, code: "invalid-code", message: "The code is not right or has been used",
                problems: [.init(field: "code", message: "The code is not right or has been used")])
        }
    }

    /// DELETE /api/v1/auth/token: ends this token at once.
    func deleteToken(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        guard let bearer = req.headers.bearerAuthorization else { throw AppError.unauthenticated }
        try await Auth.endToken(bearer.token, of: signedIn, on: req.db)
        return Response(status: .noContent)
    }

    /// GET /api/v1/me
    func me(req: Request) async throws -> Response {
        try MeDTO(try req.signedIn).json()
    }
}

extension AuthAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.delete(APIURL.token.pattern, use: deleteToken)
        routes.get(APIURL.me.pattern, use: me)
    }
}
