import CAFCore
import Fluent
import Foundation

/// A sensitive service's word that one practitioner outside it may see its involvement, while
/// they work where they worked when it was given: the word is for the person in that job.
final class InvolvementDisclosure: Model, @unchecked Sendable {
    static let schema = "involvement_disclosures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "involvement_id") var involvement: Involvement
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Parent(key: "organisation_id") var organisation: Organisation
    @Enum(key: "agreed_by") var agreedBy: DisclosureAgreement
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalParent(key: "withdrawn_by_id") var withdrawnBy: Practitioner?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $involvement, $practitioner, $organisation, $agreedBy, $recordedBy, $recordedAt, $withdrawnBy, $withdrawnAt]
    }
    init() {}
}
