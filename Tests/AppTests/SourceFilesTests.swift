import Foundation
import Testing

/// Rules over the shape of the code itself (issue 14).
@Suite struct SourceFilesTests {
    /// No source file holds more than 400 lines: a longer one is split by what it is about
    /// (an area's extension, a page's query file), so a reader finds each thing in its place.
    @Test func noSourceFileIsLongerThan400Lines() throws {
        let files = try SourceFiles.swift()
        #expect(files.count > 100)
        for (url, text) in files {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            #expect(lines <= 400, "\(url.path.replacingOccurrences(of: SourceFiles.root.path + "/", with: "")): \(lines) lines")
        }
    }

    /// Issue 14: the domain services never see an HTTP request; what a request carries (its
    /// address, session, query) is read in Web/ and handed to them as plain values.
    @Test func noServiceSeesARequest() throws {
        let services = try SourceFiles.swift(under: "App/Services")
        #expect(services.count > 25)
        for (url, text) in services {
            let sees = text.range(of: #"(?<![A-Za-z])Request(?![A-Za-z])|\breq\b"#, options: .regularExpression)
            #expect(sees == nil, "\(url.lastPathComponent) sees a request")
        }
    }

    /// Issue 14 item 7: the database is reached as SQL through `Database.sql`, not a forced
    /// cast at every query (migrations, never edited once landed, keep theirs).
    @Test func theDatabaseIsReachedAsSQLThroughOneAccessor() throws {
        for (url, text) in try SourceFiles.swift() where !url.path.contains("/Migrations/") {
            #expect(!text.contains("as! any SQLDatabase"), "\(url.lastPathComponent) casts the database itself")
        }
    }
}
