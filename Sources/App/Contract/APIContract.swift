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

    /// What makes the document unfit to be a contract: a `$ref` that leads nowhere or back to
    /// itself, a pattern Swift cannot compile, a bound that is not a finite whole number, an
    /// empty `oneOf`, a keyword the checker does not know, a body that is not
    /// `application/json`. `configure` refuses to start on any of them.
    func documentProblems() -> [String] {
        var found: [String] = []
        func walk(_ node: JSONValue, _ at: String, refs: [String]) {
            guard case .object(let members) = node else { return }
            for (key, value) in members {
                switch key {
                case "$ref":
                    guard let reference = value.string, reference.hasPrefix("#/"), schema.resolved(node) != .null else {
                        found.append("\(at): $ref \(value.string ?? "") leads nowhere")
                        continue
                    }
                    guard !refs.contains(reference) else {
                        found.append("\(at): $ref \(reference) leads back to itself")
                        continue
                    }
                    walk(schema.target(of: reference) ?? .null, reference, refs: refs + [reference])
                case "pattern" where (try? Regex(value.string ?? "(")) == nil:
                    found.append("\(at): pattern \(value.string ?? "") does not compile")
                case "minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum":
                    guard case .number(let text) = value, let number = Double(text), Int(exactly: number) != nil else {
                        found.append("\(at): \(key) is not a whole number")
                        continue
                    }
                case "oneOf", "anyOf", "allOf":
                    guard let branches = value.array, !branches.isEmpty else {
                        found.append("\(at): \(key) has no branches")
                        continue
                    }
                    for branch in branches { walk(branch, at, refs: refs) }
                case "properties":
                    guard case .object(let properties) = value else { continue }
                    for (name, property) in properties { walk(property, "\(at).\(name)", refs: refs) }
                case "items", "if", "then": walk(value, "\(at)/\(key)", refs: refs)
                case _ where !JSONSchema.keywords.contains(key): found.append("\(at): unknown keyword \(key)")
                default: break
                }
            }
        }
        guard case .object(let paths)? = schema.document["paths"] else { return ["the document has no paths"] }
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods where method != "parameters" {
                let at = "\(method.uppercased()) \(path)"
                for parameter in (item["parameters"]?.array ?? []) + (operation["parameters"]?.array ?? []) {
                    walk(parameter["schema"] ?? .null, "\(at) \(parameter["name"]?.string ?? "")", refs: [])
                }
                guard let body = operation["requestBody"] else { continue }
                guard case .object(let content)? = body["content"], content.map(\.key) == ["application/json"] else {
                    found.append("\(at): a request body other than application/json alone")
                    continue
                }
                walk(content[0].value["schema"] ?? .null, "\(at) body", refs: [])
            }
        }
        return found
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
        // Only plain decimal digits, as the handlers read them (`1.0`, `1e0` and ` 1` are not).
        case "integer": text.wholeMatch(of: /-?[0-9]+/) != nil ? .number(text) : .string(text)
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
        // The route's method: Vapor answers HEAD with the GET route.
        guard let route = req.route, let operation = contract.operation(route.method, route.path) else {
            // OpenAPITests prove every API route is documented; an undocumented one is refused.
            throw AppError(
                status: .internalServerError, code: "undocumented", message: "This operation is not in the API document")
        }
        let problems = contract.queryProblems(req.url.query, for: operation)
        guard problems.isEmpty else { throw AppError.invalid(Self.capped(problems)) }
        if let body = operation.body {
            // Compared exactly: Vapor's == lets */* and application/* pass as JSON.
            guard let type = req.headers.contentType, type.type == "application", type.subType == "json",
                type.parameters["charset"].map({ $0.lowercased() == "utf-8" }) ?? true
            else { throw AppError.unsupportedMediaType }
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
            guard problems.isEmpty else { throw AppError.invalid(Self.capped(problems)) }
        }
        return try await next.respond(to: req)
    }

    /// An answer never echoes a hostile request back whole: 20 problems at most, each
    /// field name cut to 100 characters.
    static func capped(_ problems: [FieldProblem]) -> [FieldProblem] {
        problems.prefix(20).map { problem in
            guard problem.field.count > 100 else { return problem }
            let field = problem.field.prefix(100) + "…"
            return FieldProblem(field: String(field), message: "\(field) is not a documented field or is too long")
        }
    }
}
