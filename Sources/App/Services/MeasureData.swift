import CAFCore
import Fluent
import Foundation
import SQLKit

/// The one query layer for the measures: it reads dates, outcomes and levels (never a
/// name or free text) for a scope, and CAFCore does the arithmetic.
enum MeasureData {
    /// Which records: an LA's (or every LA's), perhaps only those started by one agency type
    /// or organisation. A record belongs to the organisation of the practitioner who started it.
    struct Scope: Sendable, Equatable {
        var localAuthorityID: UUID?
        var agencyType: AgencyType?
        var organisationID: UUID?

        /// National figures are counted by LA; an LA's by agency type.
        var groupHeading: String { localAuthorityID == nil ? "Local authority" : "Agency type" }

        /// Conditions on the record's LA column and its starter's organisation `o`.
        func conditions(localAuthority column: String) -> [SQLQueryString] {
            var conditions: [SQLQueryString] = []
            if let localAuthorityID { conditions.append("\(unsafeRaw: column) = \(bind: localAuthorityID)") }
            if let agencyType { conditions.append("o.agency_type = \(bind: agencyType.rawValue)") }
            if let organisationID { conditions.append("o.id = \(bind: organisationID)") }
            return conditions
        }

        func whereClause(localAuthority column: String, and more: [SQLQueryString] = []) -> SQLQueryString {
            let conditions = self.conditions(localAuthority: column) + more
            return conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        }

        /// The row a record is counted in: its LA's name, or its starter's agency type.
        var groupColumn: SQLQueryString { localAuthorityID == nil ? "l.name AS row_group" : "o.agency_type AS row_group" }

        func group(_ row: any SQLRow) throws -> String {
            let group = try row.decode(column: "row_group", as: String.self)
            return localAuthorityID == nil ? group : AgencyType(rawValue: group)?.title ?? "Other"
        }

        /// Who started a record (`p`), their organisation (`o`) and, for national figures
        /// counted by LA, the record's LA (`l`).
        func starter(_ practitionerColumn: String, localAuthority column: String) -> SQLQueryString {
            " JOIN practitioners p ON p.id = \(unsafeRaw: practitionerColumn) JOIN organisations o ON o.id = p.organisation_id"
                + (localAuthorityID == nil ? " JOIN local_authorities l ON l.id = \(unsafeRaw: column)" : "")
        }
    }

    /// The kinds of record the measures read.
    enum Part: CaseIterable {
        case episodes, checklists, calls, actions, referrals, leadTerms, invitations, time, completions

        static func needed(by measure: Measure) -> [Part] {
            switch measure {
            case .timeToAssessment, .timeToTeam, .timeToHelp, .timeToLead, .closureOutcomes, .needChange, .needsMet, .reReferral:
                [.episodes]
            case .stepUp: [.episodes, .referrals]
            case .safeguardingFollowUp: [.calls]
            case .checklistOutcomes, .duplicationAvoided: [.checklists]
            case .actionsDelivered: [.actions]
            case .leadProfessionalShare: [.leadTerms]
            case .attendance: [.invitations]
            case .caseload: [.leadTerms, .completions]
            case .practitionerTime: [.time]
            case .assessmentWritingTime: [.completions]
            }
        }
    }

    /// What the measures are computed from, loading only what these measures need: each
    /// part its own query, all at once, each on a connection of its own.
    static func inputs(_ scope: Scope, period: MeasurePeriod, now: Date, for measures: [Measure], on db: any Database)
        async throws -> MeasureInputs
    {
        let parts = Set(measures.flatMap(Part.needed))
        let load = Loader(scope: scope, period: period, now: now, measures: Set(measures), sql: db.sql)
        async let episodes = parts.contains(.episodes) ? load.episodes() : []
        // Assessments' levels and children's other CAFs only for the measures that use them.
        async let levels = measures.contains(.needChange) ? load.levels() : [:]
        async let openings = measures.contains(.reReferral) ? load.openings() : [:]
        async let checklists = parts.contains(.checklists) ? load.checklists() : []
        async let calls = parts.contains(.calls) ? load.calls() : []
        async let actions = parts.contains(.actions) ? load.actions() : []
        async let referrals = parts.contains(.referrals) ? load.referrals() : []
        async let leadTerms = parts.contains(.leadTerms) ? load.leadTerms() : []
        async let invitations = parts.contains(.invitations) ? load.invitations() : []
        async let entries = parts.contains(.time) ? load.timeEntries() : []
        async let sessions = parts.contains(.time) ? load.editingSessions() : []
        async let completions = parts.contains(.completions) ? load.completions() : []

        var inputs = MeasureInputs(period: period, now: now, groupHeading: scope.groupHeading)
        // An episode counted for need change and for another measure is one history.
        var compared = try await levels
        inputs.episodes =
            try await episodes.map { id, history in
                var history = history
                if let levels = compared.removeValue(forKey: id) {
                    history.latestAssessmentCompletedAt = levels.latestAssessmentCompletedAt
                    history.levelChanges = levels.levelChanges
                }
                return history
            } + compared.values
        inputs.openings = try await openings
        inputs.checklists = try await checklists
        inputs.calls = try await calls
        inputs.actions = try await actions
        inputs.referrals = try await referrals
        inputs.leadTerms = try await leadTerms
        inputs.invitations = try await invitations
        inputs.time = try await entries + sessions
        inputs.completions = try await completions
        return inputs
    }

