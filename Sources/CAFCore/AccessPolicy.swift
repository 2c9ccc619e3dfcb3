import Foundation

/// The signed-in person as the access policy sees them.
public struct Actor: Sendable, Hashable {
    public let id: UUID
    public let roles: Set<Role>
    public let organisationID: UUID?
    public let agency: AgencyType?
    public let localAuthorityID: UUID?

    public init(id: UUID, roles: Set<Role>, organisationID: UUID?, agency: AgencyType?, localAuthorityID: UUID?) {
        self.id = id
        self.roles = AccessPolicy.effectiveRoles(roles)
        self.organisationID = organisationID
        self.agency = agency
        self.localAuthorityID = localAuthorityID
    }
}

/// What the policy needs to know about an episode to decide.
public struct EpisodeFacts: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public let practitionerID: UUID
        public let organisationID: UUID?
        public let agency: AgencyType?
        public init(practitionerID: UUID, organisationID: UUID?, agency: AgencyType?) {
            self.practitionerID = practitionerID
            self.organisationID = organisationID
            self.agency = agency
        }
    }

    public let localAuthorityID: UUID
    public let author: Member
    public let leadProfessional: Member?
    /// Practitioners the episode was shared with by name.
    public let shares: [Member]
    public let consent: ConsentState
    /// A closed episode is read-only until it is reopened.
    public let closed: Bool
    /// Stepped up to children's social care: the LA's safeguarding staff read it to decide.
    public let referredToSocialCare: Bool
    /// People holding an unexpired break-glass grant: emergency read-only access.
    public let breakGlass: Set<UUID>

    public init(
        localAuthorityID: UUID, author: Member, leadProfessional: Member?, shares: [Member], consent: ConsentState,
        closed: Bool = false, referredToSocialCare: Bool = false, breakGlass: Set<UUID> = []
    ) {
        self.closed = closed
        self.breakGlass = breakGlass
        self.referredToSocialCare = referredToSocialCare
        self.localAuthorityID = localAuthorityID
        self.author = author
        self.leadProfessional = leadProfessional
        self.shares = shares
        self.consent = consent
    }
}

public enum EpisodeAction: Sendable, Hashable {
    case read
    /// Write or complete the assessment.
    case write
    /// Share with a named practitioner of the given agency type.
    case share(with: AgencyType?)
    /// Record consent given again (a new scope), withdrawn, or overridden.
    case changeConsent(ConsentKind)
    /// Run the team around the child: members, TAC meetings, the lead professional, the
    /// action plan, closure.
    case coordinate
    /// Update an action's progress: the team's coordinators of the plan, or its owner.
    case updateAction(owner: UUID?)
    /// Reopen a closed episode.
    case reopen
    /// Accept or return a step-up referral: the LA's safeguarding staff.
    case decideReferral
    /// Ask to join the team: anyone who works with children and cannot read it yet.
    case requestAccess
    /// Grant or refuse a request to join: the author, lead professional or coordinator.
    case decideAccessRequest
    /// Take emergency, time-limited read access with a stated reason.
    case breakGlass
    /// Record time spent on the CAF: those doing the work (its team and coordinators).
    case recordTime
}

/// Why access was allowed: recorded in the audit log beside the access.
public enum AccessBasis: String, Sendable {
    case author, leadProfessional = "lead-professional", shared, coordinator, manager
    /// The LA's safeguarding staff, on an episode shared in the public interest.
    case safeguarding
    /// Someone outside the team, allowed only to ask to join it.
    case requester
    /// Emergency read access by break-glass, shown at once on the coordinator's review queue.
    case breakGlass = "break-glass"
}

public enum AccessDenial: String, Sendable {
    /// la-admin and analyst never read case content.
    case noCaseRole = "no-case-role"
    case notInTeam = "not-in-team"
    /// A named share that the consent no longer (or never did) cover.
    case outsideConsent = "outside-consent"
    case readOnly = "read-only"
    /// Consent was withdrawn: only the lead professional and coordinators still read it,
    /// and nobody changes it.
    case consentWithdrawn = "consent-withdrawn"
    /// Only a coordinator or safeguarding lead of the episode's LA may override consent.
    case overrideNeedsRole = "override-needs-coordinator-or-safeguarding"
    /// Closed episodes are read-only until reopened.
    case closed
    case notClosed = "not-closed"
    /// Only the safeguarding staff of the episode's LA decide on its referral.
    case decisionNeedsSafeguarding = "decision-needs-safeguarding"
    case alreadyInTeam = "already-in-team"
}

