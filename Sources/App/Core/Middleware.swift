import CAFCore
import Vapor

/// Turns every error into the API's JSON error or a plain HTML page. Nothing internal
/// (stack traces, SQL, type names) ever reaches a user; unexpected errors are logged
/// with the request id.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let appError = Self.appError(for: error, req: req)
            if req.url.path.hasPrefix("/api/") {
                let body = ErrorBody(
                    error: .init(
                        code: appError.code, message: appError.message, field: appError.field,
                        problems: appError.problems.isEmpty
                            ? nil : appError.problems.map { .init(field: $0.field, message: $0.message) },
                        related: appError.related.isEmpty ? nil : appError.related))
                let response = (try? body.json(appError.status)) ?? Response(status: appError.status)
                if appError.status == .unauthorized {
                    response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
                }
                response.headers.add(contentsOf: appError.headers)
                return response
            }
            let survivor = appError.code == "child-merged" ? appError.related.first : nil
            let response = ErrorPage(
                status: appError.status, message: appError.message,
                next: survivor.map { ("Open the record that was kept", SiteURL.child($0)) }
            ).render(PageContext(req)).response(appError.status)
            response.headers.add(contentsOf: appError.headers)
            return response
        }
    }

    static func appError(for error: any Error, req: Request) -> AppError {
        if let appError = error as? AppError { return appError }
        if let abort = error as? any AbortError {
            switch abort.status {
            case .notFound: return AppError(status: .notFound, code: "not-found", message: "There is nothing at this address")
            case .payloadTooLarge:
                return AppError(
                    status: .payloadTooLarge, code: "payload-too-large", message: "The request body is larger than eCAF accepts")
            case .unsupportedMediaType: return AppError.unsupportedMediaType
            case .badRequest: return AppError(status: .badRequest, code: "bad-request", message: "The request could not be read")
            case .methodNotAllowed:
                return AppError(status: .methodNotAllowed, code: "method-not-allowed", message: "That method is not allowed here")
            default: break
            }
        }
        req.logger.report(error: error)
        return AppError(
            status: .internalServerError, code: "internal-error",
            message:
                "Something went wrong on our side. Nothing you sent was lost or half-saved; try again, and tell the service desk if it keeps happening."
        )
    }
}

/// Headers for every response: no caching of personal data, no framing, no sniffing,
/// no referrer leaks, and a CSP that allows no inline script.
struct SecurityHeaders: AsyncMiddleware {
    let secureCookies: Bool

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let headers = [
            (
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            ),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if !req.url.path.hasPrefix("/assets/") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if secureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}

/// An address that exists answers a method it does not serve with 405 and the methods it
/// does serve in `Allow` (RFC 9110 §15.5.6), rather than the router's 404.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch let error as any AbortError where error.status == .notFound && req.route == nil {
            let path = req.url.path.split(separator: "/").map(String.init)
            var allowed = Set(req.application.routes.all.filter { Self.matches($0.path, path) }.map(\.method.rawValue))
            guard !allowed.isEmpty else { throw error }
            if allowed.contains("GET") { allowed.insert("HEAD") }
            let list = allowed.sorted().joined(separator: ", ")
            throw AppError(
                status: .methodNotAllowed, code: "method-not-allowed",
                message: "This address answers \(list) only", headers: ["Allow": list])
        }
    }

    private static func matches(_ pattern: [PathComponent], _ path: [String]) -> Bool {
        for (index, component) in pattern.enumerated() {
            switch component {
            case .catchall: return path.count > index
            case .constant(let text): if index >= path.count || path[index] != text { return false }
            case .parameter, .anything: if index >= path.count { return false }
            }
        }
        return pattern.count == path.count
    }
}
