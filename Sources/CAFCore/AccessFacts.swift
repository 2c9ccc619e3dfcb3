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
