import CAFCore
import Fluent
import Vapor

/// Closing episodes (with a reason), step-up referrals and social care's decisions, and
/// reopening.
enum Closures {
    static func close(_ episodeID: UUID, _ closure: EpisodeClosure, by signedIn: SignedIn, on db: any Database) async throws
        -> Episode
    {
        let authorised = try await decidedOnState(alreadyClosed) {
            try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        }
        let problems = closure.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let episode = authorised.episode
        return try await db.writeTransaction { db in
            let now = Date()
            episode.status = .closed
            episode.closedAt = now
            episode.closureReason = closure.reason
            episode.closureNote = closure.note
            // Of closures at once, one: a step-up is referred once.
            try await StateChange.apply(
                """
                status = \(bind: Episode.Status.closed.rawValue), closed_at = \(bind: now),
                closure_reason = \(bind: closure.reason.rawValue), closure_note = \(bind: closure.note)
                """, to: Episode.schema, id: episodeID, while: "status = \(bind: Episode.Status.open.rawValue)",
                or: alreadyClosed, on: db)
            if closure.reason == .stepUp {
                try await Referral(episode: episode, referredByID: signedIn.id, note: closure.note, at: now).create(on: db)
            }
            try await Audit.record(
                on: db, by: signedIn, .closeEpisode, child: authorised.child.id, episode: episodeID,
                detail: "reason=\(closure.reason.rawValue)")
            return episode
        }
    }

    static func reopen(_ episodeID: UUID, reason: String, by signedIn: SignedIn, on db: any Database) async throws -> Episode {
        let authorised = try await decidedOnState(alreadyOpen) {
            try await Access.episode(episodeID, .reopen, by: signedIn, on: db)
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AppError.invalid(field: "reason", "Say why the episode is being reopened")
        }
        return try await db.writeTransaction { db in
            try await reopen(authorised.episode, reason: reason, by: signedIn.id, on: db)
            try await Audit.record(on: db, by: signedIn, .reopenEpisode, child: authorised.child.id, episode: episodeID)
            return authorised.episode
        }
    }

    /// Social care accepts a step-up, or returns it with a reason (the CAF then reopens).
    static func decide(
        _ referralID: UUID, _ decision: ReferralDecision, reason: String, by signedIn: SignedIn, on db: any Database
    ) async throws -> Referral {
        guard let referral = try await Referral.find(referralID, on: db) else { throw AppError.notFound("referral") }
        let authorised = try await Access.episode(referral.$episode.id, .decideReferral, by: signedIn, on: db)
        let alreadyDecided = AppError(
            status: .conflict, code: "referral-decided", message: "This referral has already been decided")
        guard referral.decision == .pending else { throw alreadyDecided }
        guard decision != .pending else { throw AppError.invalid(field: "decision", "Choose accept or return") }
        if decision == .returned && reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError.invalid(field: "reason", "Say why the referral is returned to early help")
        }
        return try await db.writeTransaction { db in
            referral.decision = decision
            referral.$decidedBy.id = signedIn.id
            referral.decidedAt = Date()
            referral.decisionReason = reason
            try await StateChange.apply(
                """
                decision = \(bind: decision.rawValue), decided_by_id = \(bind: signedIn.id),
                decided_at = \(bind: referral.decidedAt), decision_reason = \(bind: reason)
                """, to: Referral.schema, id: referralID, while: "decision = \(bind: ReferralDecision.pending.rawValue)",
                or: alreadyDecided, on: db)
            if decision == .returned {
                // Its team may have reopened the CAF while the referral waited: the return stands.
                do {
                    try await reopen(
                        authorised.episode, reason: "Returned by children’s social care: \(reason)", by: signedIn.id, on: db)
                } catch let error as AppError where error.code == alreadyOpen.code {}
            }
            try await Audit.record(
                on: db, by: signedIn, .decideReferral, child: authorised.child.id, episode: authorised.id,
                detail: "decision=\(decision.rawValue)")
            return referral
        }
    }

    /// Step-up referrals to this person's LA awaiting a decision (safeguarding staff only).
    static func pendingReferrals(for signedIn: SignedIn, on db: any Database) async throws -> [Referral] {
        guard let la = AccessPolicy.safeguardedAuthority(signedIn.actor) else { return [] }
        let referrals = try await Referral.query(on: db).filter(\.$localAuthority.$id == la).filter(\.$decision == .pending)
            .with(\.$episode) { $0.with(\.$child) }.with(\.$referredBy).sort(\.$referredAt).all()
        try await Audit.queueRead("referral", children: referrals.map(\.episode.$child.id), by: signedIn, on: db)
        return referrals
    }

    /// One referral with its episode, for whoever may read the episode.
    static func referral(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (Referral, AuthorisedEpisode) {
        let query = Referral.query(on: db).filter(\.$id == id).with(\.$referredBy) { $0.with(\.$organisation) }
        guard let referral = try await query.first() else { throw AppError.notFound("referral") }
        let (authorised, _) = try await Episodes.read(referral.$episode.id, by: signedIn, on: db)
        return (referral, authorised)
    }

    static func referrals(of episodeID: UUID, on db: any Database) async throws -> [Referral] {
        try await Referral.query(on: db).filter(\.$episode.$id == episodeID).with(\.$referredBy).sort(\.$referredAt).all()
    }

    static func reopenings(of episodeID: UUID, on db: any Database) async throws -> [EpisodeReopening] {
        try await EpisodeReopening.query(on: db).filter(\.$episode.$id == episodeID).with(\.$reopenedBy).sort(\.$reopenedAt).all()
    }

    static let alreadyOpen = AppError(status: .conflict, code: "episode-open", message: "This episode is already open")
    static let alreadyClosed = AppError(
        status: .conflict, code: "episode-closed", message: "This episode has already been closed")

    /// A close or reopening refused because another just landed is told so (409), as when the
    /// two meet at the UPDATE: whether it is read before or after the other commits must not
    /// change the answer. The refusal is audited by `Access` all the same.
    private static func decidedOnState(_ conflict: AppError, _ access: () async throws -> AuthorisedEpisode)
        async throws -> AuthorisedEpisode
    {
        do {
            return try await access()
        } catch let error as AppError where error.denial == .closed || error.denial == .notClosed {
            throw conflict
        }
    }

    /// Of reopenings at once, one; the reopening is recorded only by the one that reopened.
    private static func reopen(_ episode: Episode, reason: String, by practitionerID: UUID, on db: any Database) async throws {
        try await Episodes.requireNoOpenEpisode(for: episode.$child.id, except: episode.id, on: db)
        let previous = episode.closureReason ?? .other
        try await StateChange.apply(
            """
            status = \(bind: Episode.Status.open.rawValue), closed_at = NULL, closure_reason = NULL, closure_note = ''
            """, to: Episode.schema, id: episode.requireID(), while: "status = \(bind: Episode.Status.closed.rawValue)",
            or: alreadyOpen, on: db)
        (episode.status, episode.closedAt, episode.closureReason, episode.closureNote) = (.open, nil, nil, "")
        try await EpisodeReopening(episodeID: episode.id!, reopenedByID: practitionerID, reason: reason, previous: previous)
            .create(on: db)
    }
}