public enum AccessDecision: Sendable, Hashable {
    case allowed(AccessBasis)
    case denied(AccessDenial)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}

/// The one access policy (PRODUCT.md "Who may read an episode"). Routes never decide on
/// their own: they ask here, through the App's Access service.
public enum AccessPolicy {
    public static func decide(_ actor: Actor, _ action: EpisodeAction, _ episode: EpisodeFacts) -> AccessDecision {
        guard actor.roles.contains(where: \.worksWithCases) else { return .denied(.noCaseRole) }
        let basis = relationship(of: actor, to: episode)
        let withdrawn = episode.consent.isWithdrawn
        switch action {
        case .read, .reopen, .decideReferral, .requestAccess, .breakGlass: break
        default: if episode.closed && basis != nil { return .denied(.closed) }
        }
        switch action {
        case .reopen:
            guard let basis else { return .denied(.notInTeam) }
            guard episode.closed else { return .denied(.notClosed) }
            return [.author, .leadProfessional, .coordinator].contains(basis) ? .allowed(basis) : .denied(.readOnly)
        case .requestAccess:
            return basis == nil ? .allowed(.requester) : .denied(.alreadyInTeam)
        case .breakGlass:
            // Emergency access reads only; consent withdrawal does not stop a child-protection need.
            return basis == nil || basis == .breakGlass ? .allowed(.breakGlass) : .denied(.alreadyInTeam)
        case .decideAccessRequest:
            guard let basis else { return .denied(.notInTeam) }
            return [.author, .leadProfessional, .coordinator].contains(basis) ? .allowed(basis) : .denied(.readOnly)
        case .decideReferral:
            guard episode.referredToSocialCare, actor.roles.contains(.safeguarding),
                actor.localAuthorityID == episode.localAuthorityID
            else { return .denied(.decisionNeedsSafeguarding) }
            return .allowed(.safeguarding)
        case .read:
            if let basis { return .allowed(basis) }
            return withdrawn && wasTeamMember(actor, episode) ? .denied(.consentWithdrawn) : .denied(.notInTeam)
        case .write:
            guard let basis else { return .denied(.notInTeam) }
            if withdrawn { return .denied(.consentWithdrawn) }
            return basis == .author || basis == .leadProfessional ? .allowed(basis) : .denied(.readOnly)
        case .share(let agency):
            guard let basis else { return .denied(.notInTeam) }
            guard [.author, .leadProfessional, .coordinator].contains(basis) else { return .denied(.readOnly) }
            if withdrawn { return .denied(.consentWithdrawn) }
            return episode.consent.coversSharing(with: agency) ? .allowed(basis) : .denied(.outsideConsent)
        case .coordinate:
            guard let basis else { return .denied(.notInTeam) }
            guard [.author, .leadProfessional, .coordinator].contains(basis) else { return .denied(.readOnly) }
            return withdrawn ? .denied(.consentWithdrawn) : .allowed(basis)
        case .updateAction(let owner):
            guard let basis else { return .denied(.notInTeam) }
            if withdrawn { return .denied(.consentWithdrawn) }
            return [.author, .leadProfessional, .coordinator].contains(basis) || owner == actor.id
                ? .allowed(basis) : .denied(.readOnly)
        case .recordTime:
            guard let basis else { return .denied(.notInTeam) }
            return [.author, .leadProfessional, .shared, .coordinator].contains(basis) ? .allowed(basis) : .denied(.readOnly)
        case .changeConsent(.override):
            let lead = !actor.roles.isDisjoint(with: [.coordinator, .safeguarding])
            guard lead, actor.localAuthorityID == episode.localAuthorityID else { return .denied(.overrideNeedsRole) }
            return .allowed(actor.roles.contains(.coordinator) ? .coordinator : .safeguarding)
        case .changeConsent:
            guard let basis else { return .denied(.notInTeam) }
            return [.author, .leadProfessional, .coordinator].contains(basis) ? .allowed(basis) : .denied(.readOnly)
        }
    }

