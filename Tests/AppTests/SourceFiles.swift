import Foundation

/// The project's own Swift sources, for tests that hold a rule over the code itself.
enum SourceFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    /// Each Swift file under `Sources/<folder>` (all of `Sources` by default), with its text.
    static func swift(under folder: String = "") throws -> [(url: URL, text: String)] {
        let top = root.appendingPathComponent("Sources/\(folder)")
        let files =
            FileManager.default.enumerator(at: top, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return try files.map { ($0, try String(contentsOf: $0, encoding: .utf8)) }
    }
}
