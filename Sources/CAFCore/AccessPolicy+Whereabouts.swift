import Foundation

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
