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
        /// Production: `DATABASE_URL=postgres://…`.
        case postgres(String)
    }

    public var store: Store
    /// `serve --demo`: seed the demo LAs and personas, and print their sign-ins.
    public var demo: Bool
    /// A command that makes or uses a demo database (`--demo`, `ecaf demo`): refused a real
    /// one (`DatabaseKind`).
    public var demoDatabase: Bool
    /// `Secure`, `__Host-` cookies and HSTS: on by default outside `--demo`, which is served
    /// over plain HTTP on a laptop (`ECAF_SECURE_COOKIES=false` turns them off elsewhere).
    public var secureCookies: Bool
    /// Every account must sign in with a TOTP code; only `--demo` relaxes it (accounts
    /// that have set it up still need their code).
    public var twoFactorRequired: Bool
    var throttle = SignInThrottle()
    var requestAllowance = RequestAllowance()
    /// Links, sender and relay for e-mail; `.demo` unless the environment says otherwise.
    var mail = MailSettings.demo
    /// The key secrets are sealed with at rest: from the environment, the demo's under
    /// `--demo`, a new random one for each test; nil for a command run without one.
    var secrets: SecretKeys? = SecretKeys.random()
    /// The audit sealer's keys (`AuditKeys`): from the environment, the demo's for a demo
    /// database, new random ones for each test; nil for a command run without them.
    var auditKeys: AuditKeys? = AuditKeys.random()
    /// The PostgreSQL role `serve` connects as, which `ecaf migrate` grants what it needs
    /// (`ServingRole`, ECAF_SERVING_ROLE); nil leaves grants as they are.
    public var servingRole: String?
    /// `serve` outside `--demo`: refuses a PostgreSQL connection that owns the audit log.
    public var refusesSchemaOwner = false
    /// `ecaf serve` seals the audit log while it runs (`AuditSealerService`); other commands
    /// and tests seal when they choose to.
    public var sealsAudit = false
    /// `ecaf serve` writes the requests it counts each second (`RequestTallyService`); tests
    /// write them when they choose to (`RequestAllowance.flush`).
    public var countsInBatches = false
    /// `ecaf serve` delivers the outbox while it runs; other commands and tests do not.
    public var deliversMail = false
    /// PostgreSQL connections each event loop (a loop a core) may hold: a burst of requests,
    /// each a short transaction, must not wait for a connection (`ECAF_DATABASE_CONNECTIONS`).
    public var databaseConnectionsPerCore = 4
    /// What `serve` needs and the environment does not give (or gives unusably), by name.
    public var problems: [String] = []

    public init(
        store: Store, demo: Bool = false, demoDatabase: Bool? = nil, secureCookies: Bool? = nil,
        twoFactorRequired: Bool? = nil
    ) {
        self.store = store
        self.demo = demo
        self.demoDatabase = demoDatabase ?? demo
        self.secureCookies = secureCookies ?? !demo
        self.twoFactorRequired = twoFactorRequired ?? !demo
    }

    public static func fromEnvironment(
        demo: Bool, demoDatabase: Bool? = nil, _ env: [String: String] = ProcessInfo.processInfo.environment
    ) -> Settings {
        let store: Store =
            if let url = env["DATABASE_URL"], !url.isEmpty { .postgres(url) } else {
                .sqliteFile(env["ECAF_SQLITE_PATH"] ?? "data/ecaf.sqlite")
            }
        var problems: [String] = []
        if case .postgres(let url) = store, !demo, let problem = databaseTransportProblem(url) { problems.append(problem) }
        /// A yes-or-no setting: exactly `true` or `false`, or unset.
        func flag(_ name: String) -> Bool? {
            guard let text = env[name], !text.isEmpty else { return nil }
            guard let value = ["true": true, "false": false][text] else {
                problems.append("\(name) as true or false")
                return nil
            }
            return value
        }
        /// A whole number in range, or unset.
        func number(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            guard let text = env[name], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                problems.append("\(name) as a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }
        var settings = Settings(
            store: store, demo: demo, demoDatabase: demoDatabase, secureCookies: flag("ECAF_SECURE_COOKIES"))
        if let attempts = number("ECAF_LOCKOUT_ATTEMPTS", 1...100) { settings.throttle.attempts = attempts }
        if let minutes = number("ECAF_LOCKOUT_MINUTES", 1...1440) { settings.throttle.window = Double(minutes) * 60 }
        settings.throttle.trustForwarded = flag("ECAF_TRUST_FORWARDED") ?? false
        if let alert = number("ECAF_REQUEST_ALERT", 10...1_000_000) { settings.requestAllowance.alertAt = alert }
        if let limit = number("ECAF_REQUEST_LIMIT", 10...1_000_000) { settings.requestAllowance.limit = limit }
        if let connections = number("ECAF_DATABASE_CONNECTIONS", 1...64) { settings.databaseConnectionsPerCore = connections }
        if let role = env["ECAF_SERVING_ROLE"], !role.isEmpty {
            if ServingRole.isPlainName(role) {
                settings.servingRole = role
            } else {
                problems.append("ECAF_SERVING_ROLE as a plain PostgreSQL role name (lower-case letters, digits, _)")
            }
        }
        if settings.requestAllowance.alertAt > settings.requestAllowance.limit {
            problems.append("ECAF_REQUEST_ALERT no higher than ECAF_REQUEST_LIMIT")
        }
        settings.mail = mailSettings(env, demo: demo, problems: &problems)
        // `ecaf demo` seals its history's assessments as `--demo` would read them: only a demo
        // database (`DatabaseKind`) ever has the demo's key.
        settings.secrets = SecretKeys.fromEnvironment(env, demo: settings.demoDatabase, problems: &problems)
        settings.auditKeys = AuditKeys.fromEnvironment(env, demo: settings.demoDatabase, problems: &problems)
        settings.problems = problems
        return settings
    }

    /// A database on another machine is reached over TLS that checks its certificate, with no
    /// fallback to clear text: PostgresKit's default, `prefer`, falls back silently (ASVS
    /// V9.2.2, V1.9.1). `sslmode=require` (or `verify-full`, `verify-ca`: all verify fully in
    /// PostgresKit) is required unless the host is this machine or a Unix socket.
    static func databaseTransportProblem(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), parts.scheme?.hasSuffix("+uds") != true,
            let host = parts.host, !isLoopback(host)
        else { return nil }
        let mode = parts.queryItems?.last { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }?.value
        return ["require", "verify-full", "verify-ca"].contains(mode ?? "")
            ? nil : "DATABASE_URL with sslmode=require for a database on another machine (TLS, certificate checked)"
    }

    /// This machine: `localhost`, `::1`, or an IPv4 address in 127.0.0.0/8 written as one
    /// (`127.0.0.1.example.org` is a name somewhere else).
    static func isLoopback(_ host: String) -> Bool {
        if ["localhost", "::1", "[::1]"].contains(host.lowercased()) { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil }
    }

    /// E-mail from the environment. Outside the demo a public address, a sender and a relay
    /// are required; a demo without a relay keeps its mail in the outbox. A value given but
    /// unusable is a problem wherever it is given, so nothing is quietly ignored.
    static func mailSettings(_ env: [String: String], demo: Bool, problems: inout [String]) -> MailSettings {
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        var mail = MailSettings.demo
        if let text = value("ECAF_PUBLIC_URL") {
            let url = URL(string: text)
            if url?.host == nil || !(url?.scheme == "https" || (demo && url?.scheme == "http")) {
                problems.append("ECAF_PUBLIC_URL as an https:// address with a host name")
            }
            mail.publicURL = text
        } else if !demo {
            problems.append("ECAF_PUBLIC_URL")
        }
        if let from = value("ECAF_MAIL_FROM") {
            if !SMTPClient.isSafeAddress(from) || from.split(separator: "@").count != 2 {
                problems.append("ECAF_MAIL_FROM as a plain e-mail address")
            }
            mail.from = from
        } else if !demo {
            problems.append("ECAF_MAIL_FROM")
        }
        guard let host = value("ECAF_SMTP_HOST") else {
            if !demo { problems.append("ECAF_SMTP_HOST") }
            return mail
        }
        var security = SMTPSettings.Security.startTLS
        if let text = value("ECAF_SMTP_SECURITY") {
            if let chosen = SMTPSettings.Security(rawValue: text) {
                security = chosen
            } else {
                problems.append("ECAF_SMTP_SECURITY as starttls, tls or none")
            }
        }
        var port = security == .tls ? 465 : 587
        if let text = value("ECAF_SMTP_PORT") {
            if let chosen = Int(text), (1...65535).contains(chosen) {
                port = chosen
            } else {
                problems.append("ECAF_SMTP_PORT as a port number")
            }
        }
        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":")
        if security != .none && isAddress {
            problems.append("ECAF_SMTP_HOST as a host name, which TLS checks the certificate against")
        }
        let username = value("ECAF_SMTP_USERNAME")
        // Mail carries sign-in links: in clear only to a relay on this machine (ASVS V9.2.2).
        if security == .none && !Settings.isLoopback(host) {
            problems.append("ECAF_SMTP_SECURITY other than none for a relay on another machine (none is for one on this machine)")
        }
        mail.smtp = SMTPSettings(
            host: host, port: port, security: security, username: username, password: value("ECAF_SMTP_PASSWORD"))
        return mail
    }
}

