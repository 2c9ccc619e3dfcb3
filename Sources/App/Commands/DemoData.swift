import CAFCore
import Fluent
import Vapor

/// The demo LAs, organisations and personas of PRODUCT.md. Seeding is idempotent: a
/// second start finds everything and only resets the demo password.
enum DemoData {
    struct Persona {
        let email, name, jobTitle, phone: String
        let organisation: String?
        let roles: Set<Role>
    }

    /// (name, children's social care by day, out of hours): numbers from Ofcom's range for
    /// drama, so no real service is ever rung from a demo.
    static let localAuthorities = [
        ("Cambridgeshire", "01632 960 001", "01632 960 002"),
        ("Suffolk", "01632 960 011", "01632 960 012"),
    ]

    /// (name, agency type, LA)
    static let organisations: [(String, AgencyType, String)] = [
        ("Riverside Primary School", .education, "Cambridgeshire"),
        ("Cambridgeshire Community Health", .health, "Cambridgeshire"),
        ("Cambridgeshire Constabulary", .police, "Cambridgeshire"),
        ("Cambridgeshire Youth Offending Service", .youthJustice, "Cambridgeshire"),
        ("Cambridgeshire County Council", .socialCare, "Cambridgeshire"),
        ("Cambridgeshire Children's Social Care", .socialCare, "Cambridgeshire"),
        ("Cambridgeshire County Council Service Desk", .other, "Cambridgeshire"),
        ("Stowmarket High School", .education, "Suffolk"),
        ("Suffolk Children's Social Care", .socialCare, "Suffolk"),
    ]

    static let personas: [Persona] = [
        .init(
            email: "amy@demo.test", name: "Amy Clarke", jobTitle: "SENCo", phone: "01223 000101",
            organisation: "Riverside Primary School", roles: [.practitioner]),
        .init(
            email: "ben@demo.test", name: "Ben Okafor", jobTitle: "Health visitor", phone: "01223 000102",
            organisation: "Cambridgeshire Community Health", roles: [.practitioner]),
        .init(
            email: "carla@demo.test", name: "Carla Singh", jobTitle: "Schools officer", phone: "01223 000103",
            organisation: "Cambridgeshire Constabulary", roles: [.practitioner]),
        .init(
            email: "dan@demo.test", name: "Dan Price", jobTitle: "YOT worker", phone: "01223 000104",
            organisation: "Cambridgeshire Youth Offending Service", roles: [.practitioner]),
        .init(
            email: "erin@demo.test", name: "Erin Walsh", jobTitle: "Early-help coordinator", phone: "01223 000105",
            organisation: "Cambridgeshire County Council", roles: [.coordinator]),
        .init(
            email: "gus@demo.test", name: "Gus Mensah", jobTitle: "MASH social worker", phone: "01223 000106",
            organisation: "Cambridgeshire Children's Social Care", roles: [.safeguarding]),
        .init(
            email: "fay@demo.test", name: "Fay Turner", jobTitle: "Service desk", phone: "01223 000107",
            organisation: "Cambridgeshire County Council Service Desk", roles: [.laAdmin]),
        .init(
            email: "gil@demo.test", name: "Gil Harper", jobTitle: "Service desk lead", phone: "01223 000111",
            organisation: "Cambridgeshire County Council Service Desk", roles: [.laAdmin]),
        .init(
            email: "mia@demo.test", name: "Mia Lewis", jobTitle: "Team lead", phone: "01223 000108",
            organisation: "Riverside Primary School", roles: [.manager]),
        .init(
            email: "nat@demo.test", name: "Nat Hughes", jobTitle: "Analyst", phone: "020 7000 0109",
            organisation: nil, roles: [.analyst]),
        .init(
            email: "hana@demo.test", name: "Hana Ito", jobTitle: "Teacher", phone: "01449 000110",
            organisation: "Stowmarket High School", roles: [.practitioner]),
        // Another LA's front door: the one who may override a Cambridgeshire child's shield.
        .init(
            email: "sid@demo.test", name: "Sid Moore", jobTitle: "MASH social worker", phone: "01473 000112",
            organisation: "Suffolk Children's Social Care", roles: [.safeguarding]),
    ]

