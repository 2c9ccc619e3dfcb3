import Foundation
import Testing

@testable import CAFCore

@Suite struct BreakGlassPolicyTests {
    @Test func breakGlassReadsOnlyAndOnlyWhileTheGrantLasts() {
        let la = UUID()
        let outsider = UUID()
        func facts(_ holders: Set<UUID>, consent: ConsentState = .given(ConsentScope(store: true, shareWithAgencyTypes: [])))
            -> EpisodeFacts
        {
            EpisodeFacts(
                localAuthorityID: la, author: .init(practitionerID: UUID(), organisationID: UUID(), agency: .education),
                leadProfessional: nil, shares: [], consent: consent, breakGlass: holders)
        }
        let actor = Actor(id: outsider, roles: [.practitioner], organisationID: UUID(), agency: .police, localAuthorityID: UUID())
        #expect(AccessPolicy.decide(actor, .read, facts([])) == .denied(.notInTeam))
        #expect(AccessPolicy.decide(actor, .breakGlass, facts([])) == .allowed(.breakGlass))
        #expect(AccessPolicy.decide(actor, .read, facts([outsider])) == .allowed(.breakGlass))
        #expect(AccessPolicy.decide(actor, .read, facts([outsider], consent: .withdrawn)) == .allowed(.breakGlass))
        for action in [EpisodeAction.write, .coordinate, .share(with: .police), .decideAccessRequest] {
            #expect(!AccessPolicy.decide(actor, action, facts([outsider])).isAllowed, "\(action)")
        }
        let analyst = Actor(id: outsider, roles: [.analyst], organisationID: nil, agency: nil, localAuthorityID: nil)
        #expect(AccessPolicy.decide(analyst, .breakGlass, facts([])) == .denied(.noCaseRole))
    }
}
