import Foundation

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
