import Foundation
import Testing

@testable import CAFCore

@Suite struct OversightTests {
    @Test func onlyCoordinatorsAndSafeguardingOverseeTheirLA() {
        let la = UUID()
        func actor(_ roles: Set<Role>) -> Actor {
            Actor(id: UUID(), roles: roles, organisationID: UUID(), agency: .socialCare, localAuthorityID: la)
        }
        #expect(AccessPolicy.coordinatedAuthority(actor([.coordinator])) == la)
        #expect(AccessPolicy.coordinatedAuthority(actor([.practitioner, .manager, .safeguarding])) == nil)
        #expect(AccessPolicy.safeguardedAuthority(actor([.safeguarding])) == la)
        #expect(AccessPolicy.safeguardedAuthority(actor([.coordinator, .laAdmin])) == nil)
        #expect(AccessPolicy.mayStepDown(actor([.safeguarding])))
        #expect(!AccessPolicy.mayStepDown(actor([.coordinator, .practitioner])))
    }
}
