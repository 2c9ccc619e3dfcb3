import CAFCore
import Fluent
import SQLKit
import Vapor

/// CAF episodes: opening with consent, the assessment, sharing. Each operation asks
/// `Access` first and writes its audit entry in the same transaction as its change.
enum Episodes {
    /// Opens an episode with consent. Children's social care stepping a case down into a
    /// CAF hand over with `stepDownNote`.
    static func open(
        childID: UUID, consent record: ConsentRecord, stepDownNote: String? = nil, by signedIn: SignedIn, keys: SecretKeys,
        on db: any Database
    ) async throws -> Episode {
        try await Access.requireIndex(.openEpisode, child: childID, by: signedIn, on: db)
        let child = try await Child.live(childID, on: db)
        var problems = record.problems()
        let handover = stepDownNote?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !handover.isEmpty && !AccessPolicy.mayStepDown(signedIn.actor) {
            problems.append(.init(field: "stepDownNote", message: "Only children’s social care step a case down into a CAF"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let involved = try await ChildIndex.involved(with: childID, on: db)
        return try await db.writeTransaction { db in
            try await requireNoOpenEpisode(for: childID, on: db)
            let now = Date()
            let episode = Episode(
                childID: childID, localAuthorityID: child.$localAuthority.id, authorID: signedIn.id, openedAt: now)
            episode.stepDownNote = handover.isEmpty ? nil : handover
            try await episode.create(on: db)
            try await Consent(episodeID: episode.id!, record: record, recordedByID: signedIn.id, recordedAt: now).create(on: db)
            let content = prefilled(consent: record, involved: involved, by: signedIn)
            let assessment = try Assessment(
                episodeID: episode.id!, version: 1, authorID: signedIn.id, content: content, keys: keys)
            try await assessment.create(on: db)
            try await recordFirstRevisions(of: assessment, content: content, by: signedIn, keys: keys, on: db)
            try await Audit.record(
                on: db, by: signedIn, .openEpisode, child: childID, episode: episode.id,
                detail:
                    "consent=\(record.givenBy.rawValue) method=\(record.method.rawValue) share=\(record.scope.shareWithAgencyTypes.map(\.rawValue).sorted().joined(separator: ","))"
            )
            return episode
        }
    }

    /// One open CAF a child: a second is refused, pointing to the team to join. Inside the
    /// caller's transaction, with the child's row held first, so two opening at once take
    /// turns and the second is refused (on SQLite it answered 500 "database is locked").
    static func requireNoOpenEpisode(for childID: UUID, except episodeID: UUID? = nil, on db: any Database) async throws {
        try await StateChange.lock(Child.schema, id: childID, on: db)
        var open = Episode.query(on: db).filter(\.$child.$id == childID).filter(\.$status == .open)
        if let episodeID { open = open.filter(\.$id != episodeID) }
        guard let existing = try await open.first() else { return }
        throw AppError(
            status: .conflict, code: "episode-already-open",
            message:
                "A CAF is already open for this child. Ask its lead professional (or the coordinator) to add you to the team rather than starting another.",
            related: [existing.id!])
    }

    /// What the system already knows, so the form never asks for it: the assessor, the
    /// parent or carer who consented, and the services already involved (the assessor's
    /// own and everyone on the child's earlier episodes, from the index).
    static func prefilled(consent: ConsentRecord, involved: [Practitioner], by signedIn: SignedIn) -> AssessmentContent {
        var content = AssessmentContent()
        let practitioner = signedIn.practitioner
        content.assessor.name = practitioner.name
        content.assessor.phone = practitioner.phone
        content.assessor.role = practitioner.jobTitle
        content.assessor.organisation = signedIn.organisation?.name ?? ""
        if consent.givenBy != .child {
            content.parents = [ParentCarer(name: consent.name, relationship: consent.relationship)]
        }
        var seen: Set<String> = []
        content.services = ([practitioner] + involved).compactMap { person in
            guard let organisation = person.id == practitioner.id ? signedIn.organisation : person.organisation,
                seen.insert(organisation.name).inserted
            else { return nil }
            return ServiceInvolved(
                service: "\(organisation.name) (\(organisation.agencyType.title))", contact: "\(person.name), \(person.phone)")
        }
        return content
    }

    /// Which episodes a list shows.
    enum ListScope: Sendable {
        /// Those this person works on: as author, lead professional or a named share.
        case mine
        /// Open episodes this person started whose latest assessment is still a draft.
        case drafts
        /// Every episode of the LA this person coordinates (refused to anyone else).
        case localAuthority
    }

    /// One page of a list of episodes, newest first, each with its child, author and lead.
    static func list(_ scope: ListScope, reading read: ListRead, by signedIn: SignedIn, on db: any Database) async throws
        -> Paged<Episode>
    {
        try await Access.requireIndex(.viewEpisode, by: signedIn, on: db)
        let query = Episode.query(on: db).with(\.$child).with(\.$author).with(\.$leadProfessional)
        switch scope {
        case .mine:
            // The episodes shared with them by a subquery: a person named on a thousand
            // episodes made a thousand-value list before (issue 16).
            let shared: SQLQueryString = .id(
                "\(ident: "episodes").\(ident: "id")",
                among: "SELECT episode_id FROM episode_shares WHERE practitioner_id = \(bind: signedIn.id)", on: db)
            query.group(.or) { group in
                group.filter(\.$author.$id == signedIn.id).filter(\.$leadProfessional.$id == signedIn.id)
                    .filter(.sql(embed: shared))
            }
        case .drafts:
            query.filter(\.$author.$id == signedIn.id).filter(\.$status == .open)
                .filter(
                    .sql(
                        embed: """
                            (SELECT status FROM assessments WHERE assessments.episode_id = \(ident: "episodes").\(ident: "id")
                                ORDER BY version DESC LIMIT 1) = \(bind: AssessmentStatus.draft.rawValue)
                            """))
        case .localAuthority:
            guard let la = AccessPolicy.coordinatedAuthority(signedIn.actor) else {
                try await Access.refuse(
                    "Only a coordinator sees every episode in their local authority.", .viewEpisode,
                    detail: "local-authority-list", by: signedIn, on: db)
            }
            query.filter(\.$localAuthority.$id == la)
        }
        // The id after the date, so that a page boundary falls in the same place every time.
        return try await query.sort(\.$openedAt, .descending).sort(\.$id).paged(read)
    }

    static func read(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (AuthorisedEpisode, Assessment) {
        let authorised = try await Access.episode(id, .read, by: signedIn, on: db)
        let assessment = try await latestAssessment(of: id, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewEpisode, child: authorised.child.id, episode: id, detail: authorised.basis.rawValue)
        return (authorised, assessment)
    }
}
