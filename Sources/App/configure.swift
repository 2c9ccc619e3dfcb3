import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// How this process runs, from the environment (see `.env.example`).
public struct Settings: Sendable {
    public enum Store: Sendable {
        /// The embedded default: one file, zero set-up.
        case sqliteFile(String)
        /// For tests: a private in-memory database.
        case sqliteMemory
        /// Production: `DATABASE_URL=postgres://…`.
        case postgres(String)
    }

    public var store: Store
    /// `serve --demo`: seed the demo LAs and personas, and print their sign-ins.
    public var demo: Bool
    /// A command that makes or uses a demo database (`--demo`, `ecaf demo`): refused a real
    /// one (`DatabaseKind`).
    public var demoDatabase: Bool
    /// Set `Secure` on cookies and send HSTS; on whenever eCAF is served over TLS.
    public var secureCookies: Bool
    /// Every account must sign in with a TOTP code; only `--demo` relaxes it (accounts
    /// that have set it up still need their code).
    public var twoFactorRequired: Bool
    var lockout = Lockout()

    public init(
        store: Store, demo: Bool = false, demoDatabase: Bool? = nil, secureCookies: Bool = false,
        twoFactorRequired: Bool? = nil
    ) {
        self.store = store
        self.demo = demo
        self.demoDatabase = demoDatabase ?? demo
        self.secureCookies = secureCookies
        self.twoFactorRequired = twoFactorRequired ?? !demo
    }

    public static func fromEnvironment(demo: Bool, demoDatabase: Bool? = nil) -> Settings {
        let env = ProcessInfo.processInfo.environment
        let store: Store =
            if let url = env["DATABASE_URL"], !url.isEmpty { .postgres(url) } else {
                .sqliteFile(env["ECAF_SQLITE_PATH"] ?? "data/ecaf.sqlite")
            }
        var settings = Settings(
            store: store, demo: demo, demoDatabase: demoDatabase, secureCookies: env["ECAF_SECURE_COOKIES"] == "true")
        if let attempts = env["ECAF_LOCKOUT_ATTEMPTS"].flatMap(Int.init), attempts > 0 { settings.lockout.attempts = attempts }
        if let minutes = env["ECAF_LOCKOUT_MINUTES"].flatMap(Double.init), minutes > 0 { settings.lockout.window = minutes * 60 }
        return settings
    }
}

public func configure(_ app: Application, _ settings: Settings) async throws {
    switch settings.store {
    case .sqliteFile(let path):
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        // WAL survives in the file; synchronous is FULL by default in the bundled SQLite,
        // and foreign keys are switched on for every connection by the driver.
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        try app.databases.use(.postgres(url: url, sqlLogLevel: .debug), as: .psql)
    }

    app.migrations.add(CreatePeople())
    app.migrations.add(CreateChildren())
    app.migrations.add(CreateEpisodes())
    app.migrations.add(CreateAuditEvents())
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(AddSocialCareContacts())
    app.migrations.add(CreatePreAssessments())
    app.migrations.add(AddConsentKinds())
    app.migrations.add(CreateTeamAroundTheChild())
    app.migrations.add(CreateActionPlans())
    app.migrations.add(CreateClosures())
    app.migrations.add(CreateAccessRequests())
    app.migrations.add(ChainAuditEvents())
    app.migrations.add(AddChildIdentifiers())
    app.migrations.add(CreateBreakGlassGrants())
    app.migrations.add(CreateChildNames())
    app.migrations.add(AddTwoFactor())
    app.migrations.add(AddPostcodeDistricts())
    app.migrations.add(AddWhereabouts())
    app.migrations.add(IndexNameWords())
    app.migrations.add(AddNameBirthDates())
    app.migrations.add(CreateInvolvements())
    app.migrations.add(AddUnborn())
    app.migrations.add(AddChildMerges())
    app.migrations.add(CreateTimeRecording())
    app.migrations.add(AddAssessmentLevels())
    app.migrations.add(AddMeasureIndexes())
    app.migrations.add(AddEpisodeMilestones())
    app.migrations.add(CreateRoleGrants())
    app.migrations.add(AddCredentialsChangedAt())
    app.migrations.add(CreateDatabaseKind())

    // Sessions live in the database, so app servers hold no state of their own.
    app.sessions.use(.fluent)
    let secure = settings.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: "ecaf_session") { id in
        HTTPCookies.Value(string: id.string, isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    app.routes.defaultMaxBodySize = "256kb"
    app.middleware = Middlewares()
    // Method and path only (ids, never names: searches with names are POSTs or query
    // strings, which are not logged), tagged with the request id.
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeaders(secureCookies: settings.secureCookies))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(BenchSearchCommand(), as: "bench-search")
    app.asyncCommands.use(BenchMeasuresCommand(), as: "bench-measures")
    app.storage[DemoFlag.self] = settings.demo
    app.storage[DemoDatabaseFlag.self] = settings.demoDatabase
    app.storage[TwoFactorRequired.self] = settings.twoFactorRequired
    app.lockout = settings.lockout

    app.lifecycle.use(Startup())
    let unfit = APIContract.shared.documentProblems()
    guard unfit.isEmpty else { throw UnfitDocument(problems: unfit) }
    try routes(app)
}

/// The server does not start on a document that cannot serve as the API's contract.
struct UnfitDocument: Error, CustomStringConvertible {
    let problems: [String]
    var description: String { "openapi.json is not fit to be the API's contract: \(problems.joined(separator: "; "))" }
}

enum DemoFlag: StorageKey {
    typealias Value = Bool
}

enum DemoDatabaseFlag: StorageKey {
    typealias Value = Bool
}

enum TwoFactorRequired: StorageKey {
    typealias Value = Bool
}

extension Application {
    var isDemo: Bool { storage[DemoFlag.self] ?? false }
    var demoDatabase: Bool { storage[DemoDatabaseFlag.self] ?? false }
    var twoFactorRequired: Bool { storage[TwoFactorRequired.self] ?? true }
}
