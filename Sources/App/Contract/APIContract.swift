import CAFCore
import Foundation
import Vapor

/// The API document as the server's contract: every API request is checked against its
/// operation (query parameters, content type, body) before a handler runs, so the server
/// refuses exactly what the document says it refuses, and nothing out of bounds reaches
/// a handler. Rules the document cannot say in a schema (one field or another, a reason
/// for some choices) stay in CAFCore and are described beside the field.
struct APIContract: Sendable {
    struct Operation: Sendable {
        let parameters: [String: JSONValue]
        let requiredParameters: [String]
        let body: JSONValue?
    }

    static let shared: APIContract = {
        do {
            return try APIContract(document: JSONParser.parse(OpenAPIDocument.data))
        } catch {
            fatalError("openapi.json is not valid JSON: \(error)")
        }
    }()

    let schema: JSONSchema
    private let operations: [String: Operation]

    init(document: JSONValue) {
        schema = JSONSchema(document: document)
        var operations: [String: Operation] = [:]
        guard case .object(let paths)? = document["paths"] else {
            self.operations = [:]
            return
        }
        for (path, item) in paths {
            guard case .object(let members) = item else { continue }
            let shared = item["parameters"]?.array ?? []
            for (method, operation) in members where method != "parameters" {
                let query = (shared + (operation["parameters"]?.array ?? [])).filter { $0["in"] == .string("query") }
                var parameters: [String: JSONValue] = [:]
                for parameter in query { if let name = parameter["name"]?.string { parameters[name] = parameter["schema"] } }
                operations["\(method.uppercased()) \(path)"] = Operation(
                    parameters: parameters,
                    requiredParameters: query.filter { $0["required"] == .bool(true) }.compactMap { $0["name"]?.string },
                    body: operation["requestBody"]?["content"]?["application/json"]?["schema"])
            }
        }
        self.operations = operations
    }

    /// The operation for a route, keyed as the document writes it (`POST /api/v1/children/{id}/names`).
    func operation(_ method: HTTPMethod, _ route: [PathComponent]) -> Operation? {
        let path = route.map { component -> String in
            switch component {
            case .parameter(let name): "{\(name)}"
            default: component.description
            }
        }
        return operations["\(method.rawValue) /\(path.joined(separator: "/"))"]
    }

    /// Query parameters, each given once, declared and valid; the first problem found fails
    /// the request before anything reads it.
    func queryProblems(_ query: String?, for operation: Operation) -> [FieldProblem] {
        var seen: Set<String> = []
        var problems: [FieldProblem] = []
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decode(parts[0]), let text = parts.count > 1 ? decode(parts[1]) : "" else {
                problems.append(FieldProblem(field: "", message: "The query string is not correctly percent-encoded"))
                continue
            }
            guard let parameterSchema = operation.parameters[name] else {
                problems.append(FieldProblem(field: name, message: "\(name) is not a parameter of this request"))
                continue
            }
            guard seen.insert(name).inserted else {
                problems.append(FieldProblem(field: name, message: "\(name) is given more than once"))
                continue
            }
            problems += schema.problems(
                Self.value(text, as: schema.resolved(parameterSchema)), against: parameterSchema, at: name)
        }
        for name in operation.requiredParameters where !seen.contains(name) {
            problems.append(FieldProblem(field: name, message: "\(name) is required"))
        }
        return problems
    }

    /// A query value as the JSON its schema describes: a number only if it is written as
    /// one, a boolean only if it is `true` or `false`; anything else stays a string and
    /// fails the type check with a message naming the parameter.
    private static func value(_ text: String, as schema: JSONValue) -> JSONValue {
        switch schema["type"]?.string {
        case "integer", "number":
            (try? JSONParser.parse(Array(text.utf8))).flatMap { if case .number = $0 { $0 } else { nil } } ?? .string(text)
        case "boolean": text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        default: .string(text)
        }
    }
}

/// Holds every API request to the contract. Runs after sign-in, so a caller learns nothing
/// about the API's shapes before proving who they are (the token route has no sign-in).
struct ContractMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let contract = APIContract.shared
        guard let route = req.route, let operation = contract.operation(req.method, route.path) else {
            // OpenAPITests prove every API route is documented; an undocumented one is refused.
            throw AppError(
                status: .internalServerError, code: "undocumented", message: "This operation is not in the API document")
        }
        let problems = contract.queryProblems(req.url.query, for: operation)
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        if let body = operation.body {
            guard req.headers.contentType == .json else { throw AppError.unsupportedMediaType }
            let limit = req.application.routes.defaultMaxBodySize.value
            let buffer = try await req.body.collect(max: limit).get()
            // A body that arrived whole is not re-checked by collect(max:), so check here.
            guard (buffer?.readableBytes ?? 0) <= limit else { throw Abort(.payloadTooLarge) }
            let value: JSONValue
            do {
                value = try JSONParser.parse(buffer?.readableBytesView ?? ByteBuffer().readableBytesView)
            } catch {
                throw AppError(
                    status: .badRequest, code: "malformed-json", message: "The request body is not valid JSON: \(error.message)")
            }
            let problems = contract.schema.problems(value, against: body, at: "")
            guard problems.isEmpty else { throw AppError.invalid(problems) }
        }
        return try await next.respond(to: req)
    }
}
