import Foundation
import Testing

@testable import CAFCore

@Suite struct AccessRequestPolicyTests {
    @Test func outsidersAskAndTheTeamsHoldersDecide() {
        let la = UUID()
        let author = UUID()
        let facts = EpisodeFacts(
            localAuthorityID: la, author: .init(practitionerID: author, organisationID: UUID(), agency: .education),
            leadProfessional: nil, shares: [], consent: .given(ConsentScope(store: true, shareWithAgencyTypes: [.health])))
        let outsider = Actor(id: UUID(), roles: [.practitioner], organisationID: UUID(), agency: .health, localAuthorityID: la)
        let holder = Actor(id: author, roles: [.practitioner], organisationID: UUID(), agency: .education, localAuthorityID: la)
        #expect(AccessPolicy.decide(outsider, .requestAccess, facts) == .allowed(.requester))
        #expect(AccessPolicy.decide(holder, .requestAccess, facts) == .denied(.alreadyInTeam))
        #expect(AccessPolicy.decide(holder, .decideAccessRequest, facts) == .allowed(.author))
        #expect(AccessPolicy.decide(outsider, .decideAccessRequest, facts) == .denied(.notInTeam))
        let analyst = Actor(id: UUID(), roles: [.analyst], organisationID: nil, agency: nil, localAuthorityID: nil)
        #expect(AccessPolicy.decide(analyst, .requestAccess, facts) == .denied(.noCaseRole))
    }
}
