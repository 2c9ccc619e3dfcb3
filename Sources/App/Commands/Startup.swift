import Fluent
import Vapor

/// Runs before any command (serve, migrate, demo): brings the schema up to date, refuses a
/// real database to `--demo` and `ecaf demo` (`DatabaseKind`), and under `--demo` seeds the demo LAs and personas, prints their sign-ins, and the first time adds a
/// modest CAF history for the measures.
struct Startup: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        try await app.autoMigrate()
        try await DatabaseKind.check(app)
        try await SecretSealing.sealAll(app)
        if app.isDemo {
            print(try await DemoData.seed(app))
            try await DemoHistory.seedOnce(app)
        }
    }
}

/// `ecaf migrate`: brings the database schema up to date without serving (the work is
/// done by `Startup` as the app boots; this reports it).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "Migrates the database (SQLite file or DATABASE_URL) to the latest schema, then exits"

    func run(using context: CommandContext, signature: Signature) async throws {
        let applied = try await context.application.migrator.previewPrepareBatch().get()
        context.console.print(applied.isEmpty ? "Database schema is up to date." : "Migrations still pending: \(applied.count)")
    }
}
