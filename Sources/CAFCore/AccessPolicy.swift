import Foundation

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
