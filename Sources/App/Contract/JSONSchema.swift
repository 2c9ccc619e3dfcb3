import CAFCore
import Foundation

/// Checks a JSON value against a schema of the API document: the part of JSON Schema
/// 2020-12 that the document uses (`$ref`, `type`, `enum`, `oneOf`, `anyOf`,
/// `if`/`then`, `properties`, `required`, `additionalProperties`, `items`,
/// `minItems`/`maxItems`, `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`, and the
/// formats `uuid`, `date` and `date-time`). Every problem names its field as a path such as
/// `consent.name` or `elements[3].level`. A keyword outside `keywords` in a request schema
/// is a defect in the document, and `BoundedInputTests` fail on it.
struct JSONSchema {
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "allOf", "oneOf", "anyOf", "if", "then", "properties", "required", "additionalProperties",
        "items",
        "minItems", "maxItems",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "format", "description", "examples", "default",
    ]

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && !["\t", "\n", "\r"].contains(scalar)) || scalar.value == 0x7F
    }

    /// The pattern of a text that must hold something other than spaces.
    static let notBlank = "\\S"

    /// The whole document, which `$ref`s point into.
    let document: JSONValue

    func problems(_ value: JSONValue, against schema: JSONValue, at path: String) -> [FieldProblem] {
        let schema = resolved(schema)
        let name = path.isEmpty ? "The request body" : path
        func problem(_ message: String) -> [FieldProblem] { [FieldProblem(field: path, message: "\(name) \(message)")] }

        // Rules across an object's fields (one of two, one required when another has some
        // value) are reported after its own fields' problems.
        var across: [FieldProblem] = []
        for keyword in ["oneOf", "anyOf"] {
            guard let branches = schema[keyword]?.array else { continue }
            let results = branches.map { problems(value, against: $0, at: path) }
            let matched = results.filter(\.isEmpty).count
            if matched == 1 || (matched > 1 && keyword == "anyOf") { continue }
            if let fields = requiredOnly(branches) {
                across.append(oneOfFields(fields, in: value, path: path, none: matched == 0))
                continue
            }
            if matched > 1 { return problem("matches more than one of the documented forms") }
            let allowed = branches.compactMap { resolved($0)["enum"]?.array }
            if allowed.count == branches.count { return problem("must be one of \(Self.list(allowed.flatMap { $0 }))") }
            return results.min { $0.count < $1.count } ?? []
        }
        across += (schema["allOf"]?.array ?? []).flatMap { problems(value, against: $0, at: path) }
        if let condition = schema["if"], problems(value, against: condition, at: path).isEmpty, let then = schema["then"] {
            across += problems(value, against: then, at: path)
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            return problem(value == .null ? "must not be null" : "must be one of \(Self.list(allowed))")
        }
        if let types = Self.types(schema), !types.contains(where: { Self.value(value, is: $0) }) {
            if value == .null { return problem("must not be null") }
            return problem("must be \(types.map(Self.describe).joined(separator: " or "))")
        }
        switch value {
        case .string(let text): return stringProblems(text, schema, problem) + across
        case .number(let text): return numberProblems(text, schema, problem) + across
        case .array(let items): return arrayProblems(items, schema, path: path, problem) + across
        case .object(let members): return objectProblems(members, schema, path: path) + across
        case .null, .bool: return across
        }
    }

    /// The fields of branches that each only require one field ("give one of these").
    private func requiredOnly(_ branches: [JSONValue]) -> [String]? {
        let fields = branches.compactMap { branch -> String? in
            guard case .object(let members) = resolved(branch), members.count == 1 else { return nil }
            return members.first { $0.key == "required" }?.value.array?.first?.string
        }
        return fields.count == branches.count ? fields : nil
    }

    /// None of the fields given, or (for oneOf) more than one: named by the first missing
    /// or the second given.
    private func oneOfFields(_ fields: [String], in value: JSONValue, path: String, none: Bool) -> FieldProblem {
        let named = fields.map { path.isEmpty ? $0 : "\(path).\($0)" }
        let choices = named.joined(separator: " or ")
        if none { return FieldProblem(field: named[0], message: "Give \(choices)") }
        let given = zip(fields, named).filter { value[$0.0] != nil }.map(\.1)
        return FieldProblem(field: given.dropFirst().first ?? named[0], message: "Give \(choices), not more than one")
    }

    func resolved(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.string else { return schema }
        return target(of: reference).map(resolved) ?? .null
    }

    /// What a `#/…` reference points at in the document; nil when it points nowhere.
    func target(of reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var target: JSONValue? = document
        for key in reference.dropFirst(2).split(separator: "/") { target = target?[String(key)] }
        return target
    }

    private func stringProblems(_ text: String, _ schema: JSONValue, _ problem: (String) -> [FieldProblem]) -> [FieldProblem] {
        // Control characters never belong in a text (PostgreSQL refuses NUL outright);
        // tabs and line breaks do.
        if text.unicodeScalars.contains(where: Self.isControl) { return problem("must not contain control characters") }
        // JSON Schema counts code points, as Unicode scalars do.
        let length = text.unicodeScalars.count
        if let maximum = schema["maxLength"].flatMap(Self.int), length > maximum {
            return problem("must be \(maximum) characters or fewer")
        }
        if let minimum = schema["minLength"].flatMap(Self.int), length < minimum {
            return problem(minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters")
        }
        if let pattern = schema["pattern"]?.string, let regex = try? Regex(pattern), text.firstMatch(of: regex) == nil {
            return problem(pattern == Self.notBlank ? "must not be blank" : "is not in the documented form (\(pattern))")
        }
        switch schema["format"]?.string {
        case "uuid" where UUID(uuidString: text) == nil: return problem("must be an id (a UUID)")
        case "date" where CalendarDate.parse(text) == nil:
            return problem("must be a real date written YYYY-MM-DD, for example 2026-03-27")
        case "date-time" where Self.dateTime(text) == nil:
            return problem("must be a date and time in ISO 8601, for example 2026-11-23T14:30:00Z")
        default: return []
        }
    }

    private func numberProblems(_ text: String, _ schema: JSONValue, _ problem: (String) -> [FieldProblem]) -> [FieldProblem] {
        guard let number = Double(text), number.isFinite else { return problem("is too large a number") }
        if let maximum = schema["maximum"].flatMap(Self.double), number > maximum {
            return problem("must be at most \(Self.format(maximum))")
        }
        if let minimum = schema["minimum"].flatMap(Self.double), number < minimum {
            return problem("must be at least \(Self.format(minimum))")
        }
        return []
    }

    private func arrayProblems(
        _ items: [JSONValue], _ schema: JSONValue, path: String, _ problem: (String) -> [FieldProblem]
    ) -> [FieldProblem] {
        if let maximum = schema["maxItems"].flatMap(Self.int), items.count > maximum {
            return problem("must have \(maximum) items or fewer")
        }
        if let minimum = schema["minItems"].flatMap(Self.int), items.count < minimum {
            return problem(minimum == 1 ? "must have at least one item" : "must have at least \(minimum) items")
        }
        guard let itemSchema = schema["items"] else { return [] }
        return items.enumerated().flatMap { index, item in problems(item, against: itemSchema, at: "\(path)[\(index)]") }
    }

    private func objectProblems(
        _ members: [(key: String, value: JSONValue)], _ schema: JSONValue, path: String
    ) -> [FieldProblem] {
        func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        let properties = schema["properties"]
        var found: [FieldProblem] = []
        for key in schema["required"]?.array?.compactMap(\.string) ?? [] where !members.contains(where: { $0.key == key }) {
            found.append(FieldProblem(field: field(key), message: "\(field(key)) is required"))
        }
        for (key, value) in members {
            if let property = properties?[key] {
                found += problems(value, against: property, at: field(key))
            } else if schema["additionalProperties"] == .bool(false) {
                found.append(FieldProblem(field: field(key), message: "\(field(key)) is not a documented field"))
            }
        }
        return found
    }

    // MARK: keywords' values

    private static func types(_ schema: JSONValue) -> [String]? {
        switch schema["type"] {
        case .string(let type)?: [type]
        case .array(let types)?: types.compactMap(\.string)
        default: nil
        }
    }

    private static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(let text)): Double(text).map { !$0.isFinite || $0.rounded() == $0 } ?? false
        default: false
        }
    }

    private static func describe(_ type: String) -> String {
        switch type {
        case "boolean": "true or false"
        case "integer": "a whole number"
        case "array": "a list"
        case "object": "an object"
        case "null": "null"
        default: "a \(type)"
        }
    }

    private static func list(_ values: [JSONValue]) -> String {
        var seen: Set<String> = []
        return values.map {
            switch $0 {
            case .string(let text): text
            case .number(let text): text
            case .bool(let flag): String(flag)
            default: "null"
            }
        }.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    private static func int(_ value: JSONValue) -> Int? { double(value).flatMap { Int(exactly: $0) } }

    private static func double(_ value: JSONValue) -> Double? {
        if case .number(let text) = value { Double(text) } else { nil }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// ISO 8601 date-times, with or without fractional seconds (as the API's decoder reads them).
    static func dateTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }
}
