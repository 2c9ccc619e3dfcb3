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
    @Enum(key: "kind") var kind: ConsentKind
    /// A withdrawal's note or an override's public-interest reason.
    @Field(key: "reason") var reason: String
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $givenBy, $name, $relationship, $method, $scopeStore, $scopeShareStorage, $kind, $reason, $recordedBy,
            $recordedAt,
        ]
    }
    init() {}
    init(episodeID: UUID, record: ConsentRecord, recordedByID: UUID, recordedAt: Date) {
        self.$episode.id = episodeID
        self.givenBy = record.givenBy
        self.name = record.name
        self.relationship = record.relationship
        self.method = record.method
        self.scopeStore = record.scope.store
        self.scopeShareStorage = record.scope.shareWithAgencyTypes.map(\.rawValue).sorted().joined(separator: ",")
        self.kind = .given
        self.reason = ""
        self.$recordedBy.id = recordedByID
        self.recordedAt = recordedAt
    }

    /// A withdrawal or override, carrying who consented and the scope over from `previous`
    /// so every row of the history reads whole.
    convenience init(_ kind: ConsentKind, reason: String, after previous: Consent, recordedByID: UUID, recordedAt: Date) {
        self.init(
            episodeID: previous.$episode.id,
            record: ConsentRecord(
                givenBy: previous.givenBy, name: previous.name, relationship: previous.relationship, method: previous.method,
                scope: previous.scope),
            recordedByID: recordedByID, recordedAt: recordedAt)
        self.kind = kind
        self.reason = reason
    }

    /// What this decision means for access, when it is the latest.
    var state: ConsentState {
        switch kind {
        case .given: .given(scope)
        case .withdrawn: .withdrawn
        case .override: .overridden
        }
    }

    var scope: ConsentScope {
        ConsentScope(
            store: scopeStore,
            shareWithAgencyTypes: Set(scopeShareStorage.split(separator: ",").compactMap { AgencyType(rawValue: String($0)) }))
    }
}

/// A refusal of consent: the child gets no episode and nothing of the assessment is kept.
final class ConsentRefusalRecord: Model, @unchecked Sendable {
    static let schema = "consent_refusals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    @Enum(key: "given_by") var givenBy: ConsentGivenBy
    @Field(key: "name") var name: String
    @Field(key: "note") var note: String
    @Parent(key: "recorded_by_id") var recordedBy: Practitioner
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $child, $givenBy, $name, $note, $recordedBy, $recordedAt] }
    init() {}
    init(childID: UUID, refusal: ConsentRefusal, recordedByID: UUID) {
        self.$child.id = childID
        self.givenBy = refusal.givenBy
        self.name = refusal.name
        self.note = refusal.note
        self.$recordedBy.id = recordedByID
        self.recordedAt = Date()
    }
}
