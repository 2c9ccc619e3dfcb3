import CAFCore
import Vapor

extension Request {
    /// Decodes a JSON request body that `ContractMiddleware` has already held to the API
    /// document (content type, size, strict JSON, the schema). What the schema cannot say
    /// still fails here as a 422 naming the field.
    func decodeJSON<T: Decodable>(_ type: T.Type) async throws -> T {
        let data = body.data.map { Data($0.readableBytesView) } ?? Data()
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(Self.decodeDate)
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw AppError.invalid([Self.problem(error)])
        }
    }

    /// Written here rather than `.iso8601` so a bad date names its field (Foundation's loses
    /// the coding path).
    @Sendable private static func decodeDate(_ decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        guard let date = JSONSchema.dateTime(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be an ISO 8601 date-time, for example 2026-11-23T14:30:00Z")
        }
        return date
    }

    private static func problem(_ error: DecodingError) -> FieldProblem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { path, key in
                if let index = key.intValue { return "\(path)[\(index)]" }
                return path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return FieldProblem(field: field, message: "\(field) is required")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return FieldProblem(field: field, message: "\(field) must not be null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return FieldProblem(field: field, message: "\(field) must be \(describe(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return FieldProblem(field: field, message: "\(field): \(context.debugDescription)")
        @unknown default:
            return FieldProblem(field: "", message: "The request body does not match the expected shape")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

extension Encodable {
    /// A JSON response; API responses carry personal data, so `Cache-Control: no-store`
    /// is set for every response by `SecurityHeaders`.
    func json(_ status: HTTPResponseStatus = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(self)))
    }
}
