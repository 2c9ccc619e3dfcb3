import CAFCore
import Fluent
import Foundation

/// A service working with a child, as that service recorded it.
final class Involvement: Model, @unchecked Sendable {
    static let schema = "child_involvements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    /// The service's organisation: its staff always see the involvement.
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "service") var service: String
    @Field(key: "role") var role: String
    @Field(key: "practitioner_name") var practitionerName: String
    /// ISO dates.
    @Field(key: "started_on") var startedOn: String
    @OptionalField(key: "ended_on") var endedOn: String?
    @OptionalEnum(key: "sensitive") var sensitive: SensitiveService?
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $child, $organisation, $service, $role, $practitionerName, $startedOn, $endedOn, $sensitive, $recordedBy,
            $createdAt,
        ]
    }
    init() {}
}
