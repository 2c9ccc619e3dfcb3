import Foundation
import Testing

@testable import CAFCore

/// Every role, in the child's LA and in another, against a shielded and an unshielded child,
/// with and without an override: who sees the whereabouts, who shields, who overrides.
@Suite struct ShieldingPolicyTests {
    let childLA = UUID()

    func actor(_ role: Role, sameLA: Bool) -> Actor {
        Actor(id: UUID(), roles: [role], organisationID: UUID(), agency: .education, localAuthorityID: sameLA ? childLA : UUID())
    }

    @Test func whereaboutsOfAShieldedChildAreForTheirLAsCoordinatorsAndSafeguardingOnly() {
        for role in Role.allCases {
            for sameLA in [true, false] {
                let me = actor(role, sameLA: sameLA)
                let usesIndex = role.worksWithCases
                let guardian = (role == .coordinator || role == .safeguarding) && sameLA
                #expect(
                    AccessPolicy.maySeeWhereabouts(me, childLocalAuthorityID: childLA, shielded: false, overridden: false)
                        == usesIndex, "\(role) unshielded")
                #expect(
                    AccessPolicy.maySeeWhereabouts(me, childLocalAuthorityID: childLA, shielded: true, overridden: false)
                        == guardian, "\(role) shielded, same LA \(sameLA)")
                #expect(
                    AccessPolicy.maySeeWhereabouts(me, childLocalAuthorityID: childLA, shielded: true, overridden: true)
                        == (guardian || role == .safeguarding), "\(role) overridden: only while they may override")
                #expect(AccessPolicy.mayShield(me, childLocalAuthorityID: childLA) == guardian, "\(role) shields")
                #expect(AccessPolicy.mayOverrideShield(me) == (role == .safeguarding), "\(role) overrides")
                #expect(
                    AccessPolicy.mayReviewShieldOverride(me, childLocalAuthorityID: childLA) == (role == .coordinator && sameLA),
                    "\(role) reviews")
            }
        }
    }
}