    /// The queries of one report.
    struct Loader: Sendable {
        let scope: Scope
        let period: MeasurePeriod
        let now: Date
        let measures: Set<Measure>
        let sql: any SQLDatabase

        /// Time is counted by the practitioner's own agency type.
        static let worker =
            " JOIN practitioners w ON w.id = a.practitioner_id LEFT JOIN organisations wo ON wo.id = w.organisation_id"

        func checklists() async throws -> [ChecklistHistory] {
            // Joined: on the open CAF's team since, as a named share, by a granted request or as its lead.
            let joined = """
                EXISTS (SELECT 1 FROM episode_shares s WHERE s.episode_id = c.existing_episode_id AND s.practitioner_id = c.practitioner_id)
                OR EXISTS (SELECT 1 FROM access_requests r WHERE r.episode_id = c.existing_episode_id
                  AND r.requester_id = c.practitioner_id AND r.status = 'granted')
                OR EXISTS (SELECT 1 FROM lead_professional_terms t WHERE t.episode_id = c.existing_episode_id
                  AND t.practitioner_id = c.practitioner_id)
                """
            // Only duplication avoided asks who joined, and it counts only checklists that found a CAF.
            let duplication = measures.contains(.duplicationAvoided)
            let found: [SQLQueryString] = measures.contains(.checklistOutcomes) ? [] : ["c.existing_episode_id IS NOT NULL"]
            return try await sql.raw(
                "SELECT c.decision, c.recorded_at, c.existing_episode_id, "
                    + (duplication ? "CASE WHEN \(unsafeRaw: joined) THEN 1 ELSE 0 END" : "0") + " AS joined,"
                    + " \(scope.groupColumn) FROM pre_assessments c"
                    + scope.starter("c.practitioner_id", localAuthority: "c.local_authority_id")
                    + scope.whereClause(localAuthority: "c.local_authority_id", and: within("c.recorded_at", period) + found)
            ).all().compactMap { row in
                try ChecklistDecision(rawValue: try row.decode(column: "decision", as: String.self)).map {
                    ChecklistHistory(
                        group: try scope.group(row), decision: $0,
                        recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                        foundOpenCAF: try row.decode(column: "existing_episode_id", as: UUID?.self) != nil,
                        joinedIt: try row.decode(column: "joined", as: Int.self) == 1)
                }
            }
        }

        func calls() async throws -> [CallHistory] {
            try await sql.raw(
                "SELECT c.called_at, c.follow_up_due, c.follow_up_sent_at, \(scope.groupColumn) FROM safeguarding_calls c"
                    + scope.starter("c.caller_id", localAuthority: "c.local_authority_id")
                    + scope.whereClause(localAuthority: "c.local_authority_id", and: within("c.called_at", period))
            ).all().map { row in
                CallHistory(
                    group: try scope.group(row), calledAt: try row.decode(column: "called_at", as: Date.self),
                    followUpDue: try row.decode(column: "follow_up_due", as: Date.self),
                    followUpSentAt: try row.decode(column: "follow_up_sent_at", as: Date?.self))
            }
        }

