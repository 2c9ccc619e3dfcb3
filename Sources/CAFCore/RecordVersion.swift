import Foundation

/// The version of a record people change one change at a time (an action of the plan), as the
/// API's `ETag` and `If-Match` carry it: `"3"`.
public enum RecordVersion {
    public static func etag(_ version: Int) -> String { "\"\(version)\"" }

    /// Nil for anything that is not such an ETag (weak ones are read as strong).
    public static func parse(_ etag: String) -> Int? {
        var text = Substring(etag.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count >= 3, text.count <= 12, text.hasPrefix("\""), text.hasSuffix("\""),
            let version = Int(text.dropFirst().dropLast()), version > 0
        else { return nil }
        return version
    }
}
