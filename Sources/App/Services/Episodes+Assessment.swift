import CAFCore
import Fluent
import SQLKit
import Vapor

extension Episodes {
    /// One version of the assessment (the latest when `version` is nil).
    static func assessment(of id: UUID, version: Int? = nil, by signedIn: SignedIn, on db: any Database) async throws -> (
        AuthorisedEpisode, Assessment
    ) {
        let authorised = try await Access.episode(id, .read, by: signedIn, on: db)
        let assessment = try await self.version(version, of: id, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewAssessment, child: authorised.child.id, episode: id,
            detail: "version=\(assessment.version) basis=\(authorised.basis.rawValue)")
        return (authorised, assessment)
    }

    static func versions(of id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> [Assessment] {
        let authorised = try await Access.episode(id, .read, by: signedIn, on: db)
        try await Audit.record(on: db, by: signedIn, .viewAssessment, child: authorised.child.id, episode: id, detail: "versions")
        return try await allVersions(of: id, on: db)
    }

    /// Every version of an episode's assessment, oldest first; callers have been authorised.
    static func allVersions(of id: UUID, on db: any Database) async throws -> [Assessment] {
        try await Assessment.query(on: db).filter(\.$episode.$id == id).sort(\.$version).all()
    }

    /// Each version's number, status and completion, oldest first, without its content: what
    /// the episode and comparison pages list (they read every version's whole sealed content
    /// to list it). Only those fields may be read from what this returns.
    static func versionList(of id: UUID, on db: any Database) async throws -> [Assessment] {
        try await Assessment.query(on: db).filter(\.$episode.$id == id).sort(\.$version)
            .field(\.$id).field(\.$episode.$id).field(\.$version).field(\.$status).field(\.$completedAt).all()
    }

    /// Saves the draft on the revisions the writer was shown (`basedOn`; nil when they named
    /// none: 428). A part someone else has saved since is kept as they saved it if this writer
    /// left it as it was; if both changed it, nothing is saved and the conflict says who changed
    /// what (412), for the writer to merge. With `complete` the result must also pass completion
    /// checks, after which this version never changes again. What the shield withholds from
    /// the writer is kept as stored, whatever they send for it. The draft's row is held from
    /// the first statement, so the check and the write are one step. With `only`, the save
    /// writes that part and leaves every other as it is saved now.
    static func saveAssessment(
        of id: UUID, content sent: AssessmentContent, only: AssessmentPart? = nil, basedOn: AssessmentRevisions?,
        complete: Bool, by signedIn: SignedIn, keys: SecretKeys, on db: any Database
    ) async throws -> (AuthorisedEpisode, Assessment) {
        let authorised = try await Access.episode(id, .write, by: signedIn, on: db)
        // A part saved alone: what it holds of other parts is refused, never dropped.
        let outside = only.map { sent.problems(outside: $0) + sent.draftProblems() } ?? []
        guard outside.isEmpty else { throw AppError.invalid(outside) }
        guard let basedOn else { throw AppError.revisionRequired }
        let assessmentID = try await latestAssessment(of: id, on: db).requireID()
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(id, on: db)
            try await StateChange.lock(Assessment.schema, id: assessmentID, on: db)
            guard let assessment = try await Assessment.find(assessmentID, on: db) else { throw AppError.notFound("assessment") }
            guard assessment.status == .draft else { throw AppError.conflictCompleted }
            let saved = try assessment.content(keys)
            let edited = only.map { saved.replacing($0, from: sent) } ?? sent
            let (mine, withheld) = authorised.shield.saving(edited, over: saved)
            let (content, base, conflicting) = try await resolve(
                mine, over: assessment, saved: saved, basedOn: basedOn, shield: authorised.shield, keys: keys, on: db)
            guard conflicting.isEmpty else {
                throw AssessmentConflict(
                    changes: try await changes(to: conflicting, of: assessment, on: db), revisions: assessment.revisions,
                    base: authorised.shield.content(base), saved: authorised.shield.content(saved))
            }
            let problems = [withheld].compactMap { $0 } + (complete ? content.completionProblems() : content.draftProblems())
            guard problems.isEmpty else { throw AppError.invalid(problems) }
            let now = Date()
            var revisions = assessment.revisions
            let changed = AssessmentPart.allCases.filter { content.fields(of: $0) != saved.fields(of: $0) }
            for part in changed {
                if try await fields(of: part, revision: revisions[part], in: assessment, keys: keys, on: db) == nil {
                    // A draft begun before revisions were kept: its revision before this save becomes
                    // the base later edits made on it merge from.
                    try await AssessmentPartRevision(
                        assessmentID: assessmentID, part: part, revision: revisions[part], content: saved,
                        savedByID: assessment.$author.id, savedAt: assessment.updatedAt ?? now, keys: keys
                    ).create(on: db)
                }
                revisions[part] += 1
                try await AssessmentPartRevision(
                    assessmentID: assessmentID, part: part, revision: revisions[part], content: content, savedByID: signedIn.id,
                    savedAt: now, keys: keys
                ).create(on: db)
            }
            try assessment.setContent(content, keys: keys)
            assessment.revisions = revisions
            if complete { (assessment.status, assessment.completedAt) = (.completed, now) }
            assessment.updatedAt = now
            try await StateChange.apply(
                """
                content = \(bind: assessment.sealedContent), levels = \(bind: assessment.levels),
                revisions = \(bind: assessment.storedRevisions), status = \(bind: assessment.status.rawValue),
                completed_at = \(bind: assessment.completedAt), updated_at = \(bind: now)
                """, to: Assessment.schema, id: assessmentID,
                while: "status = \(bind: AssessmentStatus.draft.rawValue)", or: .conflictCompleted, on: db)
            if complete { try await forgetRevisions(of: assessmentID, on: db) }
            try await Audit.record(
                on: db, by: signedIn, complete ? .completeAssessment : .saveAssessment, child: authorised.child.id,
                episode: id, detail: "version=\(assessment.version) parts=\(changed.map(\.rawValue).joined(separator: ","))")
            return (authorised, assessment)
        }
    }

