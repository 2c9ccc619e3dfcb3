import Foundation
import Testing

@testable import CAFCore

@Suite struct ChecklistTests {
    @Test func harmAlwaysMeansThePhoneWhateverElseIsAnswered() {
        let answers = ChecklistAnswers(
            harmConcern: true, worriedOutcomes: [.stayingSafe], familyAskedForHelp: true, ownServiceCanMeet: true,
            needsUnclearOrBroad: false)
        #expect(answers.decision == .safeguarding)
        #expect(ChecklistAnswers(harmConcern: true).problems().isEmpty)
    }

    @Test(arguments: [
        // (worried, asked, own service can meet, unclear or broad) → decision
        (false, false, false, false, ChecklistDecision.noAdditionalNeeds),
        (false, false, true, false, .noAdditionalNeeds),
        (true, false, true, false, .singleService),
        (false, true, true, false, .singleService),
        (true, true, false, false, .caf),
        (true, false, true, true, .caf),
        (false, false, false, true, .caf),
    ])
    func decisions(worried: Bool, asked: Bool, canMeet: Bool, broad: Bool, expected: ChecklistDecision) {
        let answers = ChecklistAnswers(
            harmConcern: false, worriedOutcomes: worried ? [.enjoyingAndAchieving] : [], familyAskedForHelp: asked,
            ownServiceCanMeet: canMeet, needsUnclearOrBroad: broad, reason: "Because")
        #expect(answers.decision == expected)
        #expect(answers.problems().isEmpty)
    }

    @Test func withoutHarmEveryQuestionAndAReasonAreNeeded() {
        #expect(ChecklistAnswers(harmConcern: nil).problems().map(\.field) == ["harmConcern"])
        let fields = ChecklistAnswers(harmConcern: false, reason: " ").problems().map(\.field)
        #expect(fields == ["familyAskedForHelp", "ownServiceCanMeet", "needsUnclearOrBroad", "reason"])
    }

    @Test func safeguardingCallsNeedWhoAndWhatAndFollowUpFallsDue() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let call = SafeguardingCallRecord(
            calledAt: now.addingTimeInterval(-3600), spokeTo: "Duty social worker", advice: .continueCAF,
            adviceNote: "Carry on with the CAF", reference: "MASH-1")
        #expect(call.problems(now: now).isEmpty)
        #expect(call.followUpDue(hours: 48) == now.addingTimeInterval(47 * 3600))
        let blank = SafeguardingCallRecord(
            calledAt: now.addingTimeInterval(3600), spokeTo: "", advice: .noFurtherAction, adviceNote: "", reference: "")
        #expect(blank.problems(now: now).map(\.field) == ["calledAt", "spokeTo", "adviceNote"])
        let due = now.addingTimeInterval(60)
        #expect(FollowUp.state(due: due, sentAt: nil, now: now) == .due)
        #expect(FollowUp.state(due: due, sentAt: nil, now: now.addingTimeInterval(120)) == .overdue)
        #expect(FollowUp.state(due: due, sentAt: now, now: now.addingTimeInterval(120)) == .sent)
        #expect(SafeguardingAdvice.continueCAF.cafContinues && !SafeguardingAdvice.socialCareLead.cafContinues)
    }

    @Test func safeguardingCallsAreReadByTheCallerAndTheLAsCoordinatorsAndSafeguarding() {
        let la = UUID()
        let caller = UUID()
        func actor(_ id: UUID, _ role: Role, _ authority: UUID?) -> Actor {
            Actor(id: id, roles: [role], organisationID: UUID(), agency: .education, localAuthorityID: authority)
        }
        #expect(
            AccessPolicy.mayReadSafeguardingCall(actor(caller, .practitioner, UUID()), callerID: caller, localAuthorityID: la))
        #expect(AccessPolicy.mayReadSafeguardingCall(actor(UUID(), .safeguarding, la), callerID: caller, localAuthorityID: la))
        #expect(AccessPolicy.mayReadSafeguardingCall(actor(UUID(), .coordinator, la), callerID: caller, localAuthorityID: la))
        #expect(
            !AccessPolicy.mayReadSafeguardingCall(actor(UUID(), .safeguarding, UUID()), callerID: caller, localAuthorityID: la))
        #expect(!AccessPolicy.mayReadSafeguardingCall(actor(UUID(), .practitioner, la), callerID: caller, localAuthorityID: la))
        #expect(!AccessPolicy.mayReadSafeguardingCall(actor(caller, .analyst, la), callerID: caller, localAuthorityID: la))
    }

    @Test func consentChangesNeedTheirReasons() {
        #expect(ConsentChange(kind: .withdrawn).problems().map(\.field) == ["reason"])
        #expect(ConsentChange(kind: .override, reason: "Risk of harm from an adult").problems().isEmpty)
        #expect(ConsentChange(kind: .given).problems().map(\.field) == ["consent"])
        #expect(ConsentRefusal(givenBy: .parent, name: "", note: " ").problems().map(\.field) == ["consent.name", "note"])
        #expect(ConsentState.overridden.coversSharing(with: .police))
        #expect(!ConsentState.withdrawn.coversSharing(with: .education))
    }
}
