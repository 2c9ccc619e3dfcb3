import Foundation
import Testing

@testable import CAFCore

@Suite struct MeasureRemitTests {
    let la = UUID()
    let organisation = UUID()

    func actor(_ roles: Set<Role>, la: UUID?) -> Actor {
        Actor(id: UUID(), roles: roles, organisationID: la == nil ? nil : organisation, agency: .education, localAuthorityID: la)
    }

    @Test func coordinatorsAnalystsAndManagersSeeTheirRemitAndNoOneElseAny() {
        #expect(AccessPolicy.measureRemit(actor([.coordinator], la: la)) == .localAuthority(la))
        #expect(AccessPolicy.measureRemit(actor([.analyst], la: la)) == .localAuthority(la))
        #expect(AccessPolicy.measureRemit(actor([.analyst], la: nil)) == .nation)
        #expect(AccessPolicy.measureRemit(actor([.manager], la: la)) == .organisation(organisation, localAuthority: la))
        for roles: Set<Role> in [[.practitioner], [.safeguarding], [.laAdmin]] {
            #expect(AccessPolicy.measureRemit(actor(roles, la: la)) == nil, "\(roles)")
        }
    }

    @Test func figuresAreControlledOutsideTheOwningLA() {
        #expect(!AccessPolicy.needsDisclosureControl(actor([.coordinator], la: la), recordsOf: la))
        #expect(AccessPolicy.needsDisclosureControl(actor([.coordinator], la: la), recordsOf: UUID()))
        #expect(AccessPolicy.needsDisclosureControl(actor([.analyst], la: nil), recordsOf: la))
        #expect(AccessPolicy.needsDisclosureControl(actor([.analyst], la: la), recordsOf: nil))
    }
}
