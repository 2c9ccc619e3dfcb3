import CAFCore
import Fluent
import Foundation

/// Minutes a practitioner entered by hand against a CAF: a call, a visit, a meeting, admin.
final class TimeRecord: Model, @unchecked Sendable {
    static let schema = "time_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Enum(key: "activity") var activity: Activity
    @Field(key: "minutes") var minutes: Int
    /// YYYY-MM-DD: the day the time was spent.
    @Field(key: "occurred_on") var occurredOn: String
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $episode, $practitioner, $activity, $minutes, $occurredOn, $recordedAt] }
    init() {}
    init(episodeID: UUID, practitionerID: UUID, activity: Activity, minutes: Int, on day: String) {
        self.$episode.id = episodeID
        self.$practitioner.id = practitionerID
        self.activity = activity
        self.minutes = minutes
        self.occurredOn = day
        self.recordedAt = Date()
    }
}

/// One visit to the assessment or meeting form, with its active editing time so far.
final class EditingSession: Model, @unchecked Sendable {
    static let schema = "editing_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Enum(key: "activity") var activity: Activity
    /// The assessment version being written, for "time to write an assessment".
    @OptionalParent(key: "assessment_id") var assessment: Assessment?
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "last_mark_at") var lastMarkAt: Date
    @Field(key: "active_seconds") var activeSeconds: Double
    /// Saves and pings so far.
    @Field(key: "marks") var marks: Int
    /// The page has pinged: JavaScript is there, so silence means no one is active.
    @Field(key: "pinging") var pinging: Bool
    /// The part of the assessment last typed in, and when, as the page's pings say.
    @OptionalEnum(key: "part") var part: AssessmentPart?
    @OptionalField(key: "part_at") var partAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $practitioner, $activity, $assessment, $startedAt, $lastMarkAt, $activeSeconds, $marks, $pinging,
            $part, $partAt,
        ]
    }
    init() {}
    init(episodeID: UUID, practitionerID: UUID, activity: Activity, assessmentID: UUID?, at date: Date) {
        self.$episode.id = episodeID
        self.$practitioner.id = practitionerID
        self.activity = activity
        self.$assessment.id = assessmentID
        self.startedAt = date
        self.lastMarkAt = date
        self.activeSeconds = 0
        self.marks = 0
        self.pinging = false
    }
}
