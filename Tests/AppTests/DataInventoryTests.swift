import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// ASVS V1.8.1, V8.3.4, V1.5.1: docs/data.md classifies every column the database holds, so a
/// new field cannot arrive without someone saying what it is and how it is handled.
@Suite struct DataInventoryTests {
    /// The name search's own index, and the transaction that wrote each audit event (for the
    /// sealer), which only one of the two databases has.
    static let oneDatabaseOnly: Set<String> = [
        "child_name_search", "child_name_search_config", "child_name_search_content", "child_name_search_data",
        "child_name_search_docsize", "child_name_search_idx", "name_words", "child_names.words", "audit_events.written_in",
    ]

    @Test func dataInventoryNamesEveryColumnOnce() async throws {
        let page = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../docs/data.md"), encoding: .utf8)
        let classes = Set(
            page.matches(of: #/(?m)^\| ([a-z ]+) \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \|$/#)
                .map { String($0.output.1) }.filter { $0 != "Class" })
        #expect(classes.count == 8, "\(classes.sorted())")
        var classified: [String: String] = [:]
        for row in page.matches(of: #/(?m)^\| `([a-z_0-9]+)` \| ([a-z ]+) \| ([a-z_0-9, ]+) \|$/#) {
            #expect(classes.contains(String(row.output.2)), "\(row.output.1): no rules for class \(row.output.2)")
            for column in row.output.3.split(separator: ",") {
                let key = "\(row.output.1).\(column.trimmingCharacters(in: .whitespaces))"
                #expect(classified.updateValue(String(row.output.2), forKey: key) == nil, "\(key) is classified twice")
            }
        }
        #expect(classified.count > 300)

        try await TestWorld.run { (world: TestWorld) async throws in
            let sql = world.app.db as! any SQLDatabase
            var columns: Set<String> = []
            if TestWorld.onPostgres {
                for row in try await sql.raw(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                ).all() {
                    columns.insert(
                        "\(try row.decode(column: "table_name", as: String.self)).\(try row.decode(column: "column_name", as: String.self))"
                    )
                }
            } else {
                let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                for table in tables {
                    for row in try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all() {
                        columns.insert("\(table).\(try row.decode(column: "name", as: String.self))")
                    }
                }
            }
            #expect(columns.count > 300)
            for column in columns.sorted() where classified[column] == nil {
                Issue.record("\(column) is not classified in docs/data.md")
            }
            for column in classified.keys.sorted() where !columns.contains(column) {
                let table = String(column.prefix { $0 != "." })
                #expect(
                    Self.oneDatabaseOnly.contains(table) || Self.oneDatabaseOnly.contains(column),
                    "docs/data.md names \(column), which the database does not have")
            }
        }
    }
}
