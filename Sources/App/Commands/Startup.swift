import Fluent
import SQLKit
import Vapor

/// Runs before any command (serve, migrate, demo): brings the schema up to date, refuses a
/// real database to `--demo` and `ecaf demo` (`DatabaseKind`), and under `--demo` seeds the demo LAs and personas, prints their sign-ins, and the first time adds a
/// modest CAF history for the measures.
struct Startup: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        try await app.autoMigrate()
        try await MilestoneTriggers.createMissing(on: app.db as! any SQLDatabase)
        try await DatabaseKind.check(app)
        try await SecretSealing.sealAll(app)
        app.passwordPepper = try await PasswordPepper.load(app)
        if app.isDemo {
            print(try await DemoData.seed(app))
            try await DemoHistory.seedOnce(app)
        }
    }
}

/// `ecaf migrate`, run once per release by a deployment: brings the database schema up to
/// date without serving (the migrations are run by `Startup` as the app boots; this reports
/// them), then puts back the milestone triggers where they differ from the current rules.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "Migrates the database (SQLite file or DATABASE_URL) to the latest schema, then exits"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let applied = try await app.migrator.previewPrepareBatch().get()
        context.console.print(applied.isEmpty ? "Database schema is up to date." : "Migrations still pending: \(applied.count)")
        let replaced = try await MilestoneTriggers.install(on: app.db as! any SQLDatabase)
        if !replaced.isEmpty {
            context.console.print(
                "Milestone rules brought up to date (\(replaced.map(\.rawValue).joined(separator: ", "))); every episode's worked out afresh."
            )
        }
    }
}
