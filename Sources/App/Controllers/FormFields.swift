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