    /// The strongest reason this actor may see the episode under its consent now, or nil.
    static func relationship(of actor: Actor, to episode: EpisodeFacts) -> AccessBasis? {
        let isCoordinator = coordinates(actor, episode.localAuthorityID)
        if episode.consent.isWithdrawn {
            // Frozen: whoever holds the case (the lead professional, or the author while
            // there is none) and the LA's coordinators; nobody else.
            let holder = episode.leadProfessional ?? episode.author
            if holder.practitionerID == actor.id { return episode.leadProfessional == nil ? .author : .leadProfessional }
            if isCoordinator { return .coordinator }
            return episode.breakGlass.contains(actor.id) ? .breakGlass : nil
        }
        if episode.author.practitionerID == actor.id { return .author }
        if episode.leadProfessional?.practitionerID == actor.id { return .leadProfessional }
        if let share = episode.shares.first(where: { $0.practitionerID == actor.id }),
            episode.consent.coversSharing(with: share.agency)
        {
            return .shared
        }
        if isCoordinator { return .coordinator }
        // The LA's safeguarding staff read what was shared in the public interest, and
        // what was stepped up to them.
        if episode.consent == .overridden || episode.referredToSocialCare, actor.roles.contains(.safeguarding),
            actor.localAuthorityID == episode.localAuthorityID
        {
            return .safeguarding
        }
        if actor.roles.contains(.manager), let organisation = actor.organisationID,
            teamOrganisations(episode).contains(organisation)
        {
            return .manager
        }
        return episode.breakGlass.contains(actor.id) ? .breakGlass : nil
    }

    private static func wasTeamMember(_ actor: Actor, _ episode: EpisodeFacts) -> Bool {
        ([episode.author] + [episode.leadProfessional].compactMap { $0 } + episode.shares).contains {
            $0.practitionerID == actor.id
        }
    }

    private static func teamOrganisations(_ episode: EpisodeFacts) -> Set<UUID> {
        let members =
            [episode.author] + [episode.leadProfessional].compactMap { $0 }
            + episode.shares.filter { episode.consent.coversSharing(with: $0.agency) }
        return Set(members.compactMap(\.organisationID))
    }

    /// Searching, reading and adding to the index (basic details only) is open to every
    /// role that works with children, nationally.
    public static func mayUseIndex(_ actor: Actor) -> Bool {
        actor.roles.contains(where: \.worksWithCases)
    }

    /// "Who has seen this child" is for the coordinators of the child's LA.
    public static func mayReadAudit(_ actor: Actor, childLocalAuthorityID: UUID) -> Bool {
        coordinates(actor, childLocalAuthorityID)
    }

    static func coordinates(_ actor: Actor, _ localAuthorityID: UUID) -> Bool {
        actor.roles.contains(.coordinator) && actor.localAuthorityID == localAuthorityID
    }

    /// Two index records of the same child are merged by a coordinator of their LA.
    public static func mayMergeChildren(_ actor: Actor, childLocalAuthorityID: UUID) -> Bool {
        coordinates(actor, childLocalAuthorityID)
    }
}

extension AccessPolicy {
    /// A safeguarding call is read by its caller and by the coordinators and safeguarding
    /// staff of the LA it was made to.
    public static func mayReadSafeguardingCall(_ actor: Actor, callerID: UUID, localAuthorityID: UUID) -> Bool {
        if actor.id == callerID && actor.roles.contains(where: \.worksWithCases) { return true }
        return !actor.roles.isDisjoint(with: [.coordinator, .safeguarding]) && actor.localAuthorityID == localAuthorityID
    }
}

extension AccessPolicy {
    /// The written follow-up is recorded by whoever made the call, or by the LA's coordinator.
    public static func mayRecordFollowUp(_ actor: Actor, callerID: UUID, localAuthorityID: UUID) -> Bool {
        guard actor.roles.contains(where: \.worksWithCases) else { return false }
        return actor.id == callerID || (actor.roles.contains(.coordinator) && actor.localAuthorityID == localAuthorityID)
    }
}

