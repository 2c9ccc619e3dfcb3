import Fluent
import Vapor

/// Page sessions in the database under the SHA-256 digest of their id: the cookie holds the
/// id, the table only its digest, so a copy of the database (a backup, a read replica)
/// signs no one in. Each row also says whose it is, since when, last seen when and on what
/// device, so a person sees and ends their own (`SessionList`).
struct DigestSessions: AsyncSessionDriver {
    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: Auth.randomToken())
        let session = PageSession()
        session.key = Self.stored(id)
        session.startedAt = Date()
        session.device = Self.device(request.headers.first(name: .userAgent) ?? "")
        try session.setSessionData(data)
        session.lastSeenAt = session.startedAt
        try await session.create(on: request.db)
        // Sessions idle past the timeout sign no one in: they go, with the devices they name.
        try await PageSession.query(on: request.db).filter(\.$lastSeenAt < Date() - Auth.idleTimeout).delete()
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard let session = try await PageSession.query(on: request.db).filter(\.$key == Self.stored(sessionID)).first()
        else { return nil }
        let data = try session.sessionData
        request.storage[AsRead.self] = (data, session.lastSeenAt)
        return data
    }

    /// The session's data and last-seen time as this request read them.
    private struct AsRead: StorageKey { typealias Value = (data: SessionData, lastSeenAt: Date) }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        // Vapor asks after every page request; most change nothing, and a write and commit
        // for each was a page's largest cost (issue 16). So a session is written when its
        // data changes or its row was last seen a minute ago (what the sweep of idle sessions
        // reads, for sessions not yet signed in too). A change is one UPDATE: a session ended
        // meanwhile (from another device) matches no row and stays ended.
        if let read = request.storage[AsRead.self], read.data == data,
            (0..<Auth.lastSeenStep).contains(Date().timeIntervalSince(read.lastSeenAt))
        {
            return sessionID
        }
        let row = PageSession()
        try row.setSessionData(data)
        try await PageSession.query(on: request.db).filter(\.$key == Self.stored(sessionID)).set(\.$data, to: row.data)
            .set(\.$practitioner.$id, to: row.$practitioner.id).set(\.$lastSeenAt, to: Date()).update()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await PageSession.query(on: request.db).filter(\.$key == Self.stored(sessionID)).delete()
    }

    static func stored(_ id: SessionID) -> String { Auth.digest(id.string) }

    /// The browser's own description, as printable ASCII, at most `PageSession.deviceLimit` bytes.
    static func device(_ userAgent: String) -> String {
        String(
            String.UnicodeScalarView(userAgent.unicodeScalars.filter { (0x20...0x7E).contains($0.value) }).prefix(
                PageSession.deviceLimit))
    }
}

extension PageSession {
    var sessionData: SessionData {
        get throws { try JSONDecoder().decode(SessionData.self, from: Data(data.utf8)) }
    }

    /// The data, and whose the session is as the data says (`SessionSignIn` keeps it there).
    func setSessionData(_ sessionData: SessionData) throws {
        data = String(decoding: try JSONEncoder().encode(sessionData), as: UTF8.self)
        $practitioner.id = sessionData["practitioner"].flatMap(UUID.init(uuidString:))
    }
}

/// Vapor clears an ended session's cookie with a bare expired one, which a browser ignores
/// for a `__Host-` cookie (it must say Secure and Path=/). This writes the clearing cookie
/// with the session cookie's own attributes, so sign-out leaves nothing behind (ASVS V8.2.3).
struct ClearEndedSessionCookie: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let configuration = req.application.sessions.configuration
        if let cookie = response.cookies[configuration.cookieName], cookie.string.isEmpty {
            var cleared = configuration.cookieFactory(SessionID(string: ""))
            cleared.expires = Date(timeIntervalSince1970: 0)
            cleared.maxAge = 0
            response.cookies[configuration.cookieName] = cleared
        }
        return response
    }
}
