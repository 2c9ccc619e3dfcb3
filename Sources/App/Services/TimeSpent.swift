import CAFCore
import Fluent
import Foundation
import SQLKit

/// Practitioners' time on a CAF, for the burden measures: quick manual entries, and active
/// editing time that the assessment and meeting forms capture without extra work.
enum TimeSpent {
    static func record(_ entry: TimeEntry, on episodeID: UUID, by signedIn: SignedIn, on db: any Database) async throws
        -> TimeRecord
    {
        let authorised = try await Access.episode(episodeID, .recordTime, by: signedIn, on: db)
        let problems = entry.problems(today: Date())
        guard problems.isEmpty, let activity = entry.activity, let minutes = entry.minutes else {
            throw AppError.invalid(problems)
        }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            let record = TimeRecord(
                episodeID: episodeID, practitionerID: signedIn.id, activity: activity, minutes: minutes, on: entry.on)
            try await record.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordTime, child: authorised.child.id, episode: episodeID,
                detail: "activity=\(activity.rawValue) minutes=\(minutes) on=\(entry.on)")
            return record
        }
    }

    /// Opens an editing session when a form is shown; its id travels with the form's saves
    /// and the page's pings.
    static func startEditing(
        _ activity: Activity, episode episodeID: UUID, assessment: UUID? = nil, by signedIn: SignedIn, on db: any Database
    ) async throws -> UUID {
        let session = EditingSession(
            episodeID: episodeID, practitionerID: signedIn.id, activity: activity, assessmentID: assessment, at: Date())
        try await session.create(on: db)
        return session.id!
    }

    /// Someone else writing an assessment now: by name, with the part they have typed in within
    /// the last five minutes (nil otherwise, as when their page does not ping without JavaScript).
    struct Editor: Sendable, Equatable {
        let name: String
        let part: AssessmentPart?
    }

    /// Who else has had this assessment's form open within the last five minutes (opened it,
    /// saved or pinged), each once as their latest session has it, so that people writing at
    /// once know it. Callers have been authorised to write it.
    static func othersEditing(_ assessmentID: UUID, besides signedIn: SignedIn, at now: Date = Date(), on db: any Database)
        async throws -> [Editor]
    {
        let sessions = try await EditingSession.query(on: db).filter(\.$assessment.$id == assessmentID)
            .filter(\.$practitioner.$id != signedIn.id).filter(\.$lastMarkAt >= now.addingTimeInterval(-ActiveTime.idleAfter))
            .with(\.$practitioner).sort(\.$lastMarkAt, .descending).all()
        var seen = Set<UUID>()
        let recently = now.addingTimeInterval(-ActiveTime.idleAfter)
        return sessions.filter { seen.insert($0.$practitioner.id).inserted }
            .map { Editor(name: $0.practitioner.name, part: ($0.partAt ?? .distantPast) >= recently ? $0.part : nil) }
            .sorted { $0.name < $1.name }
    }

    /// After a ping: who else is writing the same assessment now, for the form to show; nil for
    /// a session that is not this person's or an assessment they may no longer write.
    static func othersEditing(session sessionID: String, by signedIn: SignedIn, on db: any Database) async throws
        -> [Editor]?
    {
        guard let id = UUID(uuidString: sessionID), let session = try await EditingSession.find(id, on: db),
            session.$practitioner.id == signedIn.id, let assessment = session.$assessment.id
        else { return nil }
        // The policy refuses writing a closed episode, so its presence is shown to no one.
        _ = try await Access.episode(session.$episode.id, .write, by: signedIn, on: db)
        return try await othersEditing(assessment, besides: signedIn, on: db)
    }

    /// A save or a ping: adds the active part of the time since the last mark, and notes the
    /// part of the assessment a ping's `field` (one typed in since the last ping) belongs to; a
    /// name that belongs to no part notes nothing. Marks from anyone but the session's
    /// practitioner, or for a session that is not theirs, change nothing.
    static func mark(
        _ sessionID: String, ping: Bool, field: String = "", by signedIn: SignedIn, at now: Date = Date(),
        on db: any Database
    ) async throws {
        guard let id = UUID(uuidString: sessionID) else { return }
        guard let session = try await EditingSession.find(id, on: db), session.$practitioner.id == signedIn.id else { return }
        let pinging = session.pinging || ping
        let counted = ActiveTime.counted(gap: now.timeIntervalSince(session.lastMarkAt), pinging: pinging)
        // Conditional on the count of marks, so two marks at once cannot count the same gap twice.
        let marked = EditingSession.query(on: db).filter(\.$id == id).filter(\.$marks == session.marks)
            .set(\.$marks, to: session.marks + 1).set(\.$lastMarkAt, to: now)
            .set(\.$activeSeconds, to: session.activeSeconds + counted).set(\.$pinging, to: pinging)
        if let part = AssessmentPart.of(field: field) { marked.set(\.$part, to: part).set(\.$partAt, to: now) }
        try await marked.update()
    }
}
