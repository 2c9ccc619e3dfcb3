import CAFCore
import Fluent
import Foundation

/// A recorded consent decision for an episode.
final class Consent: Model, @unchecked Sendable {
    static let schema = "consents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Enum(key: "given_by") var givenBy: ConsentGivenBy
    @Field(key: "name") var name: String
    @Field(key: "relationship") var relationship: String
    @Enum(key: "method") var method: ConsentMethod
    @Field(key: "scope_store") var scopeStore: Bool
    /// Comma-separated agency types the assessment may be shared with.
    @Field(key: "scope_share_agency_types") var scopeShareStorage: String
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
    init(episodeID: UUID, record: ConsentRecord, recordedByID: UUID, recordedAt: Date) {
        self.$episode.id = episodeID
        self.givenBy = record.givenBy
        self.name = record.name
        self.relationship = record.relationship
        self.method = record.method
        self.scopeStore = record.scope.store
        self.scopeShareStorage = record.scope.shareWithAgencyTypes.map(\.rawValue).sorted().joined(separator: ",")
        self.$recordedBy.id = recordedByID
        self.recordedAt = recordedAt
    }

    var scope: ConsentScope {
        ConsentScope(
            store: scopeStore,
            shareWithAgencyTypes: Set(scopeShareStorage.split(separator: ",").compactMap { AgencyType(rawValue: String($0)) }))
    }
}
