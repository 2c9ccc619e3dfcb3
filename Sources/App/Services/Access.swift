import CAFCore
import Fluent
import SQLKit
import Vapor

/// An episode that the access policy has let this person act on, with what was loaded
/// to decide.
struct AuthorisedEpisode {
    let episode: Episode
    let child: Child
    /// Every consent recorded for the episode, oldest first, each with who recorded it.
    let consentHistory: [Consent]
    /// The consent as it stands: the last recorded.
    var consent: Consent { consentHistory[consentHistory.count - 1] }
    let basis: AccessBasis
    /// What the policy decided on, to ask it further questions without loading again.
    let facts: EpisodeFacts
    /// What of the child's whereabouts this reader sees: every view of the episode goes through it.
    let shield: Shield
    var id: UUID { episode.id! }
}

/// Asks CAFCore's `AccessPolicy` about one episode, after loading the facts it needs.
/// A denial is audited here and thrown as a 403 naming who to contact.
enum Access {
    static func episode(_ id: UUID, _ action: EpisodeAction, by signedIn: SignedIn, on db: any Database)
        async throws -> AuthorisedEpisode
    {
        guard
            let episode = try await Episode.withTeam(on: db).filter(\.$id == id).first()
        else { throw AppError.notFound("episode") }
        let history = try await consentHistory(of: id, on: db)
        guard let consent = history.last else { throw AppError.notFound("episode consent") }
        let (referred, breakGlass) = try await referralAndBreakGlass(of: id, on: db)
        let facts = facts(episode, consent, referred: referred, breakGlass: breakGlass)
        let shield = try await Shielding.shield(for: episode.child, to: signedIn, on: db)
        switch AccessPolicy.decide(signedIn.actor, action, facts) {
        case .allowed(let basis):
            return AuthorisedEpisode(
                episode: episode, child: episode.child, consentHistory: history, basis: basis, facts: facts, shield: shield)
        case .denied(let denial):
            try await refuse(
                message(for: denial, episode: episode, shield: shield), auditAction(action), child: episode.$child.id,
                episode: id, detail: denial.rawValue, denial: denial, by: signedIn, on: db)
        }
    }

    /// The one way a refusal leaves the app: audited first (outside any transaction, so it
    /// stays), then thrown as a 403 whose message says whom to ask. Nothing else makes a 403
    /// but an expired form and a sign-in without its second factor (`OneGateTests`).
    static func refuse(
        _ message: String, _ action: AuditAction, child: UUID? = nil, episode: UUID? = nil, detail: String = "",
        denial: AccessDenial? = nil, by signedIn: SignedIn, on db: any Database
    ) async throws -> Never {
        assert(!db.inTransaction, "a refusal is audited outside any transaction, so no rollback loses it")
        try await Audit.record(
            on: db, by: signedIn, action, child: child, episode: episode, outcome: .denied, detail: detail)
        throw AppError.forbidden(message, denial: denial)
    }

    /// Goes on when the policy allowed; otherwise refuses, as `refuse`.
    static func require(
        _ allowed: Bool, else message: String, _ action: AuditAction, child: UUID? = nil, episode: UUID? = nil,
        detail: String = "", by signedIn: SignedIn, on db: any Database
    ) async throws {
        guard allowed else {
            try await refuse(message, action, child: child, episode: episode, detail: detail, by: signedIn, on: db)
        }
    }

    /// The LA whose review queues this person reads: the one they coordinate. Anyone else is
    /// refused with `refusal`, audited as a read of `queue`.
    static func requireQueueAuthority(_ queue: String, refusal: String, by signedIn: SignedIn, on db: any Database)
        async throws -> UUID
    {
        guard let la = AccessPolicy.coordinatedAuthority(signedIn.actor) else {
            try await refuse(refusal, .viewReviewQueue, detail: queue, by: signedIn, on: db)
        }
        return la
    }

    /// The same for a worktray, which shows every queue it may: nil for anyone but a
    /// coordinator, or the refusal when `refusing` (the API's queues).
    static func queueAuthority(_ queue: String, refusal: String, refusing: Bool, by signedIn: SignedIn, on db: any Database)
        async throws -> UUID?
    {
        guard refusing else { return AccessPolicy.coordinatedAuthority(signedIn.actor) }
        return try await requireQueueAuthority(queue, refusal: refusal, by: signedIn, on: db)
    }

    /// Index use (search, register, read basic details) for roles that work with children.
    static func requireIndex(_ action: AuditAction, child: UUID? = nil, by signedIn: SignedIn, on db: any Database)
        async throws
    {
        try await require(
            AccessPolicy.mayUseIndex(signedIn.actor), else: "Your role does not include the child index.", action,
            child: child, detail: "no-index-role", by: signedIn, on: db)
    }

