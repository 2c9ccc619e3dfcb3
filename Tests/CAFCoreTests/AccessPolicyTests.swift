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

    func episode(
        author: UUID, lead: UUID, shared: UUID, sharedOutside: UUID,
        consent: ConsentState = .given(ConsentScope(store: true, shareWithAgencyTypes: [.education, .health]))
    ) -> EpisodeFacts {
        EpisodeFacts(
            localAuthorityID: la,
            author: .init(practitionerID: author, organisationID: school, agency: .education),
            leadProfessional: .init(practitionerID: lead, organisationID: school, agency: .education),
            shares: [
                .init(practitionerID: shared, organisationID: clinic, agency: .health),
                .init(practitionerID: sharedOutside, organisationID: police, agency: .police),
            ],
            consent: consent)
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

    /// Re-states one scenario's episode under another consent.
    func under(_ consent: ConsentState, _ facts: EpisodeFacts) -> EpisodeFacts {
        EpisodeFacts(
            localAuthorityID: facts.localAuthorityID, author: facts.author, leadProfessional: facts.leadProfessional,
            shares: facts.shares, consent: consent)
    }

    @Test func withdrawalFreezesTheRecordAndKeepsOnlyTheLeadAndCoordinators() {
        for role in Role.allCases {
            for relation in Relation.allCases {
                let (actor, given) = scenario(role, relation)
                let facts = under(.withdrawn, given)
                let inLA: Set<Relation> = [.author, .lead, .sameOrganisation, .sameLA]
                let expected = role.worksWithCases && (relation == .lead || (role == .coordinator && inLA.contains(relation)))
                #expect(AccessPolicy.decide(actor, .read, facts).isAllowed == expected, "\(role) \(relation)")
                #expect(!AccessPolicy.decide(actor, .write, facts).isAllowed, "frozen for \(role) \(relation)")
                #expect(!AccessPolicy.decide(actor, .share(with: .health), facts).isAllowed)
            }
        }
        let (shared, facts) = scenario(.practitioner, .shared)
        #expect(AccessPolicy.decide(shared, .read, under(.withdrawn, facts)) == .denied(.consentWithdrawn))
        let (author, authored) = scenario(.practitioner, .author)
        #expect(AccessPolicy.decide(author, .read, under(.withdrawn, authored)) == .denied(.consentWithdrawn))
    }

    @Test func withoutALeadTheAuthorHoldsAWithdrawnEpisode() {
        let me = UUID()
        let facts = EpisodeFacts(
            localAuthorityID: la, author: .init(practitionerID: me, organisationID: school, agency: .education),
            leadProfessional: nil, shares: [], consent: .withdrawn)
        let actor = Actor(id: me, roles: [.practitioner], organisationID: school, agency: .education, localAuthorityID: la)
        #expect(AccessPolicy.decide(actor, .read, facts) == .allowed(.author))
        #expect(AccessPolicy.decide(actor, .write, facts) == .denied(.consentWithdrawn))
    }

    @Test func narrowingTheScopeRemovesSharesItNoLongerCovers() {
        let (shared, facts) = scenario(.practitioner, .shared)
        #expect(AccessPolicy.decide(shared, .read, facts).isAllowed)
        let narrowed = under(.given(ConsentScope(store: true, shareWithAgencyTypes: [.education])), facts)
        #expect(AccessPolicy.decide(shared, .read, narrowed) == .denied(.notInTeam))
        let (manager, managed) = scenario(.manager, .none)
        #expect(!AccessPolicy.decide(manager, .read, narrowed).isAllowed)
        _ = managed
    }

    @Test func overrideSharesBeyondConsentAndOnlyCoordinatorsOrSafeguardingMayMakeIt() {
        let (police, facts) = scenario(.practitioner, .sharedOutsideConsent)
        #expect(!AccessPolicy.decide(police, .read, facts).isAllowed)
        #expect(AccessPolicy.decide(police, .read, under(.overridden, facts)) == .allowed(.shared))
        let (author, authored) = scenario(.practitioner, .author)
        #expect(AccessPolicy.decide(author, .share(with: .police), under(.overridden, authored)) == .allowed(.author))
        #expect(AccessPolicy.decide(author, .changeConsent(.override), authored) == .denied(.overrideNeedsRole))
        #expect(AccessPolicy.decide(author, .changeConsent(.withdrawn), authored) == .allowed(.author))
        let (mash, sameLA) = scenario(.safeguarding, .sameLA)
        #expect(AccessPolicy.decide(mash, .changeConsent(.override), sameLA) == .allowed(.safeguarding))
        #expect(!AccessPolicy.decide(mash, .read, sameLA).isAllowed)
        #expect(AccessPolicy.decide(mash, .read, under(.overridden, sameLA)) == .allowed(.safeguarding))
        let (otherMash, otherLA) = scenario(.safeguarding, .otherLA)
        #expect(AccessPolicy.decide(otherMash, .changeConsent(.override), otherLA) == .denied(.overrideNeedsRole))
        let (coordinator, coordinated) = scenario(.coordinator, .sameLA)
        #expect(AccessPolicy.decide(coordinator, .changeConsent(.override), coordinated) == .allowed(.coordinator))
        let (reader, readable) = scenario(.practitioner, .shared)
        #expect(AccessPolicy.decide(reader, .changeConsent(.withdrawn), readable) == .denied(.readOnly))
    }
    /// Separation of duties: la-admin is never combined with another role, and an account
    /// that somehow holds both acts as an administrator only.
    @Test func anAdministratorHoldsNoOtherRole() {
        #expect(AccessPolicy.rolesProblem([.laAdmin]) == nil)
        #expect(AccessPolicy.rolesProblem([.practitioner, .coordinator]) == nil)
        for other in Role.allCases where other != .laAdmin {
            #expect(AccessPolicy.rolesProblem([.laAdmin, other])?.field == "roles", "\(other)")
        }
        let (_, facts) = scenario(.coordinator, .sameLA)
        let combined = Actor(
            id: UUID(), roles: [.laAdmin, .coordinator, .safeguarding], organisationID: UUID(), agency: .education,
            localAuthorityID: facts.localAuthorityID)
        #expect(combined.roles == [.laAdmin])
        #expect(AccessPolicy.effectiveRoles([.manager, .coordinator]) == [.manager, .coordinator])
        #expect(AccessPolicy.rolesNeedingApproval(from: [.practitioner], to: [.practitioner, .manager]) == [.manager])
        #expect(AccessPolicy.rolesNeedingApproval(from: [.coordinator], to: [.coordinator, .analyst]).isEmpty)
        #expect(AccessPolicy.leavesTooFewAdministrators(enabledAdministrators: 2, removesOne: true))
        #expect(!AccessPolicy.leavesTooFewAdministrators(enabledAdministrators: 3, removesOne: true))
        #expect(!AccessPolicy.leavesTooFewAdministrators(enabledAdministrators: 2, removesOne: false))
        #expect(!AccessPolicy.decide(combined, .read, facts).isAllowed)
    }

    /// Who changes a child's details: whoever registered them, the LA's coordinators, and the
    /// open team within the child's LA as the consent has it now. Found by review: an author
    /// from another LA could make a colleague lead professional or share with them, and the
    /// colleague could then move the child.
    @Test func detailsAreChangedByThoseTheTeamAndItsConsentPlace() {
        let withdrawn = ConsentState.withdrawn
        let cases: [(String, Relation, Role, Bool, ConsentState?, Bool, Bool)] = [
            // name, relation, role, same LA as child, consent override, author is also lead, expected
            ("author in the child's LA", .author, .practitioner, true, nil, false, true),
            ("author from another LA", .author, .practitioner, false, nil, false, false),
            ("author from another LA who made themselves lead", .author, .practitioner, false, nil, true, false),
            ("lead professional in the child's LA", .lead, .practitioner, true, nil, false, true),
            ("lead professional from another LA", .lead, .practitioner, false, nil, false, false),
            ("named share the consent covers", .shared, .practitioner, true, nil, false, true),
            ("named share the consent covers, from another LA", .shared, .practitioner, false, nil, false, false),
            ("named share outside the consent", .sharedOutsideConsent, .practitioner, true, nil, false, false),
            ("lead once consent is withdrawn", .lead, .practitioner, true, withdrawn, false, false),
            ("author in the LA once consent is withdrawn", .author, .practitioner, true, withdrawn, false, false),
            ("no relation", .none, .practitioner, true, nil, false, false),
            ("coordinator of the child's LA", .none, .coordinator, true, nil, false, true),
            ("coordinator of another LA", .none, .coordinator, false, nil, false, false),
            ("analyst on no team", .none, .analyst, true, nil, false, false),
        ]
        for (name, relation, role, sameLA, consent, authorIsLead, expected) in cases {
            let me = UUID()
            let ids = (author: UUID(), lead: UUID(), shared: UUID(), outside: UUID())
            var facts = episode(
                author: relation == .author ? me : ids.author,
                lead: relation == .lead || authorIsLead ? me : ids.lead,
                shared: relation == .shared ? me : ids.shared, sharedOutside: relation == .sharedOutsideConsent ? me : ids.outside
            )
            if let consent {
                facts = EpisodeFacts(
                    localAuthorityID: facts.localAuthorityID, author: facts.author, leadProfessional: facts.leadProfessional,
                    shares: facts.shares, consent: consent)
            }
            let actor = Actor(
                id: me, roles: [role], organisationID: UUID(), agency: .education, localAuthorityID: sameLA ? la : otherLA)
            #expect(
                AccessPolicy.mayChangeDetails(actor, childLocalAuthorityID: la, registeredChild: false, openEpisodes: [facts])
                    == expected, "\(name)")
            let registrant = AccessPolicy.mayChangeDetails(
                actor, childLocalAuthorityID: la, registeredChild: true, openEpisodes: [])
            #expect(registrant == role.worksWithCases, "\(name), having registered the child")
        }
    }
}