        /// Actions counted in the database by group, due day and status, with how many were
        /// completed by their due day's end (`ActionHistory.dueBy`, each day's given with it).
        func actions() async throws -> [ActionHistory] {
            let ends: [SQLQueryString] = period.days.compactMap { day in
                ActionHistory.dueBy(day).map { "(\(bind: day), \(bind: $0))" }
            }
            let byDue: SQLQueryString = "WITH d(day, ends) AS (VALUES " + ends.joined(separator: ", ") + ") "
            return try await sql.raw(
                byDue
                    + ofEpisodes(
                        "plan_actions",
                        "a.due_on, a.status, count(*) AS n, sum(CASE WHEN a.completed_at < d.ends THEN 1 ELSE 0 END) AS by_due",
                        scope, join: " JOIN d ON d.day = a.due_on", conditions: days("a.due_on", period))
                    + " GROUP BY a.due_on, a.status, row_group"
            ).all().compactMap { row in
                try ActionStatus(rawValue: try row.decode(column: "status", as: String.self)).map {
                    ActionHistory(
                        group: try scope.group(row), dueOn: try row.decode(column: "due_on", as: String.self), status: $0,
                        count: try row.decode(column: "n", as: Int.self),
                        completedByDue: try row.decode(column: "by_due", as: Int.self))
                }
            }
        }

        func referrals() async throws -> [ReferralHistory] {
            try await sql.raw(
                ofEpisodes("referrals", "a.decided_at, a.decision", scope, conditions: within("a.decided_at", period))
            ).all().compactMap {
                row in
                try ReferralDecision(rawValue: try row.decode(column: "decision", as: String.self)).map {
                    ReferralHistory(
                        group: try scope.group(row), decidedAt: try row.decode(column: "decided_at", as: Date?.self), decision: $0
                    )
                }
            }
        }

        /// Terms during the period; for caseload alone, only those still running at its end.
        func leadTerms() async throws -> [LeadTermHistory] {
            let from = measures.contains(.leadProfessionalShare) ? period.from : min(period.to, now)
            return try await sql.raw(
                ofEpisodes(
                    "lead_professional_terms",
                    "a.practitioner_id, a.agency_type AS lead_agency, a.started_at, a.ended_at, e.closed_at",
                    scope,
                    conditions: [
                        "a.started_at < \(bind: period.to)",
                        "(coalesce(a.ended_at, e.closed_at) IS NULL OR coalesce(a.ended_at, e.closed_at) >= \(bind: from))",
                    ])
            ).all().compactMap { row in
                try AgencyType(rawValue: try row.decode(column: "lead_agency", as: String.self)).map {
                    LeadTermHistory(
                        practitionerID: try row.decode(column: "practitioner_id", as: UUID.self), agency: $0,
                        startedAt: try row.decode(column: "started_at", as: Date.self),
                        endedAt: try row.decode(column: "ended_at", as: Date?.self)
                            ?? row.decode(column: "closed_at", as: Date?.self)
                    )
                }
            }
        }

        /// Invitations alike counted in the database: by invitee agency type and attendance.
        func invitations() async throws -> [InvitationHistory] {
            try await sql.raw(
                ofEpisodes(
                    "tac_meetings",
                    "min(a.scheduled_at) AS held_at, i.agency_type AS invitee_agency, i.attendance, count(*) AS n",
                    scope, join: " JOIN tac_invitations i ON i.meeting_id = a.id",
                    conditions: ["a.held = \(bind: true)"] + within("a.scheduled_at", period), grouped: false)
                    + " GROUP BY i.agency_type, i.attendance"
            ).all().compactMap { row in
                try Attendance(rawValue: try row.decode(column: "attendance", as: String.self)).map {
                    InvitationHistory(
                        agency: try row.decode(column: "invitee_agency", as: String?.self).flatMap(AgencyType.init),
                        heldAt: try row.decode(column: "held_at", as: Date.self), attendance: $0,
                        count: try row.decode(column: "n", as: Int.self))
                }
            }
        }

        /// Manual entries summed in the database for each practitioner, agency type and activity
        /// (PostgreSQL sums bigints as numeric, hence the cast).
        func timeEntries() async throws -> [TimeHistory] {
            try await sql.raw(
                ofEpisodes(
                    "time_entries",
                    "a.practitioner_id, a.activity, CAST(sum(a.minutes) AS BIGINT) AS minutes, min(a.occurred_on) AS occurred_on,"
                        + " wo.agency_type AS worker_agency",
                    scope, join: Self.worker, conditions: days("a.occurred_on", period), grouped: false)
                    + " GROUP BY a.practitioner_id, a.activity, wo.agency_type"
            ).all().compactMap { row in
                guard let activity = Activity(rawValue: try row.decode(column: "activity", as: String.self)),
                    let day = CalendarDays.startOf(try row.decode(column: "occurred_on", as: String.self))
                else { return nil }
                return TimeHistory(
                    practitionerID: try row.decode(column: "practitioner_id", as: UUID.self),
                    agency: try row.decode(column: "worker_agency", as: String?.self).flatMap(AgencyType.init),
                    activity: activity,
                    minutes: Double(try row.decode(column: "minutes", as: Int.self)), at: day)
            }
        }

