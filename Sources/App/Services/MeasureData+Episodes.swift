import CAFCore
import Fluent
import Foundation
import SQLKit

extension MeasureData.Loader {
    /// The episodes these measures count: those whose first step (of a measure's) came in the
    /// period, those closed in it, and those whose latest assessment was completed in it,
    /// each with only the columns its measures read.
    func episodes() async throws -> [(id: UUID, history: EpisodeHistory)] {
        let steps = Milestone.allCases.filter { measures.contains($0.measure) }
        let closures = !measures.isDisjoint(with: MeasureData.closureMeasures)
        var counted: [SQLQueryString] = steps.map {
            "(e.\(unsafeRaw: $0.column) >= \(bind: period.from) AND e.\(unsafeRaw: $0.column) < \(bind: period.to))"
        }
        if closures { counted.append("(e.closed_at >= \(bind: period.from) AND e.closed_at < \(bind: period.to))") }
        guard !counted.isEmpty else { return [] }
        let columns =
            ["e.id", "e.child_id", "e.opened_at"] + steps.map { "e.\($0.column)" }
            + (closures ? ["e.closed_at", "e.closure_reason"] : [])
        let rows = try await sql.raw(
            "SELECT \(unsafeRaw: columns.joined(separator: ", ")), \(scope.groupColumn) FROM episodes e"
                + scope.starter("e.author_id", localAuthority: "e.local_authority_id")
                + scope.whereClause(localAuthority: "e.local_authority_id", and: ["(" + counted.joined(separator: " OR ") + ")"])
        ).all()
        return try rows.map { row in
            var episode = EpisodeHistory(
                childID: try row.decode(column: "child_id", as: UUID.self), group: try scope.group(row),
                openedAt: try row.decode(column: "opened_at", as: Date.self))
            for step in steps { episode[keyPath: step.time] = try row.decode(column: step.column, as: Date?.self) }
            if closures {
                episode.closedAt = try row.decode(column: "closed_at", as: Date?.self)
                episode.closureReason = try row.decode(column: "closure_reason", as: String?.self).flatMap(ClosureReason.init)
            }
            return (try row.decode(column: "id", as: UUID.self), episode)
        }
    }

    /// The episodes of the scope with two or more completed assessments, the latest completed in
    /// the period, each with its element changes from the first to the latest: levels only,
    /// never the text. A version is only begun once the one before is completed, so version 1
    /// is the first completed, and a completed later version means two or more. One row an
    /// episode: its latest (`a`, no later one completed, none after the period) beside version 1.
    func levels() async throws -> [UUID: EpisodeHistory] {
        let latest: [SQLQueryString] = [
            "a.status = 'completed'", "a.version > 1", "a.completed_at >= \(bind: period.from)",
            "a.completed_at < \(bind: period.to)",
            "NOT EXISTS (SELECT 1 FROM assessments y WHERE y.episode_id = a.episode_id AND y.status = 'completed'"
                + " AND (y.version > a.version OR y.completed_at >= \(bind: period.to)))",
        ]
        var found: [UUID: EpisodeHistory] = [:]
        for row in try await sql.raw(
            MeasureData.ofEpisodes(
                "assessments",
                "a.episode_id, f.levels AS first_levels, a.levels, a.completed_at, e.child_id, e.opened_at", scope,
                join: " JOIN assessments f ON f.episode_id = a.episode_id AND f.version = 1", conditions: latest)
        ).all() {
            var history = EpisodeHistory(
                childID: try row.decode(column: "child_id", as: UUID.self), group: try scope.group(row),
                openedAt: try row.decode(column: "opened_at", as: Date.self))
            history.latestAssessmentCompletedAt = try row.decode(column: "completed_at", as: Date.self)
            history.levelChanges = LevelComparison.changes(
                fromLevels: try row.decode(column: "first_levels", as: String.self),
                toLevels: try row.decode(column: "levels", as: String.self))
            found[try row.decode(column: "episode_id", as: UUID.self)] = history
        }
        return found
    }

    /// When CAFs were opened, in any LA, for the children of the scope's CAFs closed in the period.
    func openings() async throws -> [UUID: [Date]] {
        var openings: [UUID: [Date]] = [:]
        let closed: SQLQueryString =
            "SELECT e.child_id FROM episodes e" + scope.starter("e.author_id", localAuthority: "e.local_authority_id")
            + scope.whereClause(localAuthority: "e.local_authority_id", and: MeasureData.within("e.closed_at", period))
        for row in try await sql.raw("SELECT child_id, opened_at FROM episodes WHERE child_id IN (\(closed))").all() {
            openings[try row.decode(column: "child_id", as: UUID.self), default: []].append(
                try row.decode(column: "opened_at", as: Date.self))
        }
        return openings
    }
}

/// Where a milestone goes in an episode's history, and the measure that counts to it.
extension Milestone {
    var time: WritableKeyPath<EpisodeHistory, Date?> {
        switch self {
        case .assessed: \.firstAssessmentCompletedAt
        case .met: \.firstMeetingHeldAt
        case .helped: \.firstActionStartedAt
        case .led: \.firstLeadAgreedAt
        }
    }

    var measure: Measure {
        switch self {
        case .assessed: .timeToAssessment
        case .met: .timeToTeam
        case .helped: .timeToHelp
        case .led: .timeToLead
        }
    }
}