/// SQLite takes a thread for each statement and its driver retries a locked database without
/// end. On the process-wide blocking pool (a thread a core), shared with other applications,
/// such retries could hold every thread while the transaction they wait for queued behind
/// them: the test suites hung so. A pool of its own, larger than its connections (one an event
/// loop), always leaves that transaction a thread. Vapor shuts it down with the app.
private func giveSQLiteItsOwnThreads(_ app: Application) {
    app.threadPool = NIOThreadPool(numberOfThreads: System.coreCount + 2)
}

/// Every migration, in the order they run: `Startup` checks a serving role finds them all applied.
let allMigrations: [any Migration] = [
    CreatePeople(),
    CreateChildren(),
    CreateEpisodes(),
    CreateAuditEvents(),
    SessionRecord.migration,
    AddSocialCareContacts(),
    CreatePreAssessments(),
    AddConsentKinds(),
    CreateTeamAroundTheChild(),
    CreateActionPlans(),
    CreateClosures(),
    CreateAccessRequests(),
    ChainAuditEvents(),
    AddChildIdentifiers(),
    CreateBreakGlassGrants(),
    CreateChildNames(),
    AddTwoFactor(),
    AddPostcodeDistricts(),
    AddWhereabouts(),
    IndexNameWords(),
    AddNameBirthDates(),
    CreateInvolvements(),
    AddUnborn(),
    AddChildMerges(),
    CreateTimeRecording(),
    AddAssessmentLevels(),
    AddMeasureIndexes(),
    AddEpisodeMilestones(),
    CreateRoleGrants(),
    AddCredentialsChangedAt(),
    CreateDatabaseKind(),
    CreateOutbox(),
    CreateSignInThrottles(),
    KeySessionsByDigest(),
    CreateInvolvementDisclosures(),
    CreateNameProposals(),
    CreateDecisionsNotToShare(),
    CreatePageSessions(),
    CreateRequestCounts(),
    CreateAuditChildren(),
    DropChildNameKey(),
    CreateSealingState(),
    CreateAssessmentRevisions(),
    AddActionVersions(),
    AddMeetingVersions(),
    AddRecordVersions(),
    AddTeamVersions(),
    AddPlanReviewVersions(),
    AddEditingSessionParts(),
    CreatePasswordPepper(),
    MakeAuditAppendOnly(),
    SealAuditLog(),
    IndexEpisodeTeams(),
    IndexWorktrayLists(),
    CreateSecurityKeys(),
]

