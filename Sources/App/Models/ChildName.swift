import CAFCore
import Fluent
import Foundation

/// One name a child is or was known by. The current name is also kept on the child.
final class ChildName: Model, @unchecked Sendable {
    static let schema = "child_names"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    @Enum(key: "kind") var kind: NameKind
    @Field(key: "given_name") var givenName: String
    @Field(key: "family_name") var familyName: String
    /// `NameMatch.key` of the full name: what the trigram indexes hold.
    @Field(key: "name_key") var nameKey: String
    /// The child's, repeated here so a name and a birth date are searched on one table.
    @OptionalField(key: "date_of_birth") var dateOfBirth: String?
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $child, $kind, $givenName, $familyName, $nameKey, $dateOfBirth, $recordedBy, $createdAt]
    }
    init() {}
    init(child: Child, kind: NameKind, givenName: String, familyName: String, recordedByID: UUID) {
        self.$child.id = child.id!
        self.dateOfBirth = child.dateOfBirth
        self.kind = kind
        self.givenName = givenName
        self.familyName = familyName
        self.nameKey = NameMatch.key("\(givenName) \(familyName)")
        self.$recordedBy.id = recordedByID
    }

    var fullName: String { "\(givenName) \(familyName)" }

    var indexName: IndexName { IndexName(kind: kind, givenName: givenName, familyName: familyName) }
}
