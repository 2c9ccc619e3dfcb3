import CAFCore
import Vapor

/// The fields of an HTML form post (application/x-www-form-urlencoded), read as plain
/// strings: pages validate in CAFCore and re-render with what was typed, so a missing or
/// odd field must never fail decoding.
struct FormFields {
    private let storage: [String: [String]]

    init(_ req: Request) {
        var values: [String: [String]] = [:]
        let body = req.body.string ?? ""
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            values[key, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        self.storage = values
    }

    subscript(_ name: String) -> String { storage[name]?.first ?? "" }

    func all(_ name: String) -> [String] { storage[name] ?? [] }

    /// The first value of every field, to put back into a form that came back with problems.
    var values: [String: String] { storage.compactMapValues(\.first) }
}

extension FormFields {
    /// The longest each form field may be, as the API document bounds the same thing: long
    /// narratives 10,000 characters, notes and reasons 2,000, an address 500, an e-mail 254,
    /// a place or an organisation 200; a security key's answer 4,000 (base64url; a credential
    /// id alone may be 1,023 bytes); any field not named here is short (100, a name).
    static func maxLength(of field: String) -> Int {
        let narratives = [
            "adviceNote", "childViews", "close-note", "conclusions", "decisions", "handoverNote", "identifying.disabilityDetails",
            "identifying.specialRequirements", "minutes", "parentViews", "peoplePresent", "reason", "reasonForAssessment",
            "stepDownNote",
        ]
        let notes = ["note", "description", "mergeReason", "breakGlassReason"]
        let places = [
            "organisationName", "place", "school", "gpPractice", "service", "role", "practitionerName", "spokeTo", "ownerAgency",
            "assessor.organisation", "q",
        ]
        switch field {
        case _ where SecurityKeys.answerFields.contains(field): return 4_000
        case _ where narratives.contains(field) || ["strengths.", "needs.", "family."].contains(where: field.hasPrefix):
            return 10_000
        case _ where notes.contains(field) || field.hasPrefix("outcomeNote.") || field.hasSuffix("-reason"): return 2_000
        case _ where field.hasSuffix("address"): return 500
        case _ where field.hasSuffix("mail"): return 254
        case _ where places.contains(field): return 200
        case _ where field.lowercased().hasSuffix("password"): return 128
        default: return 100
        }
    }

    /// The first field longer than it may be (in code points, as the API counts) or holding
    /// a control character, so a page refuses it before anything reads it.
    var refused: FieldProblem? {
        for (field, values) in storage.sorted(by: { $0.key < $1.key }) {
            let limit = Self.maxLength(of: field)
            let name = String(field.prefix(100))
            if field.unicodeScalars.count > 100 || values.contains(where: { $0.unicodeScalars.count > limit }) {
                return FieldProblem(field: name, message: "\(name) must be \(limit) characters or fewer")
            }
            if values.contains(where: { $0.unicodeScalars.contains(where: JSONSchema.isControl) }) {
                return FieldProblem(field: name, message: "\(name) must not contain control characters")
            }
        }
        return nil
    }
}

/// Every page POST's fields are bounded before any handler reads them (after the CSRF check,
/// which collects the body): an over-long field, or one with a control character, is refused
/// with a 422 naming it.
struct FormBoundsMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .POST, let problem = FormFields(req).refused { throw AppError.invalid([problem]) }
        return try await next.respond(to: req)
    }
}
