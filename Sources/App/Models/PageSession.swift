import Fluent
import Foundation

/// A signed-in browser: the cookie holds the session's id, this row only its digest, with whose
/// it is, since when, last seen when and on what device, so a person sees and ends their own.
final class PageSession: Model, @unchecked Sendable {
    static let schema = "page_sessions"
    /// The longest device description kept (the browser's User-Agent).
    static let deviceLimit = 200

    @ID(key: .id) var id: UUID?
    /// SHA-256 of the cookie's session id.
    @Field(key: "key") var key: String
    /// The session's data, as JSON.
    @Field(key: "data") var data: String
    /// Whose, once signed in (a session waiting for its code, or for nobody, has none).
    @OptionalParent(key: "practitioner_id") var practitioner: Practitioner?
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "device") var device: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $key, $data, $practitioner, $startedAt, $lastSeenAt, $device] }
    init() {}
}
