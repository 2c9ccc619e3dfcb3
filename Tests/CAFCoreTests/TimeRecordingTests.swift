import CAFCore
import Foundation
import Testing

@Suite struct TimeRecordingTests {
    @Test func activeTimeCountsShortGapsAndNotIdlePages() {
        #expect(ActiveTime.counted(gap: 90, pinging: true) == 90)
        #expect(ActiveTime.counted(gap: 300, pinging: false) == 300)
        // Pinging stopped: nobody was there.
        #expect(ActiveTime.counted(gap: 301, pinging: true) == 0)
        // No JavaScript: opening to saving counts, at most twenty minutes.
        #expect(ActiveTime.counted(gap: 900, pinging: false) == 900)
        #expect(ActiveTime.counted(gap: 7200, pinging: false) == 1200)
        #expect(ActiveTime.counted(gap: -5, pinging: false) == 0)
    }

    @Test func manualEntriesNameEachProblem() {
        let today = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
        #expect(TimeEntry(activity: .calls, minutes: 15, on: "2026-11-23").problems(today: today).isEmpty)
        #expect(
            TimeEntry(activity: nil, minutes: 0, on: "2026-11-24").problems(today: today).map(\.field) == [
                "activity", "minutes", "on",
            ])
        #expect(TimeEntry(activity: .visits, minutes: 721, on: "x").problems(today: today).map(\.field) == ["minutes", "on"])
        #expect(
            TimeEntry(activity: .assessmentWriting, minutes: 30, on: "2026-11-23").problems(today: today).map(\.field) == [
                "activity"
            ])
    }

    @Test func onlyThoseDoingTheWorkRecordTime() {
        let la = UUID()
        let author = Actor(id: UUID(), roles: [.practitioner], organisationID: UUID(), agency: .education, localAuthorityID: la)
        let shared = Actor(id: UUID(), roles: [.practitioner], organisationID: UUID(), agency: .health, localAuthorityID: la)
        let manager = Actor(
            id: UUID(), roles: [.manager], organisationID: author.organisationID, agency: .education, localAuthorityID: la)
        let stranger = Actor(id: UUID(), roles: [.practitioner], organisationID: UUID(), agency: .police, localAuthorityID: la)
        let facts = EpisodeFacts(
            localAuthorityID: la,
            author: .init(practitionerID: author.id, organisationID: author.organisationID, agency: .education),
            leadProfessional: nil,
            shares: [.init(practitionerID: shared.id, organisationID: shared.organisationID, agency: .health)],
            consent: .given(ConsentScope(store: true, shareWithAgencyTypes: [.health])))
        #expect(AccessPolicy.decide(author, .recordTime, facts) == .allowed(.author))
        #expect(AccessPolicy.decide(shared, .recordTime, facts) == .allowed(.shared))
        #expect(AccessPolicy.decide(manager, .recordTime, facts) == .denied(.readOnly))
        #expect(AccessPolicy.decide(stranger, .recordTime, facts) == .denied(.notInTeam))
    }
}
