import Foundation
import Testing

/// Issue 13, item 1 (in part): no role is read to decide anything outside CAFCore. The App's
/// sources hold no `roles.contains`, `hasRole`, or a set tested for one role by hand.
@Suite struct OneGateTests {
    @Test func noRoleIsReadToDecideOutsideCAFCore() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/App")
        let files =
            FileManager.default.enumerator(at: sources.standardized, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated()
            where line.contains("roles.contains") || line.contains("hasRole")
                || line.range(
                    of: #"contains\(\.(laAdmin|coordinator|safeguarding|manager|practitioner|analyst)\)"#,
                    options: .regularExpression) != nil
            {
                found.append("\(file.lastPathComponent):\(number + 1)")
            }
        }
        #expect(found.isEmpty, "role read outside CAFCore: \(found)")
    }
}
