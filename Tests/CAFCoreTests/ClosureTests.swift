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
