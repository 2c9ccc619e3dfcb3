import Fluent
import Vapor

struct AuthAPIController {
    /// POST /api/v1/auth/token
    func createToken(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(TokenRequest.self)
        guard let signedIn = try await Auth.verify(email: body.email, password: body.password, channel: "api", on: req) else {
            throw AppError(
                status: .unauthorized, code: "invalid-credentials", message: "The e-mail address or password is not right")
        }
        let (token, expiresAt) = try await req.db.transaction { db in
            let issued = try await Auth.issueToken(for: signedIn, on: db)
            try await Audit.record(on: db, by: signedIn, .signIn, detail: "api")
            return issued
        }
        return try TokenResponse(token: token, expiresAt: expiresAt).json(.created)
    }

    /// DELETE /api/v1/auth/token: ends this token at once.
    func deleteToken(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        guard let bearer = req.headers.bearerAuthorization else { throw AppError.unauthenticated }
        try await req.db.transaction { db in
            try await APIToken.query(on: db).filter(\.$tokenHash == Auth.digest(bearer.token)).delete()
            try await Audit.record(on: db, by: signedIn, .signOut, detail: "api")
        }
        return Response(status: .noContent)
    }

    /// GET /api/v1/me
    func me(req: Request) async throws -> Response {
        try MeDTO(try req.signedIn).json()
    }
}
