import Foundation
import Testing

/// Issue 13, item 1: every decision is CAFCore's, and every refusal leaves through one gate.
@Suite struct OneGateTests {
    /// Each line of the App's Swift sources, named `File.swift:line`.
    func appSourceLines() throws -> [(place: String, line: Substring)] {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/App")
        let files =
            FileManager.default.enumerator(at: sources.standardized, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        return try files.flatMap { file in
            try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { ("\(file.lastPathComponent):\($0.offset + 1)", $0.element) }
        }
    }

    /// No `roles.contains`, `hasRole`, or a set tested for one role by hand.
    @Test func noRoleIsReadToDecideOutsideCAFCore() throws {
        let found = try appSourceLines().filter { _, line in
            line.contains("roles.contains") || line.contains("hasRole")
                || line.range(
                    of: #"contains\(\.(laAdmin|coordinator|safeguarding|manager|practitioner|analyst)\)"#,
                    options: .regularExpression) != nil
        }
        #expect(found.isEmpty, "role read outside CAFCore: \(found.map(\.place))")
    }

    /// A 403 is made only by `Access.refuse`, which audits it first. The two exceptions are not
    /// decisions about data: an expired form (CSRF) and a sign-in still waiting for its second
    /// factor.
    @Test func everyRefusalGoesThroughTheOneGate() throws {
        let exempt = ["Access.swift", "AppError.swift", "CSRF.swift", "AuthAPIController.swift"]
        let found = try appSourceLines().filter { place, line in
            !exempt.contains(String(place.prefix { $0 != ":" }))
                && line.range(of: #"\.forbidden\(|status:\s*\.forbidden|Abort\(\.forbidden"#, options: .regularExpression)
                    != nil
        }
        #expect(found.isEmpty, "a 403 made outside Access.refuse: \(found.map(\.place))")
    }
}