extension AccessPolicy {
    /// Break-glass grants are reviewed by the coordinators of the episode's LA.
    public static func mayReviewBreakGlass(_ actor: Actor, localAuthorityID: UUID) -> Bool {
        actor.roles.contains(.coordinator) && actor.localAuthorityID == localAuthorityID
    }
}

extension AccessPolicy {
    /// Separation of duties: the service desk never works with children's records, so an
    /// account holds la-admin alone or other roles alone, never both, whoever asks and for
    /// whichever account, an administrator's own included.
    public static func rolesProblem(_ roles: Set<Role>) -> FieldProblem? {
        guard roles.contains(.laAdmin), roles.count > 1 else { return nil }
        return FieldProblem(
            field: "roles",
            message: "An LA administrator holds no other role: give case or analyst roles to a separate account")
    }

    /// Separation of duties: an account holding la-admin beside other roles (which no write
    /// allows, `rolesProblem`) acts as an administrator only.
    public static func effectiveRoles(_ roles: Set<Role>) -> Set<Role> {
        roles.contains(.laAdmin) ? [.laAdmin] : roles
    }

    /// Roles one administrator cannot grant alone: coordinator and safeguarding open every
    /// child's record in the LA, a manager every record their organisation's staff work on,
    /// and a second la-admin could approve the first one's grants.
    public static let rolesNeedingSecondApproval: Set<Role> = [.coordinator, .safeguarding, .manager, .laAdmin]

    /// Whether a change would leave the LA fewer than two enabled administrators, so that no
    /// one could approve a grant: refused, whoever asks.
    public static func leavesTooFewAdministrators(enabledAdministrators: Int, removesOne: Bool) -> Bool {
        removesOne && enabledAdministrators - 1 < 2
    }

    /// The roles a change would newly grant that wait for a second administrator.
    public static func rolesNeedingApproval(from current: Set<Role>, to requested: Set<Role>) -> Set<Role> {
        requested.subtracting(current).intersection(rolesNeedingSecondApproval)
    }

    /// A grant is decided by another administrator of the same LA: never the one who asked
    /// for it, nor the person who would hold the roles.
    public static func mayDecideRoleGrant(_ actor: Actor, localAuthorityID: UUID, requestedBy: UUID, holder: UUID) -> Bool {
        mayAdminister(actor, localAuthorityID: localAuthorityID) && actor.id != requestedBy && actor.id != holder
    }

    /// LA administrators manage the accounts and organisations of their own LA only, and
    /// never read case content (they hold no other role).
    public static func mayAdminister(_ actor: Actor, localAuthorityID: UUID) -> Bool {
        actor.roles.contains(.laAdmin) && actor.localAuthorityID == localAuthorityID
    }

    /// Holds la-admin: counted so an LA always keeps two, and sent to the accounts page.
    public static func isAdministrator(_ roles: Set<Role>) -> Bool { roles.contains(.laAdmin) }

    /// Works with children's cases, so may join a team or lead one.
    public static func worksWithCases(_ roles: Set<Role>) -> Bool { roles.contains(where: \.worksWithCases) }

    /// Coordinates an LA's early help: told of its shielded children and of sign-in bursts
    /// against its staff.
    public static func isCoordinator(_ roles: Set<Role>) -> Bool { roles.contains(.coordinator) }
}

extension AccessPolicy {
    /// The LA whose every episode, break-glass grant and request to join this actor oversees
    /// as its coordinator; nil for everyone else. Lists and queues ask here.
    public static func coordinatedAuthority(_ actor: Actor) -> UUID? {
        actor.roles.contains(.coordinator) ? actor.localAuthorityID : nil
    }

    /// The LA whose children's social care front door this actor staffs (safeguarding calls
    /// and step-up referrals come to them); nil for everyone else.
    public static func safeguardedAuthority(_ actor: Actor) -> UUID? {
        actor.roles.contains(.safeguarding) ? actor.localAuthorityID : nil
    }
}

extension AccessPolicy {
    /// Only children's social care step a case down into a CAF with a handover note.
    public static func mayStepDown(_ actor: Actor) -> Bool {
        actor.roles.contains(.safeguarding)
    }
}

