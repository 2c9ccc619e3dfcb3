import Crypto
import Vapor

/// Anti-forgery tokens for every HTML form: one random token per session, sent back in a
/// hidden field and compared on every page POST. The JSON API uses bearer tokens, which a
/// browser never sends by itself, so it needs none.
enum CSRF {
    static let field = "csrfToken"

    static func token(for req: Request) -> String {
        if let token = req.session.data[field] { return token }
        let token = Auth.randomToken()
        req.session.data[field] = token
        return token
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .POST else { return try await next.respond(to: req) }
        // Middleware runs before the route collects the body, so collect it here.
        _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
        let sent = FormFields(req)[CSRF.field]
        // Digests compare in constant time, so the token cannot be guessed byte by byte.
        guard let expected = req.session.data[CSRF.field], !sent.isEmpty,
            SHA256.hash(data: Data(sent.utf8)) == SHA256.hash(data: Data(expected.utf8))
        else {
            throw AppError(
                status: .forbidden, code: "form-expired",
                message: "This form has expired or did not come from eCAF. Go back, reload the page and try again.")
        }
        return try await next.respond(to: req)
    }
}
