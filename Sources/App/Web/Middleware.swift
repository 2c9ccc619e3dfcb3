import CAFCore
import FluentSQLiteDriver
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
                        related: appError.related.isEmpty ? nil : appError.related,
                        changes: appError.changes.isEmpty
                            ? nil
                            : appError.changes.map {
                                .init(part: $0.part.rawValue, revision: $0.revision, savedBy: $0.savedBy, savedAt: $0.savedAt)
                            }))
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
        if let conflict = error as? AssessmentConflict { return conflict.appError }
        if (error as? SQLiteError)?.reason == .busy || error is ConnectionPoolTimeoutError {
            // The SQLite file stayed held past the wait (`sqliteBusyWait`), or no database
            // connection came free in time: logged, as load or a held lock, and refused.
            req.logger.warning("database busy: \(String(reflecting: error))")
            return AppError(
                status: .serviceUnavailable, code: "busy",
                message:
                    "eCAF is busy just now: try again in a moment. If it keeps happening tell the service desk this reference: \(req.reference)",
                headers: ["Retry-After": "2"])
        }
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
        // The request id ties what the person quotes to the one log line with the detail.
        req.logger.report(error: error)
        return AppError(
            status: .internalServerError, code: "internal-error",
            message:
                "Something went wrong on our side. Nothing you sent was lost or half-saved; try again, and if it keeps happening tell the service desk this reference: \(req.reference)"
        )
    }
}

/// Headers for every response: no caching of personal data, no framing, no sniffing,
/// no referrer leaks, a CSP that allows no inline script, and API answers as attachments.
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
        // An API answer opened in a browser is a download, never a page (ASVS V14.4.2, V12.3.4).
        if req.url.path.hasPrefix("/api/"), response.headers.first(name: .contentDisposition) == nil {
            response.headers.replaceOrAdd(name: .contentDisposition, value: #"attachment; filename="api.json""#)
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
            // A method no page or client of ours sends is a probe, or a client gone wrong (ASVS V14.5.1).
            req.logger.warning("method refused: \(req.method.rawValue) \(req.url.path) answers \(list)")
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

/// Vapor takes a request's id from its `X-Request-Id` header when there is one, so that a
/// proxy's id follows the request into the logs. Only a proxy we trust may name it (with
/// ECAF_TRUST_FORWARDED, as for client addresses), and only as 1 to 64 letters, digits, dots,
/// hyphens or underscores; otherwise the logs, and the reference a person is shown, use a
/// fresh one, so no client can write markup into the log or reuse another request's id
/// (ASVS V7.3.1).
struct RequestReference: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !(req.application.throttle.trustForwarded && Self.wellFormed(req.id)) {
            req.logger[metadataKey: "request-id"] = .string(UUID().uuidString)
        }
        return try await next.respond(to: req)
    }

    static func wellFormed(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }
}

extension Request {
    /// The id this request is logged under, for a person to quote to the service desk.
    var reference: String {
        if case .string(let id) = logger[metadataKey: "request-id"] { return id }
        return id
    }
}
