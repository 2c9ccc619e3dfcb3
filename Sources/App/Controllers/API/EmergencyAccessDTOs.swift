import CAFCore
import Foundation

// The JSON API's shapes for break-glass grants and shield overrides. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct BreakGlassRequest: Decodable {
    let reason: String
}

struct BreakGlassReviewRequest: Decodable {
    let note: String
}

/// A break-glass grant or a shield override, in one shape: what was opened (the child, and the
/// episode for break-glass), by whom, why, until when, and the coordinator's review.
struct EmergencyAccessDTO: Encodable {
    let id: UUID
    let kind: String
    let childId: UUID
    let episodeId: UUID?
    let practitioner: ContactDTO?
    let reason: String
    let takenAt: Date
    /// When a break-glass grant stops opening the episode; an override ends with its sign-in.
    let until: Date?
    let reviewedAt: Date?
    let reviewNote: String

    init<Item: EmergencyAccess>(_ item: Item) {
        id = item.id!
        kind = Item.kind.rawValue
        childId = item.child.id!
        episodeId = item.episodeID
        practitioner = ContactDTO(item.practitioner, shield: .open)  // for the LA's coordinators
        reason = item.reason
        takenAt = item.takenAt
        until = item.until
        reviewedAt = item.reviewedAt
        reviewNote = item.reviewNote
    }
}

struct EmergencyAccessQueueDTO: Encodable {
    /// Oldest first, at most `EmergencyAccessReviews.queueLimit`.
    let items: [EmergencyAccessDTO]
}
