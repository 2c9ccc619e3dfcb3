import CAFCore
import Fluent
import FluentPostgresDriver
import Foundation
import OneTimePasswords
import Testing
import VaporTesting

@testable import App

/// One test's whole world: a migrated database of its own (a SQLite file in WAL mode, as a
/// deployment has it, reached by a connection on each of at least two event loops; or a new
/// PostgreSQL database cloned from the migrated template when `ECAF_TEST_POSTGRES_URL` is set
/// by scripts/test), the demo LAs and personas, and helpers to call the app.
struct TestWorld {
    let app: Application
    /// The SQLite file, when the world is on one.
    var sqlitePath: String? = nil

    static let password = "test-password-123"
    /// Demo personas are seeded with a cheap hash under the app's pepper so tests stay quick;
    /// the cost new passwords get is tested on its own (`Passwords.cost`).
    static func passwordHash(_ app: Application) async throws -> String {
        try await Passwords.hash(password, pepper: try app.requirePepper(), cost: 4)
    }

    static var onPostgres: Bool { ProcessInfo.processInfo.environment["ECAF_TEST_POSTGRES_URL"] != nil }

    /// `twoFactorRequired` is off unless a test is about it, as under `--demo`.
    static func run(twoFactorRequired: Bool = false, _ test: (TestWorld) async throws -> Void) async throws {
        let file = SQLiteFile()
        defer { file.remove() }
        try await withApp(configure: { app in
            let env = ProcessInfo.processInfo.environment
            if let admin = env["ECAF_TEST_POSTGRES_URL"], var url = URLComponents(string: admin) {
                let name = "ecaf_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                url.path = "/" + name
                // Hundreds of tests run at once, each with its own pools, on one cluster: two
                // connections a core each keeps them within its max_connections.
                var settings = Settings(store: .postgres(url.string!), twoFactorRequired: twoFactorRequired)
                settings.databaseConnectionsPerCore = 2
                try await configure(app, settings)
                app.databases.use(try .postgres(url: admin), as: .init(string: "admin"), isDefault: false)
                let template = env["ECAF_TEST_POSTGRES_TEMPLATE"] ?? "ecaf_template"
                try await (app.db(.init(string: "admin")) as! any SQLDatabase)
                    .raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: template)").run()
                // Its connection closed at once, not held for the whole test.
                app.databases.reinitialize(.init(string: "admin"))
            } else {
                try await configure(app, Settings(store: .sqliteFile(file.path), twoFactorRequired: twoFactorRequired))
            }
            app.logger.logLevel = .error
            try await app.asyncBoot()
            try await DemoData.seed(on: app.db, passwordHash: try await passwordHash(app))
        }) { app in
            try await test(TestWorld(app: app, sqlitePath: onPostgres ? nil : file.path))
        }
    }

    /// A test's own SQLite database: a file in the temporary folder, removed with its WAL.
    struct SQLiteFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-test-\(UUID().uuidString).sqlite")
            .path

        func remove() {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    // MARK: the JSON API

    func token(_ email: String) async throws -> String {
        let response = try await send(.POST, APIURL.token.path, json: ["email": email, "password": Self.password])
        #expect(response.status == .created, "sign-in for \(email)")
        return try JSONDecoder().decode(TokenBody.self, from: response.body).token
    }

    struct TokenBody: Decodable { let token: String }

    /// Sends a request; `json` is encoded as the body with a JSON content type.
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable)? = nil, raw: String? = nil,
        contentType: HTTPMediaType? = .json, headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer? = nil
        if let json {
            body = ByteBuffer(data: try JSONEncoder().encode(json))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if body != nil, let contentType { headers.contentType = contentType }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// Saves an episode's draft as a client that read it first: with the `ETag` of its read
    /// (none when the read was refused, so the save is refused for the same reason).
    func saveAssessment(_ episode: UUID, token: String?, raw: String) async throws -> TestingHTTPResponse {
        let read = try await send(.GET, APIURL.assessment(episode).path, token: token)
        var headers: HTTPHeaders = [:]
        if let etag = read.headers.first(name: .eTag) { headers.replaceOrAdd(name: .ifMatch, value: etag) }
        return try await send(.PUT, APIURL.assessment(episode).path, token: token, raw: raw, headers: headers)
    }

    /// Adds an action to an episode's plan (owned by Health, due in January); its id.
    func addAction(to episode: UUID, token: String) async throws -> UUID {
        let added = try await send(
            .POST, APIURL.actions(episode).path, token: token,
            raw:
                #"{"description": "Sleep clinic", "elementCodes": ["dev.health.general"], "ownerAgency": "Health", "dueOn": "2027-01-05"}"#
        )
        #expect(added.status == .created)
        return try #require(UUID(uuidString: try json(added)["id"] as? String ?? ""))
    }

    /// Moves an action on as a client that read the plan first: naming the version it read
    /// (none when the read was refused, so the change is refused for the same reason).
    func updateAction(_ action: UUID, of episode: UUID, token: String?, raw: String) async throws -> TestingHTTPResponse {
        let plan = try await send(.GET, APIURL.actions(episode).path, token: token)
        var headers: HTTPHeaders = [:]
        if plan.status == .ok, let actions = try json(plan)["actions"] as? [[String: Any]],
            let read = actions.first(where: { $0["id"] as? String == action.uuidString }), let version = read["version"] as? Int
        {
            headers.replaceOrAdd(name: .ifMatch, value: RecordVersion.etag(version))
        }
        return try await send(
            .PATCH, APIURL.action(episode: episode, action: action).path, token: token, raw: raw, headers: headers)
    }

    /// Changes where a child lives as a client that read the record first: naming the version
    /// of the whereabouts it read (none when the read was refused or hid them).
    func updateWhereabouts(_ child: UUID, token: String?, raw: String) async throws -> TestingHTTPResponse {
        let read = try await send(.GET, APIURL.child(child).path, token: token)
        var headers: HTTPHeaders = [:]
        if read.status == .ok, let version = (try json(read)["whereabouts"] as? [String: Any])?["version"] as? Int {
            headers.replaceOrAdd(name: .ifMatch, value: RecordVersion.etag(version))
        }
        return try await send(.PUT, APIURL.childWhereabouts(child).path, token: token, raw: raw, headers: headers)
    }

    /// Changes an account or organisation (`path` ends in its id) as an administrator who read
    /// the LA's list first: naming the version listed (none when it is not listed to them).
    func administer(_ path: String, token: String?, raw: String) async throws -> TestingHTTPResponse {
        let list = try await send(.GET, APIURL.adminAccounts.path, token: token)
        var headers: HTTPHeaders = [:]
        if list.status == .ok {
            let read = try json(list)
            let entries = (read["practitioners"] as? [[String: Any]] ?? []) + (read["organisations"] as? [[String: Any]] ?? [])
            let id = path.split(separator: "/").last.map(String.init)?.lowercased()
            if let version = entries.first(where: { ($0["id"] as? String)?.lowercased() == id })?["version"] as? Int {
                headers.replaceOrAdd(name: .ifMatch, value: RecordVersion.etag(version))
            }
        }
        return try await send(.PATCH, path, token: token, raw: raw, headers: headers)
    }

    /// Changes an episode's lead or consent (`path` names the episode) as a client that read
    /// its team first: naming the team version it read (none when the read was refused).
    func changeTeam(_ path: String, token: String?, raw: String) async throws -> TestingHTTPResponse {
        let parts = path.split(separator: "/").map(String.init)
        let episode = parts.firstIndex(of: "episodes").flatMap { parts.indices.contains($0 + 1) ? parts[$0 + 1] : nil }
        var headers: HTTPHeaders = [:]
        if let episode, let id = UUID(uuidString: episode) {
            let team = try await send(.GET, APIURL.team(id).path, token: token)
            if let etag = team.headers.first(name: .eTag) { headers.replaceOrAdd(name: .ifMatch, value: etag) }
        }
        return try await send(.POST, path, token: token, raw: raw, headers: headers)
    }

    /// Searches the index, the terms written briefly as a query string (`q=lily&dob=2016-05-01`)
    /// and sent as the JSON body; a page that is a number is sent as one.
    func search(_ terms: String, token: String?) async throws -> TestingHTTPResponse {
        var body: [String: Any] = [:]
        for pair in terms.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding!
            }
            let value = parts.count > 1 ? parts[1] : ""
            body[parts[0]] = parts[0] == "page" ? Int(value).map { $0 as Any } ?? value : value
        }
        return try await send(.POST, APIURL.childSearch.path, token: token, raw: try Self.jsonText(body))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: response.body)
    }

    func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    /// The API error's code and field, for asserting on bad input.
    func error(_ response: TestingHTTPResponse) throws -> (code: String, field: String?, message: String) {
        let error = try json(response)["error"] as? [String: Any] ?? [:]
        return (error["code"] as? String ?? "", error["field"] as? String, error["message"] as? String ?? "")
    }

    // MARK: a child with a CAF, the path most tests start from

    struct Created {
        let childID: UUID
        let episodeID: UUID
    }

    /// Registers a child; tests may register several Lily Evanses, so the duplicate check is
    /// answered "not a duplicate" here and tested on its own (`DuplicateTests`).
    func registerChild(as token: String, givenName: String = "Lily", familyName: String = "Evans") async throws -> UUID {
        let response = try await send(
            .POST, APIURL.children.path, token: token,
            raw: try Self.jsonText([
                "givenName": givenName, "familyName": familyName, "dateOfBirth": "2016-05-01", "postcode": "cb1 2ab",
                "notADuplicate": true,
            ]))
        #expect(response.status == .created)
        return UUID(uuidString: try json(response)["id"] as! String)!
    }

    static var consentForHealthAndEducation: [String: Any] {
        [
            "consent": [
                "givenBy": "parent", "name": "Sue Evans", "relationship": "Mother", "method": "written",
                "scope": ["store": true, "shareWithAgencyTypes": ["health", "education"]],
            ]
        ]
    }

    /// Registers a child as amy and opens a CAF whose consent covers health and education.
    func childWithEpisode(as token: String) async throws -> Created {
        let childID = try await registerChild(as: token)
        let response = try await send(
            .POST, APIURL.childEpisodes(childID).path, token: token, raw: try Self.jsonText(Self.consentForHealthAndEducation))
        #expect(response.status == .created)
        return Created(childID: childID, episodeID: UUID(uuidString: try json(response)["id"] as! String)!)
    }

    /// Gives a persona an authenticator app, as if they had set it up; its secret, to make codes.
    @discardableResult
    func giveAuthenticatorApp(to email: String) async throws -> [UInt8] {
        let practitioner = try #require(try await Practitioner.query(on: app.db).filter(\.$email == email).first())
        let secret = TOTP.newSecret()
        practitioner.totpSecret = try TwoFactor.seal(secret, for: practitioner, keys: try app.requireSecrets())
        try await practitioner.save(on: app.db)
        return secret
    }

    /// A persona as the services see them, to call a Core service directly.
    func signedIn(_ email: String) async throws -> SignedIn {
        let practitioner = try #require(
            try await Practitioner.query(on: app.db).filter(\.$email == email).with(\.$organisation).first())
        return SignedIn(practitioner: practitioner, organisation: practitioner.organisation)
    }

    static func jsonText(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A complete assessment body: every element levelled.
    static func completeAssessment(level: String = "2") throws -> String {
        try jsonText([
            "identifying": ["ethnicity": "Not given", "childFirstLanguage": "English"],
            "parents": [["name": "Sue Evans", "relationship": "Mother", "parentalResponsibility": true]],
            "assessor": ["name": "Amy Clarke", "organisation": "Riverside Primary School"],
            "reasonForAssessment": "Attendance has fallen to 80% and Lily seems withdrawn.",
            "elements": CAFForm.elements.map { ["code": $0.code, "strengths": "", "needs": "", "level": level] },
        ])
    }

}