    /// A save on older revisions, part by part. A part saved since by someone else is kept as
    /// they saved it if this writer left it as it was when they read it (compared as their
    /// shield shows it, so a change they cannot see is not theirs to conflict with); if they
    /// changed it too, it conflicts. `base` is what the writer started from, for the merge:
    /// empty for a part whose starting point is unknown (another review round, a revision not
    /// kept), so that every difference is shown.
    private static func resolve(
        _ mine: AssessmentContent, over assessment: Assessment, saved: AssessmentContent, basedOn: AssessmentRevisions,
        shield: Shield, keys: SecretKeys, on db: any Database
    ) async throws -> (content: AssessmentContent, base: AssessmentContent, conflicting: [AssessmentPart]) {
        var (content, base, conflicting) = (mine, saved, [AssessmentPart]())
        for part in AssessmentPart.allCases
        where basedOn.version != assessment.version || basedOn[part] != assessment.revisions[part] {
            if mine.fields(of: part) == saved.fields(of: part) { continue }
            let was =
                basedOn.version == assessment.version
                ? try await fields(of: part, revision: basedOn[part], in: assessment, keys: keys, on: db)
                    .map(AssessmentContent.init(fields:)) : nil
            base = base.replacing(part, from: was ?? AssessmentContent())
            if let was, shield.content(mine).fields(of: part) == shield.content(was).fields(of: part) {
                content = content.replacing(part, from: saved)
            } else {
                conflicting.append(part)
            }
        }
        return (content, base, conflicting)
    }

    /// A completed version never changes, so the revisions of its draft are no longer a base
    /// for anything: not kept beyond it (what it says now is the assessment itself).
    private static func forgetRevisions(of assessmentID: UUID, on db: any Database) async throws {
        try await AssessmentPartRevision.query(on: db).filter(\.$assessment.$id == assessmentID).delete()
    }

    /// A part's fields at one revision; nil when that revision was not kept (a draft begun
    /// before revisions were, or a revision named that never was).
    private static func fields(
        of part: AssessmentPart, revision: Int, in assessment: Assessment, keys: SecretKeys, on db: any Database
    ) async throws -> [String: String]? {
        try await AssessmentPartRevision.query(on: db).filter(\.$assessment.$id == assessment.requireID())
            .filter(\.$part == part).filter(\.$revision == revision).first()?.fields(keys)
    }

    /// Who saved each part last, and when.
    private static func changes(to parts: [AssessmentPart], of assessment: Assessment, on db: any Database) async throws
        -> [AssessmentConflict.Change]
    {
        var changes: [AssessmentConflict.Change] = []
        for part in parts {
            let last = try await AssessmentPartRevision.query(on: db).filter(\.$assessment.$id == assessment.requireID())
                .filter(\.$part == part).sort(\.$revision, .descending).with(\.$savedBy).first()
            changes.append(
                .init(
                    part: part, revision: assessment.revisions[part], savedBy: last?.savedBy.name,
                    savedAt: last?.savedAt ?? assessment.updatedAt))
        }
        return changes
    }

