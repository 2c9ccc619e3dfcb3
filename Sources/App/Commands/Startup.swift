import Fluent
import SQLKit
import Vapor

/// Runs before any command (serve, migrate, demo): brings the schema up to date (or, as a
/// serving role, checks it is), refuses a
/// real database to `--demo` and `ecaf demo` (`DatabaseKind`), and under `--demo` seeds the demo LAs and personas, prints their sign-ins, and the first time adds a
/// modest CAF history for the measures.
struct Startup: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        // Before anything is migrated: a role that could rewrite the audit log does not serve.
        if app.servingRole.refusesSchemaOwner,
            let problem = try await ServingRole.ownershipProblem(on: app.db.sql)
        {
            throw ServingRole.Refusal(description: problem)
        }
        try await ServingRole.migrate(app)
        try await MilestoneTriggers.createMissing(on: app.db.sql)
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
        let replaced = try await MilestoneTriggers.install(on: app.db.sql)
        if !replaced.isEmpty {
            context.console.print(
                "Milestone rules brought up to date (\(replaced.map(\.rawValue).joined(separator: ", "))); every episode's worked out afresh."
            )
        }
        if let role = app.servingRole.role {
            let sql = app.db.sql
            guard sql.dialect.name == "postgresql" else {
                context.console.print("ECAF_SERVING_ROLE is for PostgreSQL; a SQLite file has no roles.")
                return
            }
            try await ServingRole.grant(to: role, on: sql)
            context.console.print("\(role) may now serve: it may add to the audit log, never change it.")
        }
    }
}
