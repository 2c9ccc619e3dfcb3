import Fluent
import Foundation

/// One place a child has lived: the current one has no `movedOut`.
final class ChildAddress: Model, @unchecked Sendable {
    static let schema = "child_addresses"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    @Field(key: "address") var address: String
    @OptionalField(key: "postcode") var postcode: String?
    /// ISO dates, when known.
    @OptionalField(key: "moved_in") var movedIn: String?
    @OptionalField(key: "moved_out") var movedOut: String?
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $child, $address, $postcode, $movedIn, $movedOut, $recordedBy, $createdAt] }
    init() {}
    init(childID: UUID, address: String, postcode: String?, movedIn: String?, recordedByID: UUID) {
        self.$child.id = childID
        self.address = address
        self.postcode = postcode
        self.movedIn = movedIn
        self.$recordedBy.id = recordedByID
    }
}
