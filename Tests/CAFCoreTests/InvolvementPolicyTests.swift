import Foundation
import Testing

@testable import CAFCore

@Suite struct InvolvementPolicyTests {
    @Test func sensitiveServicesShowOnlyToThemselvesAndThoseTheyDisclosedTo() {
        let clinic = UUID()
        for role in Role.allCases {
            for sameService in [true, false] {
                for disclosed in [true, false] {
                    let me = Actor(
                        id: UUID(), roles: [role], organisationID: sameService ? clinic : UUID(), agency: .health,
                        localAuthorityID: UUID())
                    let usesIndex = role.worksWithCases
                    #expect(
                        AccessPolicy.maySeeInvolvement(
                            me, serviceOrganisationID: clinic, sensitive: nil, disclosedToActor: disclosed)
                            == usesIndex, "\(role) ordinary")
                    for service in SensitiveService.allCases {
                        #expect(
                            AccessPolicy.maySeeInvolvement(
                                me, serviceOrganisationID: clinic, sensitive: service, disclosedToActor: disclosed)
                                == (usesIndex && (sameService || disclosed)),
                            "\(role) \(service) same \(sameService) disclosed \(disclosed)")
                    }
                    #expect(
                        AccessPolicy.mayDiscloseInvolvement(me, serviceOrganisationID: clinic) == (usesIndex && sameService))
                    for onTeam in [true, false] {
                        #expect(
                            AccessPolicy.mayBeToldOfInvolvement(me, serviceOrganisationID: clinic, onChildsTeam: onTeam)
                                == (usesIndex && !sameService && onTeam))
                    }
                }
            }
        }
    }

    @Test func sexualHealthDisclosesOnlyOnTheYoungPersonsWord() {
        let clinic = UUID()
        let teacher = Actor(
            id: UUID(), roles: [.practitioner], organisationID: UUID(), agency: .education, localAuthorityID: UUID())
        for service in SensitiveService.allCases {
            for agreement in DisclosureAgreement.allCases {
                let refused = AccessPolicy.disclosureProblem(
                    service, agreedBy: agreement, to: teacher, serviceOrganisationID: clinic, onChildsTeam: true)
                #expect((refused?.field == "agreedBy") == (service == .sexualHealth && agreement == .service))
            }
        }
    }
}
