import Fluent
import Vapor

/// Page sessions in the database under the SHA-256 digest of their id: the cookie holds the
/// id, the table only its digest, so a copy of the database (a backup, a read replica)
/// signs no one in.
struct DigestSessions: AsyncSessionDriver {
    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: Auth.randomToken())
        try await SessionRecord(key: Self.stored(id), data: data).create(on: request.db)
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.stored(sessionID)).first()?.data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.stored(sessionID)).set(\.$data, to: data).update()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.stored(sessionID)).delete()
    }

    static func stored(_ id: SessionID) -> SessionID { SessionID(string: Auth.digest(id.string)) }
}
