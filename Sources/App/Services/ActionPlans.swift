import CAFCore
import Fluent
import SQLKit
import Vapor

/// The action plan: who does what by when, for which needs, and when it is reviewed.
enum ActionPlans {
    static func actions(of episodeID: UUID, on db: any Database) async throws -> [PlanAction] {
        try await PlanAction.query(on: db).filter(\.$episode.$id == episodeID).with(\.$ownerPractitioner)
            .sort(\.$dueOn).sort(\.$createdAt).all()
    }

    static func add(_ planned: PlannedAction, to episodeID: UUID, by signedIn: SignedIn, on db: any Database) async throws
        -> PlanAction
    {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        var problems = planned.problems()
        var ownerID: UUID?
        let email = planned.ownerEmail.trimmingCharacters(in: .whitespaces).lowercased()
        if !email.isEmpty {
            if let owner = Teams.teamPractitioners(authorised.episode).first(where: { $0.email == email }) {
                ownerID = owner.id
            } else {
                problems.append(
                    .init(
                        field: "owner",
                        message: "The owner must be on the team around the child: share the episode with them first"))
            }
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let owner = ownerID
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            let action = PlanAction(episodeID: episodeID, planned: planned, ownerID: owner, createdByID: signedIn.id)
            try await action.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .addAction, child: authorised.child.id, episode: episodeID, detail: "action=\(action.id!)")
            return action
        }
    }

    /// Records progress on the version the writer read (`basedOn`; nil: 428). Changed by
    /// someone else since, nothing is saved (412, saying who changed it and what it says now).
    /// The action's row is held from the first statement, so the check and the write are one
    /// step, and when help started is the first time, whoever else moves it on at once.
    static func update(
        _ actionID: UUID, of episodeID: UUID, status: ActionStatus, outcomeNote: String, basedOn: Int?,
        by signedIn: SignedIn, on db: any Database
    ) async throws -> PlanAction {
        guard
            let read = try await PlanAction.query(on: db).filter(\.$id == actionID).filter(\.$episode.$id == episodeID).first()
        else { throw AppError.notFound("action") }
        let authorised = try await Access.episode(
            episodeID, .updateAction(owner: read.$ownerPractitioner.id), by: signedIn, on: db)
        guard outcomeNote.count <= 2_000 else {
            throw AppError.invalid(field: "outcomeNote", "Keep the outcome note to 2,000 characters or fewer")
        }
        guard let basedOn else { throw AppError.versionRequired }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            try await StateChange.lock(PlanAction.schema, id: actionID, on: db)
            guard let action = try await PlanAction.query(on: db).filter(\.$id == actionID).with(\.$updatedBy).first()
            else { throw AppError.notFound("action") }
            guard action.version == basedOn else {
                throw AppError.stale("action", by: action.updatedBy, at: action.updatedAt, now: action.version)
            }
            action.update(status: status, outcomeNote: outcomeNote)
            (action.version, action.$updatedBy.id, action.updatedAt) = (action.version + 1, signedIn.id, Date())
            try await action.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .updateAction, child: authorised.child.id, episode: episodeID,
                detail: "action=\(actionID) status=\(status.rawValue)")
            return action
        }
    }

    /// The episode an action belongs to, so its page can be shown after an update.
    static func episode(of actionID: UUID, on db: any Database) async throws -> UUID {
        guard let action = try await PlanAction.find(actionID, on: db) else { throw AppError.notFound("action") }
        return action.$episode.id
    }

    /// Sets the date the plan is reviewed on, on the version its writer read (`basedOn`; nil:
    /// 428): a date set by someone else since is never replaced unseen (412 naming them).
    static func setReview(of episodeID: UUID, on date: String, basedOn: Int?, by signedIn: SignedIn, on db: any Database)
        async throws
    {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        guard CalendarDate.parse(date) != nil else {
            throw AppError.invalid(field: "reviewOn", "Enter the review date, for example 2027-01-15")
        }
        guard let basedOn else { throw AppError.versionRequired }
        try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            let query = Episode.query(on: db).filter(\.$id == episodeID).with(\.$planReviewUpdatedBy)
            guard let episode = try await query.first() else { throw AppError.notFound("episode") }
            guard episode.planReviewVersion == basedOn else {
                throw AppError.stale(
                    "plan review date", by: episode.planReviewUpdatedBy, at: episode.planReviewUpdatedAt,
                    now: episode.planReviewVersion)
            }
            episode.planReviewOn = date
            (episode.planReviewVersion, episode.$planReviewUpdatedBy.id) = (basedOn + 1, signedIn.id)
            episode.planReviewUpdatedAt = Date()
            try await episode.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .setPlanReview, child: authorised.child.id, episode: episodeID, detail: "review=\(date)")
        }
    }

    /// For a worktray: open actions this person owns, or on episodes they lead or started,
    /// that are due within a week or overdue.
    static func due(for signedIn: SignedIn, reading read: ListRead, on db: any Database) async throws -> Paged<PlanAction> {
        try await Access.requireIndex(.viewEpisode, by: signedIn, on: db)
        let within = CalendarDate.iso(Date().addingTimeInterval(7 * 86400))
        // The actions they own, or on the open episodes they wrote or lead: each found by the
        // open actions' partial indexes (049). One OR with a join read every action due in
        // the country (issue 16).
        let held: SQLQueryString = .id(
            "\(ident: "plan_actions").\(ident: "episode_id")",
            among: """
                SELECT id FROM episodes WHERE status = \(literal: Episode.Status.open.rawValue)
                    AND (author_id = \(bind: signedIn.id) OR lead_professional_id = \(bind: signedIn.id))
                """, on: db)
        let open = [ActionStatus.planned, .inProgress].map(\.rawValue)
        return try await PlanAction.query(on: db)
            .filter(.sql(embed: "\(ident: "plan_actions").\(ident: "status") IN (\(literal: open[0]), \(literal: open[1]))"))
            .filter(\.$dueOn <= within)
            .group(.or) { $0.filter(\.$ownerPractitioner.$id == signedIn.id).filter(.sql(embed: held)) }
            .with(\.$episode) { $0.with(\.$child) }
            .sort(\.$dueOn).sort(\.$id).paged(read)
    }

    /// Open episodes this person leads or started whose plan review is due within a week.
    static func reviewsDue(for signedIn: SignedIn, reading read: ListRead, on db: any Database) async throws -> Paged<Episode> {
        try await Access.requireIndex(.viewEpisode, by: signedIn, on: db)
        let within = CalendarDate.iso(Date().addingTimeInterval(7 * 86400))
        return try await Episode.query(on: db).filter(\.$status == .open).filter(\.$planReviewOn <= within)
            .group(.or) { $0.filter(\.$author.$id == signedIn.id).filter(\.$leadProfessional.$id == signedIn.id) }
            .with(\.$child).sort(\.$planReviewOn).sort(\.$id).paged(read)
    }
}