public func configure(_ app: Application, _ settings: Settings) async throws {
    switch settings.store {
    case .sqliteFile(let path):
        giveSQLiteItsOwnThreads(app)
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        // WAL survives in the file; synchronous is FULL by default in the bundled SQLite,
        // and foreign keys are switched on for every connection by the driver.
        _ = try await app.db.sql.raw("PRAGMA journal_mode=WAL").all()
        // Any statement, not only a write transaction's, then waits a bounded time for a held
        // file instead of spinning (a request's own bookkeeping writes, say).
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: loop) else { continue }
            try await waitWhenBusy(db.sql)
        }
    case .postgres(let url):
        // SQL is logged with its bound values (names searched, addresses typed): only at
        // `trace`, below anything a service runs at (SQLite's driver can be told never).
        try app.databases.use(
            .postgres(url: url, maxConnectionsPerEventLoop: settings.databaseConnectionsPerCore, sqlLogLevel: .trace),
            as: .psql)
    }

    app.migrations.add(allMigrations)

    // Sessions live in the database, so app servers hold no state of their own.
    app.sessions.use { _ in DigestSessions() }
    // Served over TLS, the cookie is `__Host-`: Secure, for this host and path `/` only, so
    // no sibling domain or plain-HTTP page can set or overwrite it.
    let secure = settings.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: secure ? "__Host-ecaf_session" : "ecaf_session") { id in
        HTTPCookies.Value(string: id.string, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    app.routes.defaultMaxBodySize = "256kb"
    app.middleware = Middlewares()
    // Method and path only (ids, never names: searches with names are POSTs or query
    // strings, which are not logged), tagged with the request id.
    app.middleware.use(RequestReference())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeaders(secureCookies: settings.secureCookies))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.storage[DemoFlag.self] = settings.demo
    app.storage[DemoDatabaseFlag.self] = settings.demoDatabase
    app.storage[TwoFactorRequired.self] = settings.twoFactorRequired
    app.storage[ServingRoleSettings.self] = ServingRoleSettings(
        role: settings.servingRole, refusesSchemaOwner: settings.refusesSchemaOwner)
    app.throttle = settings.throttle
    app.requestAllowance = settings.requestAllowance
    app.requestTally = RequestTally()
    app.secrets = settings.secrets
    app.auditKeys = settings.auditKeys
    var mail = settings.mail
    mail.keys = settings.secrets
    app.mail = mail

    app.lifecycle.use(Startup())
    if settings.sealsAudit, let keys = settings.auditKeys { app.lifecycle.use(AuditSealerService(keys: keys)) }
    if settings.countsInBatches { app.lifecycle.use(RequestTallyService()) }
    if settings.deliversMail, let smtp = mail.smtp {
        app.lifecycle.use(PostmanService(postman: Postman(mail: mail, smtp: smtp)))
    }
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

struct ServingRoleSettings: StorageKey {
    typealias Value = ServingRoleSettings
    let role: String?
    let refusesSchemaOwner: Bool
}

extension Application {
    var isDemo: Bool { storage[DemoFlag.self] ?? false }
    var demoDatabase: Bool { storage[DemoDatabaseFlag.self] ?? false }
    var twoFactorRequired: Bool { storage[TwoFactorRequired.self] ?? true }
    var servingRole: ServingRoleSettings { storage[ServingRoleSettings.self] ?? .init(role: nil, refusesSchemaOwner: false) }
}