    static func seed(on db: any Database, passwordHash: String) async throws {
        try await db.writeTransaction { db in
            var authorities: [String: UUID] = [:]
            for (name, day, outOfHours) in localAuthorities {
                let authority =
                    try await LocalAuthority.query(on: db).filter(\.$name == name).first() ?? LocalAuthority(name: name)
                if authority.socialCareDayPhone.isEmpty {
                    authority.socialCareDayPhone = day
                    authority.socialCareOutOfHoursPhone = outOfHours
                }
                try await authority.save(on: db)
                authorities[name] = authority.id
            }
            var organisationIDs: [String: UUID] = [:]
            for (name, agency, la) in organisations {
                let existing = try await Organisation.query(on: db).filter(\.$name == name).first()
                let organisation = existing ?? Organisation(name: name, agencyType: agency, localAuthorityID: authorities[la]!)
                if existing == nil { try await organisation.create(on: db) }
                organisationIDs[name] = organisation.id
            }
            for persona in personas {
                if let existing = try await Practitioner.query(on: db).filter(\.$email == persona.email).first() {
                    existing.passwordHash = passwordHash
                    existing.passwordSetAt = Date()
                    try await existing.save(on: db)
                } else {
                    // The demo's personas share the printed password, set as if each chose it.
                    let practitioner = Practitioner(
                        email: persona.email, name: persona.name, jobTitle: persona.jobTitle, phone: persona.phone,
                        passwordHash: passwordHash, roles: persona.roles,
                        organisationID: persona.organisation.flatMap { organisationIDs[$0] })
                    practitioner.passwordSetAt = Date()
                    try await practitioner.create(on: db)
                }
            }
        }
    }

    /// Seeds with the demo password (`ECAF_DEMO_PASSWORD`, or a random one) and returns
    /// the sign-ins to print.
    static func seed(_ app: Application) async throws -> String {
        let chosen = ProcessInfo.processInfo.environment["ECAF_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = chosen ?? String(Auth.randomToken().prefix(16))
        try await seed(on: app.db, passwordHash: try await Passwords.hash(password, pepper: try app.requirePepper()))
        return signIns(password: password, fromEnvironment: chosen != nil)
    }

    static func signIns(password: String, fromEnvironment: Bool) -> String {
        var lines = [
            "",
            "eCAF demo sign-ins (password \(fromEnvironment ? "from ECAF_DEMO_PASSWORD" : "generated for this run"): \(password))",
        ]
        for persona in personas {
            lines.append(
                "  \(persona.email.padding(toLength: 18, withPad: " ", startingAt: 0)) \(persona.name), \(persona.jobTitle) – \(persona.roles.map(\.rawValue).sorted().joined(separator: ", "))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `ecaf demo`: seeds the demo LAs and personas into the configured database, and with
/// `--episodes` a history of that many CAFs for the measures.
struct DemoCommand: AsyncCommand {
    static let maxEpisodes = 2_000_000

    /// Bounds on what is typed: a history a real benchmark uses, and a seed that is a seed.
    static func problem(episodes: Int, years: Int, seed: Int) -> FieldProblem? {
        if !(1...maxEpisodes).contains(episodes) {
            return FieldProblem(field: "episodes", message: "Give --episodes from 1 to \(maxEpisodes)")
        }
        if !(1...20).contains(years) { return FieldProblem(field: "years", message: "Give --years from 1 to 20") }
        if seed < 0 { return FieldProblem(field: "seed", message: "Give --seed as 0 or more") }
        return nil
    }

    struct Signature: CommandSignature {
        @Option(name: "episodes", help: "How many CAF episodes of history to add (default none)")
        var episodes: Int?
        @Option(name: "years", help: "Over how many years before today (default 3)")
        var years: Int?
        @Option(name: "seed", help: "The generator's seed: the same seed gives the same history (default 2008)")
        var seed: Int?
    }

    let help =
        "Seeds the demo local authorities, organisations and personas (idempotent), and a history with --episodes N --years Y"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        context.console.print(try await DemoData.seed(app))
        guard let episodes = signature.episodes else { return }
        let years = signature.years ?? 3
        let seed = signature.seed ?? 2008
        if let problem = Self.problem(episodes: episodes, years: years, seed: seed) { throw AppError.invalid([problem]) }
        let started = Date()
        let made = try await DemoHistory.generate(
            episodes: episodes, years: years, seed: UInt64(seed),
            passwordHash: try await DemoHistory.unusablePassword(app), keys: try app.requireSecrets(),
            on: app.db)
        context.console.print("Added \(made) CAF episodes over \(years) years in \(Int(Date().timeIntervalSince(started)))s.")
    }
}
