import Foundation
import Testing

@testable import CAFCore

@Suite struct ActionPlanTests {
    @Test func actionsNeedWhatWhoWhenAndWhichNeed() {
        let good = PlannedAction(
            description: "Breakfast club place", elementCodes: ["dev.selfcare"], ownerEmail: "", ownerAgency: "School",
            dueOn: "2026-12-18")
        #expect(good.problems().isEmpty)
        let bad = PlannedAction(description: " ", elementCodes: [], ownerEmail: "", ownerAgency: "", dueOn: "soon")
        #expect(bad.problems().map(\.field) == ["description", "elementCodes", "owner", "dueOn"])
        let unknown = PlannedAction(
            description: "x", elementCodes: ["dev.flying"], ownerEmail: "a@b", ownerAgency: "", dueOn: "2026-12-18")
        #expect(unknown.problems().map(\.field) == ["elementCodes"])
    }

    @Test func overdueAndDeliveredOnTime() {
        #expect(ActionDue.isOverdue(status: .planned, dueOn: "2026-11-01", today: "2026-11-23"))
        #expect(ActionDue.isOverdue(status: .inProgress, dueOn: "2026-11-22", today: "2026-11-23"))
        #expect(!ActionDue.isOverdue(status: .done, dueOn: "2026-11-01", today: "2026-11-23"))
        #expect(!ActionDue.isOverdue(status: .planned, dueOn: "2026-11-23", today: "2026-11-23"))
        // Due by the end of its day in England: 23:00 UTC in summer time, midnight in winter.
        let utc = ISO8601DateFormatter()
        #expect(ActionHistory.dueBy("2026-03-31") == utc.date(from: "2026-03-31T23:00:00Z"))
        #expect(ActionHistory.dueBy("2026-11-23") == utc.date(from: "2026-11-24T00:00:00Z"))
        #expect(ActionStatus.inProgress.helpStarted && !ActionStatus.planned.helpStarted)
    }

    @Test func ownersUpdateTheirOwnActionsOnly() {
        let la = UUID()
        let owner = UUID()
        let facts = EpisodeFacts(
            localAuthorityID: la, author: .init(practitionerID: UUID(), organisationID: UUID(), agency: .education),
            leadProfessional: nil, shares: [.init(practitionerID: owner, organisationID: UUID(), agency: .health)],
            consent: .given(ConsentScope(store: true, shareWithAgencyTypes: [.health])))
        let actor = Actor(id: owner, roles: [.practitioner], organisationID: UUID(), agency: .health, localAuthorityID: la)
        #expect(AccessPolicy.decide(actor, .updateAction(owner: owner), facts).isAllowed)
        #expect(AccessPolicy.decide(actor, .updateAction(owner: UUID()), facts) == .denied(.readOnly))
        #expect(AccessPolicy.decide(actor, .coordinate, facts) == .denied(.readOnly))
    }
}
