import Fluent
import Foundation

/// A practitioner outside a team asking to join it.
final class AccessRequest: Model, @unchecked Sendable {
    static let schema = "access_requests"

    enum Status: String, Codable, Sendable { case pending, granted, refused }

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "requester_id") var requester: Practitioner
    @Field(key: "reason") var reason: String
    @Enum(key: "status") var status: Status
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalParent(key: "decided_by_id") var decidedBy: Practitioner?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "decision_note") var decisionNote: String

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $episode, $requester, $reason, $status, $requestedAt, $decidedBy, $decidedAt, $decisionNote]
    }
    init() {}
    init(episodeID: UUID, requesterID: UUID, reason: String) {
        self.$episode.id = episodeID
        self.$requester.id = requesterID
        self.reason = reason
        self.status = .pending
        self.requestedAt = Date()
        self.decisionNote = ""
    }
}
