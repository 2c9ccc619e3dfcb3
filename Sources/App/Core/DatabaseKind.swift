import Fluent
import Foundation
import Vapor

/// A database is a demo one or a real one, decided once, when it is first used: an empty
/// database takes the kind of the command that made it (`--demo` or `ecaf demo`: a demo);
/// one that already held accounts before this was recorded is a demo only if it holds the
/// demo personas. `--demo` and `ecaf demo` refuse a real database.
final class DatabaseKind: Model, @unchecked Sendable {
    static let schema = "database_kind"

    @ID(key: .id) var id: UUID?
    @Field(key: "demo") var demo: Bool
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $demo, $recordedAt] }
    init() {}
    init(demo: Bool) {
        self.demo = demo
        self.recordedAt = Date()
    }

    struct NotADemo: Error, CustomStringConvertible {
        var description: String {
            "This database was not made for the demo, so --demo (or ecaf demo) will not seed demo accounts into it. "
                + "Run without --demo, or point DATABASE_URL or ECAF_SQLITE_PATH at another database."
        }
    }

    /// Records the kind the first time, and refuses a real database to a demo command.
    static func check(_ app: Application) async throws {
        let recorded = try await DatabaseKind.query(on: app.db).first()
        let kind: DatabaseKind
        if let recorded {
            kind = recorded
        } else {
            let empty = try await Practitioner.query(on: app.db).count() == 0
            let demo =
                empty
                ? app.demoDatabase
                : try await Practitioner.query(on: app.db).filter(\.$email ~~ DemoData.personas.map(\.email)).count() > 0
            kind = DatabaseKind(demo: demo)
            try await kind.create(on: app.db)
        }
        if app.demoDatabase && !kind.demo { throw NotADemo() }
    }
}
