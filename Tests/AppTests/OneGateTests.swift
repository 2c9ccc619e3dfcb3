import Foundation
import Testing

/// Issue 13, item 1: every decision is CAFCore's, and every refusal leaves through one gate.
@Suite struct OneGateTests {
    /// Each line of the App's Swift sources (or of one folder of them), named `File.swift:line`.
    func appSourceLines(in folder: String = "") throws -> [(place: String, line: Substring)] {
        let files = try SourceFiles.swift(under: "App/\(folder)")
        #expect(files.count > 20)
        return files.flatMap { file, text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { ("\(file.lastPathComponent):\($0.offset + 1)", $0.element) }
        }
    }

    /// A page offers exactly what a request would be allowed only if both ask the same entry:
    /// controllers and views take their "may" flags from `Access` (`reach`, `permissions`,
    /// `may`), never from `AccessPolicy` itself.
    @Test func pagesTakeTheirMayFlagsFromAccess() throws {
        let found = try (appSourceLines(in: "Controllers") + appSourceLines(in: "Views")).filter { _, line in
            let code = line.trimmingCharacters(in: .whitespaces)
            return !code.hasPrefix("//") && code.contains("AccessPolicy.")
        }
        #expect(found.isEmpty, "a controller or view asks AccessPolicy directly: \(found.map(\.place))")
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

    /// A 403 is made only by `Access.refuse`, which audits it first (and
    /// `AuthorisationTableTests` checks every refusal it meets left an audit entry). The
    /// exceptions are not decisions about data: an expired form, and an API sign-in whose
    /// second factor is not set up or is a security key (each audited where it is made).
    /// Reading a status (`== .forbidden`, an error page's title) makes none.
    @Test func everyRefusalGoesThroughTheOneGate() throws {
        let makers = [
            ("Access.swift", "throw AppError.forbidden(message, denial: denial)"),
            ("AppError.swift", #"AppError(status: .forbidden, code: "forbidden""#),
            ("CSRF.swift", #"status: .forbidden, code: "form-expired""#),
            ("AuthAPIController.swift", #"status: .forbidden, code: "two-factor-not-set-up""#),
            ("AuthAPIController.swift", #"status: .forbidden, code: "security-key-required""#),
        ]
        let found = try appSourceLines().filter { place, line in
            let code = line.trimmingCharacters(in: .whitespaces)
            let file = String(place.prefix { $0 != ":" })
            guard !code.hasPrefix("//"), code.range(of: #"\.forbidden\b|\b403\b"#, options: .regularExpression) != nil
            else { return false }
            let readsAStatus = code.contains("== .forbidden") || code.hasPrefix("case .forbidden:")
            return !readsAStatus && !makers.contains { $0.0 == file && code.contains($0.1) }
        }
        #expect(found.isEmpty, "a 403 made outside Access.refuse: \(found.map(\.place))")
    }
}