    static func requireAudit(of child: Child, by signedIn: SignedIn, on db: any Database) async throws {
        try await require(
            AccessPolicy.mayReadAudit(signedIn.actor, childLocalAuthorityID: child.$localAuthority.id),
            else: "Only the coordinators of the child’s local authority can read who has seen this child.", .viewAudit,
            child: child.id, detail: "not-coordinator", by: signedIn, on: db)
    }

    /// What the policy knows of an episode already authorised, to ask it a further question
    /// (such as whether to offer a form) without loading anything again.
    static func facts(of authorised: AuthorisedEpisode) -> EpisodeFacts { authorised.facts }

    /// The facts of an episode loaded with its team, under its consent now, for a question
    /// about its child rather than about the episode (so without referral or break-glass).
    static func facts(of episode: Episode, on db: any Database) async throws -> EpisodeFacts {
        guard let consent = try await latestConsent(of: episode.id!, on: db) else { throw AppError.notFound("episode consent") }
        return facts(episode, consent, referred: false, breakGlass: [])
    }

    private static func facts(_ episode: Episode, _ consent: Consent, referred: Bool, breakGlass: Set<UUID>) -> EpisodeFacts {
        EpisodeFacts(
            localAuthorityID: episode.$localAuthority.id,
            author: member(episode.author),
            leadProfessional: episode.leadProfessional.map(member),
            shares: episode.shares.map { member($0.practitioner) },
            consent: consent.state, closed: episode.status == .closed, referredToSocialCare: referred, breakGlass: breakGlass)
    }

    /// Every consent of the episode, oldest first, each with who recorded it: one statement,
    /// read once for the decision and for whatever shows the history (issue 16).
    static func consentHistory(of episodeID: UUID, on db: any Database) async throws -> [Consent] {
        let history = try await Consent.query(on: db).filter(\.$episode.$id == episodeID).join(parent: \.$recordedBy)
            .sort(\.$recordedAt).sort(\.$id).all()
        for consent in history { consent.$recordedBy.value = try consent.joined(Practitioner.self) }
        return history
    }

    /// Whether the episode was referred to social care, and who holds break-glass access to
    /// it now, in one statement: a row for each unexpired grant (its holder) and for each
    /// referral (no one).
    private static func referralAndBreakGlass(of episodeID: UUID, on db: any Database) async throws
        -> (referred: Bool, breakGlass: Set<UUID>)
    {
        let rows = try await db.sql.raw(
            """
            SELECT practitioner_id FROM break_glass_grants WHERE episode_id = \(bind: episodeID) AND expires_at > \(bind: Date())
            UNION ALL SELECT NULL FROM referrals WHERE episode_id = \(bind: episodeID)
            """
        ).all()
        var referred = false
        var holders: Set<UUID> = []
        for row in rows {
            if try row.decodeNil(column: "practitioner_id") {
                referred = true
            } else {
                holders.insert(try row.decode(column: "practitioner_id", as: UUID.self))
            }
        }
        return (referred, holders)
    }

    static func latestConsent(of episodeID: UUID, on db: any Database) async throws -> Consent? {
        // The history's order backwards, so that both agree on which consent is the last.
        try await Consent.query(on: db).filter(\.$episode.$id == episodeID).sort(\.$recordedAt, .descending)
            .sort(\.$id, .descending).first()
    }

    /// Who to ask for access: the lead professional, or the author while there is none.
    static func contact(for episode: Episode) -> Practitioner {
        episode.leadProfessional ?? episode.author
    }

    private static func member(_ practitioner: Practitioner) -> EpisodeFacts.Member {
        EpisodeFacts.Member(
            practitionerID: practitioner.id!, organisationID: practitioner.$organisation.id,
            agency: practitioner.organisation?.agencyType)
    }

