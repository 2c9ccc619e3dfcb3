import Foundation
import Testing

@testable import CAFCore

/// Table-driven: every role against every relationship to one episode, for each action.
@Suite struct AccessPolicyTests {
    let la = UUID()
    let otherLA = UUID()
    let school = UUID()
    let clinic = UUID()
    let police = UUID()

    enum Relation: CaseIterable { case none, author, lead, shared, sharedOutsideConsent, sameOrganisation, sameLA, otherLA }

    func episode(author: UUID, lead: UUID, shared: UUID, sharedOutside: UUID) -> EpisodeFacts {
        EpisodeFacts(
            localAuthorityID: la,
            author: .init(practitionerID: author, organisationID: school, agency: .education),
            leadProfessional: .init(practitionerID: lead, organisationID: school, agency: .education),
            shares: [
                .init(practitionerID: shared, organisationID: clinic, agency: .health),
                .init(practitionerID: sharedOutside, organisationID: police, agency: .police),
            ],
            consent: ConsentScope(store: true, shareWithAgencyTypes: [.education, .health]))
    }

    /// Builds an actor holding `role` who stands in `relation` to the episode.
    func scenario(_ role: Role, _ relation: Relation) -> (Actor, EpisodeFacts) {
        let me = UUID()
        let ids = (author: UUID(), lead: UUID(), shared: UUID(), outside: UUID())
        let facts: EpisodeFacts
        var organisation = UUID()
        var authority = otherLA
        switch relation {
        case .author: facts = episode(author: me, lead: ids.lead, shared: ids.shared, sharedOutside: ids.outside)
        case .lead: facts = episode(author: ids.author, lead: me, shared: ids.shared, sharedOutside: ids.outside)
        case .shared: facts = episode(author: ids.author, lead: ids.lead, shared: me, sharedOutside: ids.outside)
        case .sharedOutsideConsent:
            facts = episode(author: ids.author, lead: ids.lead, shared: ids.shared, sharedOutside: me)
        default: facts = episode(author: ids.author, lead: ids.lead, shared: ids.shared, sharedOutside: ids.outside)
        }
        if relation == .sameOrganisation { organisation = school }
        if relation == .sameOrganisation || relation == .sameLA || relation == .author || relation == .lead {
            authority = la
        }
        return (
            Actor(id: me, roles: [role], organisationID: organisation, agency: .education, localAuthorityID: authority), facts
        )
    }

    /// The expected read decision for each cell of the matrix.
    func expectedRead(_ role: Role, _ relation: Relation) -> Bool {
        guard role.worksWithCases else { return false }
        switch relation {
        case .author, .lead, .shared: return true
        case .sameOrganisation: return role == .manager || role == .coordinator
        case .sameLA: return role == .coordinator
        case .none, .otherLA, .sharedOutsideConsent: return false
        }
    }

    @Test func readMatrix() {
        for role in Role.allCases {
            for relation in Relation.allCases {
                let (actor, facts) = scenario(role, relation)
                let decision = AccessPolicy.decide(actor, .read, facts)
                #expect(decision.isAllowed == expectedRead(role, relation), "\(role) \(relation): \(decision)")
            }
        }
    }

    @Test func writeMatrixOnlyAuthorAndLead() {
        for role in Role.allCases {
            for relation in Relation.allCases {
                let (actor, facts) = scenario(role, relation)
                let allowed = AccessPolicy.decide(actor, .write, facts).isAllowed
                let expected = role.worksWithCases && (relation == .author || relation == .lead)
                #expect(allowed == expected, "\(role) \(relation)")
            }
        }
    }

    @Test func sharingFollowsConsentScope() {
        let (author, facts) = scenario(.practitioner, .author)
        #expect(AccessPolicy.decide(author, .share(with: .health), facts) == .allowed(.author))
        #expect(AccessPolicy.decide(author, .share(with: .police), facts) == .denied(.outsideConsent))
        #expect(AccessPolicy.decide(author, .share(with: nil), facts) == .denied(.outsideConsent))
        let (shared, facts2) = scenario(.practitioner, .shared)
        #expect(AccessPolicy.decide(shared, .share(with: .health), facts2) == .denied(.readOnly))
        let (stranger, facts3) = scenario(.practitioner, .none)
        #expect(AccessPolicy.decide(stranger, .share(with: .health), facts3) == .denied(.notInTeam))
        let (coordinator, facts4) = scenario(.coordinator, .sameLA)
        #expect(AccessPolicy.decide(coordinator, .share(with: .education), facts4) == .allowed(.coordinator))
    }

    @Test func noCaseRolesNeverReadEvenAsAuthor() {
        for role in [Role.laAdmin, .analyst] {
            let (actor, facts) = scenario(role, .author)
            #expect(AccessPolicy.decide(actor, .read, facts) == .denied(.noCaseRole))
            #expect(!AccessPolicy.mayUseIndex(actor))
        }
    }

    @Test func auditIsForCoordinatorsOfTheChildsLA() {
        let (coordinator, _) = scenario(.coordinator, .sameLA)
        #expect(AccessPolicy.mayReadAudit(coordinator, childLocalAuthorityID: la))
        #expect(!AccessPolicy.mayReadAudit(coordinator, childLocalAuthorityID: otherLA))
        let (practitioner, _) = scenario(.practitioner, .author)
        #expect(!AccessPolicy.mayReadAudit(practitioner, childLocalAuthorityID: la))
    }
}
