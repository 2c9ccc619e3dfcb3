import Fluent
import Vapor

/// Where a person is signed in: their browsers' sessions and their API tokens, which they see
/// and end, having entered their password again, and a code with two-factor (ASVS V3.3.4). A
/// stolen session alone cannot end its owner's.
enum SessionList {
    struct Entry: Sendable {
        enum Kind: Sendable { case browser, apiToken }
        let id: UUID
        let kind: Kind
        let startedAt: Date
        /// Browsers only: a token's use is not tracked.
        let lastSeenAt: Date?
        /// Tokens only: when it stops working by itself.
        let expiresAt: Date?
        let device: String
        /// The session or token this request came with.
        let current: Bool
    }

    /// Which to end: one by its id, or every one but this.
    enum Ending: Sendable, Equatable {
        case one(UUID)
        case allOthers
    }

    /// The person's live sessions and tokens, the most recently used first.
    static func entries(of signedIn: SignedIn, on db: any Database) async throws -> [Entry] {
        let browsers = try await live(PageSession.query(on: db), of: signedIn).all().map {
            Entry(
                id: $0.id!, kind: .browser, startedAt: $0.startedAt, lastSeenAt: $0.lastSeenAt, expiresAt: nil,
                device: $0.device, current: $0.key == signedIn.credential)
        }
        let tokens = try await live(APIToken.query(on: db), of: signedIn).all().map {
            Entry(
                id: $0.id!, kind: .apiToken, startedAt: $0.createdAt ?? $0.expiresAt, lastSeenAt: nil,
                expiresAt: $0.expiresAt, device: "API token", current: $0.tokenHash == signedIn.credential)
        }
        return (browsers + tokens).sorted { ($0.lastSeenAt ?? $0.startedAt) > ($1.lastSeenAt ?? $1.startedAt) }
    }

    /// The person's sessions that would still sign them in: used within the idle timeout,
    /// begun within the absolute one, and after their credentials last changed.
    private static func live(_ query: QueryBuilder<PageSession>, of signedIn: SignedIn) -> QueryBuilder<PageSession> {
        let now = Date()
        query.filter(\.$practitioner.$id == signedIn.id).filter(\.$lastSeenAt > now - Auth.idleTimeout)
            .filter(\.$startedAt > now - Auth.absoluteTimeout)
        if let changed = signedIn.practitioner.credentialsChangedAt { query.filter(\.$startedAt > changed) }
        return query
    }

    /// The person's tokens that have not expired.
    private static func live(_ query: QueryBuilder<APIToken>, of signedIn: SignedIn) -> QueryBuilder<APIToken> {
        query.filter(\.$practitioner.$id == signedIn.id).filter(\.$expiresAt > Date())
    }

    /// Ends the chosen ones of this person's (never anyone else's, never the one in use) and
    /// says how many ended; audited.
    static func end(_ ending: Ending, by signedIn: SignedIn, on db: any Database) async throws -> Int {
        let credential = signedIn.credential ?? ""
        return try await db.writeTransaction { db in
            func sessions() -> QueryBuilder<PageSession> {
                let query = live(PageSession.query(on: db), of: signedIn).filter(\.$key != credential)
                if case .one(let id) = ending { query.filter(\.$id == id) }
                return query
            }
            func tokens() -> QueryBuilder<APIToken> {
                let query = live(APIToken.query(on: db), of: signedIn).filter(\.$tokenHash != credential)
                if case .one(let id) = ending { query.filter(\.$id == id) }
                return query
            }
            let ended = try await sessions().count() + tokens().count()
            guard ended > 0 || ending == .allOthers else {
                throw AppError.invalid(field: "which", "Choose a place you are signed in, other than this one")
            }
            try await sessions().delete()
            try await tokens().delete()
            try await Audit.record(
                on: db, by: signedIn, .endSessions,
                detail: ending == .allOthers ? "all others: \(ended)" : "one: \(ended)")
            return ended
        }
    }
}
