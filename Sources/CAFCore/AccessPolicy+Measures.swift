import Foundation

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
