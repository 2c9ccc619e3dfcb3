import Foundation
import Testing

@testable import CAFCore

@Suite struct InvolvementPolicyTests {
    @Test func sensitiveServicesShowOnlyToThemselvesAndThoseTheConsentCovers() {
        let clinic = UUID()
        for role in Role.allCases {
            for sameService in [true, false] {
                for covered in [true, false] {
                    let me = Actor(
                        id: UUID(), roles: [role], organisationID: sameService ? clinic : UUID(), agency: .health,
                        localAuthorityID: UUID())
                    let usesIndex = role.worksWithCases
                    #expect(
                        AccessPolicy.maySeeInvolvement(me, serviceOrganisationID: clinic, sensitive: nil, consentCovers: covered)
                            == usesIndex, "\(role) ordinary")
                    for service in SensitiveService.allCases {
                        #expect(
                            AccessPolicy.maySeeInvolvement(
                                me, serviceOrganisationID: clinic, sensitive: service, consentCovers: covered)
                                == (usesIndex && (sameService || covered)),
                            "\(role) \(service) same \(sameService) covered \(covered)")
                    }
                }
            }
        }
    }
}