extension AccessPolicy {
    /// A shielded child's whereabouts (address, postcode, school, GP, contact details) are
    /// seen only by the coordinators and safeguarding staff of the child's LA, or by someone
    /// who has overridden the shield for a safeguarding reason, and only while they may still
    /// override (an override taken before losing the role opens nothing). Unshielded, anyone
    /// who uses the index sees them.
    public static func maySeeWhereabouts(_ actor: Actor, childLocalAuthorityID: UUID, shielded: Bool, overridden: Bool) -> Bool {
        guard mayUseIndex(actor) else { return false }
        return !shielded || (overridden && mayOverrideShield(actor))
            || mayShield(actor, childLocalAuthorityID: childLocalAuthorityID)
    }

    /// The shield a viewer sees a child through: it withholds the whereabouts of a shielded
    /// child from whoever may not see them, and nothing of a child who is not shielded.
    public static func shield(_ actor: Actor, childLocalAuthorityID: UUID, shielded: Bool, overridden: Bool) -> Shield {
        Shield(
            hidesWhereabouts: shielded
                && !maySeeWhereabouts(
                    actor, childLocalAuthorityID: childLocalAuthorityID, shielded: shielded, overridden: overridden)
        )
    }

    /// The LA whose shielded children's whereabouts this actor sees (and may shield): theirs,
    /// for its coordinators and safeguarding staff; nil for everyone else.
    public static func shieldingAuthority(_ actor: Actor) -> UUID? {
        actor.roles.isDisjoint(with: [.coordinator, .safeguarding]) ? nil : actor.localAuthorityID
    }

    /// Shielding is set and lifted by the coordinators and safeguarding staff of the child's LA.
    public static func mayShield(_ actor: Actor, childLocalAuthorityID: UUID) -> Bool {
        shieldingAuthority(actor) == childLocalAuthorityID
    }

    /// Safeguarding staff override a shield, giving a reason (PRODUCT.md's roles): those of the
    /// child's LA see the whereabouts anyway, so this is for another LA's front door in an
    /// emergency. Anyone else asks them or the coordinator, who brokers contact: a typed reason
    /// alone never unmasks a family in hiding. The override goes on the LA's review queue at once.
    public static func mayOverrideShield(_ actor: Actor) -> Bool { actor.roles.contains(.safeguarding) }

    /// Shield overrides, like break-glass grants, are reviewed by the LA's coordinators.
    public static func mayReviewShieldOverride(_ actor: Actor, childLocalAuthorityID: UUID) -> Bool {
        mayReviewBreakGlass(actor, localAuthorityID: childLocalAuthorityID)
    }
}

extension AccessPolicy {
    /// A child's names, date of birth, identifiers and whereabouts are changed by those who know
    /// the child: whoever registered them, their CAF team, and the coordinators of the child's LA.
    /// Anyone else who uses the index proposes a name correction, which a coordinator decides, or
    /// tells one of them where the child now lives: a wrong address misdirects everyone who
    /// helps, and is how a family in hiding is found.
    /// Opening a CAF takes only a consent one types, and its author puts whom they like on the
    /// team, so the team counts only within the child's LA, and as it stands under the consent
    /// now: the author, the lead professional, or a named share the consent covers, of an open
    /// episode whose consent is not withdrawn. Someone across a border (a school the child
    /// attends, and whoever its staff put on the team) proposes and tells the coordinator.
    public static func mayChangeDetails(
        _ actor: Actor, childLocalAuthorityID: UUID, registeredChild: Bool, openEpisodes: [EpisodeFacts]
    ) -> Bool {
        guard mayUseIndex(actor) else { return false }
        if registeredChild || coordinatedAuthority(actor) == childLocalAuthorityID { return true }
        return openEpisodes.contains { knowsChild(actor, through: $0, childLocalAuthorityID: childLocalAuthorityID) }
    }