    /// A refusal names whom to ask; for a shielded child, only as far as the shield lets the
    /// reader see (no organisation, e-mail or phone) and by way of the LA's coordinators.
    private static func message(for denial: AccessDenial, episode: Episode, shield: Shield) -> String {
        let contact = contact(for: episode)
        let reach =
            shield.hidesWhereabouts
            ? "\(shield.person(contact)), through the coordinators of the child’s local authority"
            : "\(shield.person(contact)) (\(contact.email), \(contact.phone))"
        let role = episode.leadProfessional == nil ? "the practitioner who started it" : "its lead professional"
        switch denial {
        case .noCaseRole:
            return "Your role does not include reading case records."
        case .notInTeam:
            return "This CAF episode is open only to its team. To ask for access, contact \(role): \(reach)."
        case .outsideConsent:
            return "The family’s consent does not cover sharing this episode with that agency. Contact \(role): \(reach)."
        case .readOnly:
            return "You can read this episode but not change it. Contact \(role): \(reach)."
        case .consentWithdrawn:
            return
                "Consent for this episode was withdrawn: the record is frozen and open only to its lead professional and the local authority’s coordinators. Contact \(role): \(reach)."
        case .overrideNeedsRole:
            return "Only a coordinator or safeguarding lead of the child’s local authority can override consent."
        case .closed:
            return "This episode is closed, so it can be read but not changed. Reopen it first if the family needs more help."
        case .notClosed:
            return "This episode is open already."
        case .decisionNeedsSafeguarding:
            return "Only children’s social care staff of the child’s local authority decide on a step-up referral."
        case .alreadyInTeam:
            return "You can already read this episode."
        }
    }

    private static func auditAction(_ action: EpisodeAction) -> AuditAction {
        switch action {
        case .read: .viewEpisode
        case .write: .saveAssessment
        case .share: .shareEpisode
        case .changeConsent: .changeConsent
        case .coordinate: .coordinateEpisode
        case .updateAction: .updateAction
        case .reopen: .reopenEpisode
        case .decideReferral: .decideReferral
        case .requestAccess: .requestAccess
        case .decideAccessRequest: .decideAccessRequest
        case .breakGlass: .breakGlass
        case .recordTime: .recordTime
        }
    }
}

/// What the signed-in person's roles reach, as the policy says. The menu, the worktray and
/// the offers a page makes ask here (or `Access.may…`), never the roles or `AccessPolicy`
/// themselves, so an offer and the request it leads to are decided by the same policy.
struct Reach: Sendable {
    let usesIndex: Bool
    let administers: Bool
    let seesMeasures: Bool
    /// The LA whose coordinator this person is.
    let coordinates: UUID?
    /// The LA whose safeguarding calls this person takes.
    let safeguards: UUID?
    /// Children's social care, who step a case down into a CAF.
    let stepsDown: Bool
}

/// What a reader may do with one child's index record: the flags its page shows.
struct ChildPermissions: Sendable {
    let readAudit: Bool
    let shield: Bool
    let changeDetails: Bool
    let overrideShield: Bool
    let merge: Bool
}

extension Access {
    static func reach(of signedIn: SignedIn) -> Reach {
        let actor = signedIn.actor
        return Reach(
            usesIndex: AccessPolicy.mayUseIndex(actor), administers: AccessPolicy.isAdministrator(actor.roles),
            seesMeasures: AccessPolicy.measureRemit(actor) != nil, coordinates: AccessPolicy.coordinatedAuthority(actor),
            safeguards: AccessPolicy.safeguardedAuthority(actor), stepsDown: AccessPolicy.mayStepDown(actor))
    }

    static func permissions(for record: ChildRecord, by signedIn: SignedIn, on db: any Database) async throws
        -> ChildPermissions
    {
        let la = record.child.$localAuthority.id
        return ChildPermissions(
            readAudit: AccessPolicy.mayReadAudit(signedIn.actor, childLocalAuthorityID: la),
            shield: AccessPolicy.mayShield(signedIn.actor, childLocalAuthorityID: la),
            changeDetails: try await ChildIndex.mayChangeDetails(
                of: record.child, episodes: record.episodes, by: signedIn, on: db),
            overrideShield: AccessPolicy.mayOverrideShield(signedIn.actor),
            merge: AccessPolicy.mayMergeChildren(signedIn.actor, childLocalAuthorityID: la))
    }

    /// Whether a further action on an episode already authorised would be allowed: a form to offer.
    static func may(_ action: EpisodeAction, _ authorised: AuthorisedEpisode, by signedIn: SignedIn) -> Bool {
        AccessPolicy.decide(signedIn.actor, action, authorised.facts).isAllowed
    }

    static func mayRecordFollowUp(_ call: SafeguardingCall, by signedIn: SignedIn) -> Bool {
        AccessPolicy.mayRecordFollowUp(signedIn.actor, callerID: call.$caller.id, localAuthorityID: call.$localAuthority.id)
    }

    static func mayDecide(_ grant: RoleGrant, by signedIn: SignedIn) -> Bool {
        AccessPolicy.mayDecideRoleGrant(
            signedIn.actor, localAuthorityID: grant.$localAuthority.id, requestedBy: grant.$requestedBy.id,
            holder: grant.$practitioner.id)
    }
}

extension SignedIn {
    var reach: Reach { Access.reach(of: self) }
}
