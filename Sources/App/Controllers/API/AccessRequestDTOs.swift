import CAFCore
import Foundation

// The JSON API's shapes for requests to join a team. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct AccessRequestRequest: Decodable {
    let reason: String
}

struct AccessRequestDecisionRequest: Decodable {
    enum Decision: String, Decodable { case granted, refused }
    let decision: Decision
    let note: String?
}

struct AccessRequestDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let requester: ContactDTO?
    let reason: String
    let status: String
    let requestedAt: Date
    let decidedAt: Date?
    let decisionNote: String

    /// `shield` is the reader's for the child: someone asking to join usually already serves
    /// the child, so their organisation can say where the child is.
    init(_ request: AccessRequest, shield: Shield) {
        id = request.id!
        episodeId = request.$episode.id
        requester = request.$requester.value.map { ContactDTO($0, shield: shield) }
        reason = request.reason
        status = request.status.rawValue
        requestedAt = request.requestedAt
        decidedAt = request.decidedAt
        decisionNote = request.decisionNote
    }
}

struct AccessRequestListDTO: Encodable {
    let requests: [AccessRequestDTO]
}