    /// Revision 1 of every part of a new draft: the base of the first edits made on it.
    static func recordFirstRevisions(
        of assessment: Assessment, content: AssessmentContent, by signedIn: SignedIn, keys: SecretKeys, on db: any Database
    ) async throws {
        let now = Date()
        for part in AssessmentPart.allCases {
            try await AssessmentPartRevision(
                assessmentID: try assessment.requireID(), part: part, revision: 1, content: content, savedByID: signedIn.id,
                savedAt: now, keys: keys
            ).create(on: db)
        }
    }

    /// Completes the draft as it is saved: what is checked is what is completed, so a save
    /// landing between the two is neither lost nor completed unchecked (409 assessment-changed).
    static func complete(of id: UUID, by signedIn: SignedIn, keys: SecretKeys, on db: any Database) async throws -> (
        AuthorisedEpisode, Assessment
    ) {
        let authorised = try await Access.episode(id, .write, by: signedIn, on: db)
        let assessment = try await latestAssessment(of: id, on: db)
        guard assessment.status == .draft else { throw AppError.conflictCompleted }
        let problems = try assessment.content(keys).completionProblems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(id, on: db)
            let now = Date()
            try await StateChange.apply(
                """
                status = \(bind: AssessmentStatus.completed.rawValue), completed_at = \(bind: now), updated_at = \(bind: now)
                """, to: Assessment.schema, id: try assessment.requireID(),
                while:
                    "status = \(bind: AssessmentStatus.draft.rawValue) AND content = \(bind: assessment.sealedContent)",
                or: .assessmentChanged, on: db)
            try await forgetRevisions(of: assessment.requireID(), on: db)
            (assessment.status, assessment.completedAt, assessment.updatedAt) = (.completed, now, now)
            try await Audit.record(
                on: db, by: signedIn, .completeAssessment, child: authorised.child.id, episode: id,
                detail: "version=\(assessment.version)")
            return (authorised, assessment)
        }
    }

    /// A review: a new draft version pre-filled from the completed one before it. Of reviews
    /// started at once, the version's uniqueness keeps the first.
    static func startReview(of id: UUID, by signedIn: SignedIn, keys: SecretKeys, on db: any Database) async throws -> (
        AuthorisedEpisode, Assessment
    ) {
        let authorised = try await Access.episode(id, .write, by: signedIn, on: db)
        let latest = try await latestAssessment(of: id, on: db)
        let draftInProgress = { @Sendable (version: Int) in
            AppError(
                status: .conflict, code: "draft-in-progress",
                message: "Version \(version) is still a draft: complete it before starting a review")
        }
        guard latest.status == .completed else { throw draftInProgress(latest.version) }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(id, on: db)
            let content = try latest.content(keys)
            let review = try Assessment(
                episodeID: id, version: latest.version + 1, authorID: signedIn.id, content: content, keys: keys)
            do { try await review.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure {
                throw draftInProgress(review.version)
            }
            try await recordFirstRevisions(of: review, content: content, by: signedIn, keys: keys, on: db)
            try await Audit.record(
                on: db, by: signedIn, .startReview, child: authorised.child.id, episode: id, detail: "version=\(review.version)")
            return (authorised, review)
        }
    }

    /// Levels of need element by element between two versions (by default the first and
    /// the latest).
    static func compare(_ id: UUID, from: Int?, to: Int?, by signedIn: SignedIn, on db: any Database) async throws -> (
        AuthorisedEpisode, Assessment, Assessment
    ) {
        let authorised = try await Access.episode(id, .read, by: signedIn, on: db)
        let before = try await version(from ?? 1, of: id, on: db)
        let after = try await version(to, of: id, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewAssessment, child: authorised.child.id, episode: id,
            detail: "compare=\(before.version)..\(after.version)")
        return (authorised, before, after)
    }

    private static func version(_ number: Int?, of id: UUID, on db: any Database) async throws -> Assessment {
        guard let number else { return try await latestAssessment(of: id, on: db) }
        guard let found = try await Assessment.query(on: db).filter(\.$episode.$id == id).filter(\.$version == number).first()
        else { throw AppError.notFound("assessment version") }
        return found
    }

    static func latestAssessment(of id: UUID, on db: any Database) async throws -> Assessment {
        guard
            let assessment = try await Assessment.query(on: db).filter(\.$episode.$id == id).sort(\.$version, .descending).first()
        else { throw AppError.notFound("assessment") }
        return assessment
    }
}