        /// Editing sessions' active time, summed in the same way.
        func editingSessions() async throws -> [TimeHistory] {
            try await sql.raw(
                ofEpisodes(
                    "editing_sessions",
                    "a.practitioner_id, a.activity, sum(a.active_seconds) AS active_seconds, min(a.started_at) AS started_at,"
                        + " wo.agency_type AS worker_agency",
                    scope, join: Self.worker, conditions: within("a.started_at", period), grouped: false)
                    + " GROUP BY a.practitioner_id, a.activity, wo.agency_type"
            ).all().compactMap { row in
                try Activity(rawValue: try row.decode(column: "activity", as: String.self)).map {
                    TimeHistory(
                        practitionerID: try row.decode(column: "practitioner_id", as: UUID.self),
                        agency: try row.decode(column: "worker_agency", as: String?.self).flatMap(AgencyType.init),
                        activity: $0, minutes: try row.decode(column: "active_seconds", as: Double.self) / 60,
                        at: try row.decode(column: "started_at", as: Date.self))
                }
            }
        }

        /// Each completed assessment with its writing time (its editing sessions' active time)
        /// for that measure; otherwise only how many each practitioner completed.
        func completions() async throws -> [CompletionHistory] {
            let completed: [SQLQueryString] = ["a.status = 'completed'"] + within("a.completed_at", period)
            guard measures.contains(.assessmentWritingTime) else {
                return try await sql.raw(
                    ofEpisodes(
                        "assessments", "a.author_id, min(a.completed_at) AS completed_at, count(*) AS n", scope,
                        conditions: completed) + " GROUP BY a.author_id, row_group"
                ).all().map { row in
                    CompletionHistory(
                        practitionerID: try row.decode(column: "author_id", as: UUID.self), group: try scope.group(row),
                        completedAt: try row.decode(column: "completed_at", as: Date.self), writingMinutes: nil,
                        count: try row.decode(column: "n", as: Int.self))
                }
            }
            // Caseload counts every completion; writing time only those with editing measured.
            return try await sql.raw(
                ofEpisodes(
                    "assessments", "a.author_id, a.completed_at, w.seconds", scope,
                    join: (measures.contains(.caseload) ? " LEFT" : "")
                        + " JOIN (SELECT assessment_id, sum(active_seconds) AS seconds FROM editing_sessions"
                        + " WHERE assessment_id IS NOT NULL GROUP BY assessment_id) w ON w.assessment_id = a.id",
                    conditions: completed)
            ).all().map { row in
                CompletionHistory(
                    practitionerID: try row.decode(column: "author_id", as: UUID.self), group: try scope.group(row),
                    completedAt: try row.decode(column: "completed_at", as: Date.self),
                    writingMinutes: try row.decode(column: "seconds", as: Double?.self).map { $0 / 60 })
            }
        }
    }

    /// A moment column within the period.
    static func within(_ column: String, _ period: MeasurePeriod) -> [SQLQueryString] {
        ["\(unsafeRaw: column) >= \(bind: period.from)", "\(unsafeRaw: column) < \(bind: period.to)"]
    }

    /// A calendar-day column (YYYY-MM-DD, which sorts as text) within the period's days.
    static func days(_ column: String, _ period: MeasurePeriod) -> [SQLQueryString] {
        [
            "\(unsafeRaw: column) >= \(bind: CalendarDays.day(of: period.from))",
            "\(unsafeRaw: column) <= \(bind: CalendarDays.day(of: period.to - 1))",
        ]
    }

    /// Rows of a table that hangs off episodes (`a`), scoped by the episode's LA and starter.
    static func ofEpisodes(
        _ table: String, _ columns: String, _ scope: Scope, join: String = "", conditions more: [SQLQueryString] = [],
        grouped: Bool = true
    ) -> SQLQueryString {
        "SELECT \(unsafeRaw: columns)\(grouped ? ", " + scope.groupColumn : "") FROM \(unsafeRaw: table) a\(unsafeRaw: join)"
            + " JOIN episodes e ON e.id = a.episode_id" + scope.starter("e.author_id", localAuthority: "e.local_authority_id")
            + scope.whereClause(localAuthority: "e.local_authority_id", and: more)
    }

    /// The measures counted from closures in the period.
    static let closureMeasures: Set<Measure> = [.closureOutcomes, .needsMet, .reReferral, .stepUp]

}
