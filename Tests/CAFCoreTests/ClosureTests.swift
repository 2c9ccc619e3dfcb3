import Foundation
import Testing

@testable import CAFCore

@Suite struct ClosureTests {
    let la = UUID()
    let author = UUID()

    func facts(closed: Bool, referred: Bool = false) -> EpisodeFacts {
        EpisodeFacts(
            localAuthorityID: la, author: .init(practitionerID: author, organisationID: UUID(), agency: .education),
            leadProfessional: nil, shares: [], consent: .given(ConsentScope(store: true, shareWithAgencyTypes: [.health])),
            closed: closed, referredToSocialCare: referred)
    }

    func actor(_ id: UUID, _ role: Role, la: UUID? = nil) -> Actor {
        Actor(id: id, roles: [role], organisationID: UUID(), agency: .education, localAuthorityID: la ?? self.la)
    }

    @Test func closedEpisodesAreReadOnlyUntilReopened() {
        let me = actor(author, .practitioner)
        let closed = facts(closed: true)
        #expect(AccessPolicy.decide(me, .read, closed).isAllowed)
        for action in [
            EpisodeAction.write, .coordinate, .share(with: .health), .changeConsent(.given), .updateAction(owner: author),
        ] {
            #expect(AccessPolicy.decide(me, action, closed) == .denied(.closed), "\(action)")
        }
        #expect(AccessPolicy.decide(me, .reopen, closed) == .allowed(.author))
        #expect(AccessPolicy.decide(me, .reopen, facts(closed: false)) == .denied(.notClosed))
        #expect(AccessPolicy.decide(actor(UUID(), .practitioner), .reopen, closed) == .denied(.notInTeam))
    }

    @Test func safeguardingReadsAndDecidesOnlyStepUpsToTheirLA() {
        let mash = actor(UUID(), .safeguarding)
        #expect(!AccessPolicy.decide(mash, .read, facts(closed: true)).isAllowed)
        #expect(AccessPolicy.decide(mash, .read, facts(closed: true, referred: true)) == .allowed(.safeguarding))
        #expect(AccessPolicy.decide(mash, .decideReferral, facts(closed: true, referred: true)) == .allowed(.safeguarding))
        #expect(AccessPolicy.decide(mash, .decideReferral, facts(closed: true)) == .denied(.decisionNeedsSafeguarding))
        let elsewhere = actor(UUID(), .safeguarding, la: UUID())
        #expect(
            AccessPolicy.decide(elsewhere, .decideReferral, facts(closed: true, referred: true))
                == .denied(.decisionNeedsSafeguarding))
        #expect(
            AccessPolicy.decide(actor(author, .practitioner), .decideReferral, facts(closed: true, referred: true))
                == .denied(.decisionNeedsSafeguarding))
    }

    @Test func closureNotesAreNeededForOtherAndStepUp() {
        #expect(EpisodeClosure(reason: .needsMet, note: "").problems().isEmpty)
        #expect(EpisodeClosure(reason: .other, note: " ").problems().map(\.field) == ["note"])
        #expect(EpisodeClosure(reason: .stepUp, note: "").problems().map(\.field) == ["note"])
        #expect(ClosureReason.allCases.count == 7)
    }
}

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