    private static func knowsChild(_ actor: Actor, through episode: EpisodeFacts, childLocalAuthorityID: UUID) -> Bool {
        guard !episode.closed, !episode.consent.isWithdrawn, actor.localAuthorityID == childLocalAuthorityID else {
            return false
        }
        return episode.author.practitionerID == actor.id || episode.leadProfessional?.practitionerID == actor.id
            || episode.shares.contains { $0.practitionerID == actor.id && episode.consent.coversSharing(with: $0.agency) }
    }

    /// A proposed correction is decided by the coordinators of the child's LA.
    public static func mayDecideNameProposal(_ actor: Actor, childLocalAuthorityID: UUID) -> Bool {
        coordinatedAuthority(actor) == childLocalAuthorityID
    }
}

extension AccessPolicy {
    /// An involvement with a service shows to everyone who uses the index, unless the service
    /// is sensitive: then only to that service's own staff and to those the service has
    /// disclosed it to. Opening a CAF, joining its team or typing a consent opens nothing.
    public static func maySeeInvolvement(
        _ actor: Actor, serviceOrganisationID: UUID, sensitive: SensitiveService?, disclosedToActor: Bool
    ) -> Bool {
        guard mayUseIndex(actor) else { return false }
        guard sensitive != nil else { return true }
        return actor.organisationID == serviceOrganisationID || disclosedToActor
    }

    /// Only the service's own staff say who outside it may see a sensitive involvement, and
    /// withdraw that.
    public static func mayDiscloseInvolvement(_ actor: Actor, serviceOrganisationID: UUID) -> Bool {
        mayUseIndex(actor) && actor.organisationID == serviceOrganisationID
    }

    /// Who could be told of a sensitive involvement: someone on the child's team, outside the
    /// service (whose staff see it anyway), who works with children. Least access: those the
    /// service is asked about, never anyone in the country.
    public static func mayBeToldOfInvolvement(_ recipient: Actor, serviceOrganisationID: UUID, onChildsTeam: Bool) -> Bool {
        onChildsTeam && mayUseIndex(recipient) && recipient.organisationID != serviceOrganisationID
    }

    /// A sensitive involvement is disclosed only to someone who may be told of it, on the word
    /// the service may act on: for sexual health the young person's own, for the others the
    /// service's or the young person's.
    public static func disclosureProblem(
        _ service: SensitiveService, agreedBy: DisclosureAgreement, to recipient: Actor, serviceOrganisationID: UUID,
        onChildsTeam: Bool
    ) -> FieldProblem? {
        guard mayBeToldOfInvolvement(recipient, serviceOrganisationID: serviceOrganisationID, onChildsTeam: onChildsTeam)
        else {
            return .init(
                field: "practitionerId",
                message:
                    "Choose someone on the child’s team, outside your service, who works with children: your own staff already see it"
            )
        }
        guard service.agreements.contains(agreedBy) else {
            return .init(field: "agreedBy", message: "\(service.title) services disclose only with the young person’s agreement")
        }
        return nil
    }
}

extension AccessPolicy {
    /// Whose measures an actor may see.
    public enum MeasureRemit: Equatable, Sendable {
        /// Every LA's, aggregate only (a national analyst).
        case nation
        /// One LA's (its coordinators and analysts).
        case localAuthority(UUID)
        /// The CAFs one organisation started (its managers).
        case organisation(UUID, localAuthority: UUID)
    }

    /// Coordinators and analysts of an LA see its measures, managers their organisation's,
    /// an analyst with no LA every LA's; no one else sees them.
    public static func measureRemit(_ actor: Actor) -> MeasureRemit? {
        if actor.roles.contains(.analyst) && actor.localAuthorityID == nil { return .nation }
        guard let localAuthority = actor.localAuthorityID else { return nil }
        if !actor.roles.isDisjoint(with: [.coordinator, .analyst]) { return .localAuthority(localAuthority) }
        if actor.roles.contains(.manager), let organisation = actor.organisationID {
            return .organisation(organisation, localAuthority: localAuthority)
        }
        return nil
    }

    /// Figures about an LA's records (nil: several LAs') shown to anyone outside that LA are
    /// disclosure-controlled.
    public static func needsDisclosureControl(_ actor: Actor, recordsOf localAuthorityID: UUID?) -> Bool {
        localAuthorityID == nil || actor.localAuthorityID != localAuthorityID
    }
}
