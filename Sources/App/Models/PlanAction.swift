import CAFCore
import Fluent
import Foundation

/// One action of an episode's plan.
final class PlanAction: Model, @unchecked Sendable {
    static let schema = "plan_actions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Field(key: "description") var description: String
    /// Comma-separated CAF element codes.
    @Field(key: "element_codes") var elementStorage: String
    @OptionalParent(key: "owner_practitioner_id") var ownerPractitioner: Practitioner?
    /// The owning agency, in words, when no practitioner is named (or as well).
    @Field(key: "owner_agency") var ownerAgency: String
    /// ISO calendar date.
    @Field(key: "due_on") var dueOn: String
    @Enum(key: "status") var status: ActionStatus
    @Field(key: "outcome_note") var outcomeNote: String
    /// When help first started (in progress or done): the "time to help" measure.
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Parent(key: "created_by_id") var createdBy: Practitioner
    @Field(key: "created_at") var createdAt: Date
    /// One more with each change: a change names the version it was made on.
    @Field(key: "version") var version: Int
    @OptionalParent(key: "updated_by_id") var updatedBy: Practitioner?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $description, $elementStorage, $ownerPractitioner, $ownerAgency, $dueOn, $status, $outcomeNote,
            $startedAt, $completedAt, $createdBy, $createdAt, $version, $updatedBy, $updatedAt,
        ]
    }
    init() {}
    init(episodeID: UUID, planned: PlannedAction, ownerID: UUID?, createdByID: UUID) {
        self.$episode.id = episodeID
        self.description = planned.description
        self.elementStorage = planned.elementCodes.joined(separator: ",")
        self.$ownerPractitioner.id = ownerID
        self.ownerAgency = planned.ownerAgency
        self.dueOn = planned.dueOn
        self.status = .planned
        self.outcomeNote = ""
        self.$createdBy.id = createdByID
        self.createdAt = Date()
        self.version = 1
    }

    var elementCodes: [String] { elementStorage.split(separator: ",").map(String.init) }

    func isOverdue(today: String = CalendarDate.iso(Date())) -> Bool {
        ActionDue.isOverdue(status: status, dueOn: dueOn, today: today)
    }

    /// Moves the action on, stamping when help started and when it finished.
    func update(status newStatus: ActionStatus, outcomeNote note: String, at now: Date = Date()) {
        if newStatus.helpStarted && startedAt == nil { startedAt = now }
        if newStatus == .done || newStatus == .notDone {
            completedAt = completedAt ?? now
        } else {
            completedAt = nil
        }
        status = newStatus
        outcomeNote = note
    }
}
