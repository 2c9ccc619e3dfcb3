import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 14 item 4 (issue 15's racing changes): a check of state ("still a draft", "still
/// pending") is made by the statement that acts on it, so of requests at once exactly one
/// wins and the others are told it came first, never a second success or a 500.
@Suite struct StateRaceTests {
    /// Sends `count` requests at once; their statuses, in the order of `index`.
    static func atOnce(_ count: Int, _ send: @escaping @Sendable (Int) async throws -> HTTPStatus) async throws
        -> [HTTPStatus]
    {
        try await withThrowingTaskGroup(of: (Int, HTTPStatus).self) { group in
            for index in 0..<count { group.addTask { (index, try await send(index)) } }
            let answered = try await group.reduce(into: [Int: HTTPStatus]()) { $0[$1.0] = $1.1 }
            return (0..<count).map { answered[$0]! }
        }
    }

    /// How many times a race is run (bounded): one round could go either way by chance.
    static let rounds = 25

    @Test func anAssessmentIsCompletedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            for round in 1...Self.rounds {
                let episode = try await world.childWithEpisode(as: amy).episodeID
                let saved = try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment())
                #expect(saved.status == .ok)
                let statuses = try await Self.atOnce(8) { _ in
                    try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy).status
                }
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 7, "round \(round): \(statuses)")
            }
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "complete-assessment").count()
            #expect(audited == Self.rounds)
        }
    }

    /// A save racing a completion never changes the completed version, and is never undone
    /// by it: the completion completes what it checked, or is refused if a save came between.
    @Test func aDraftSaveRacingACompletionChangesNothingCompleted() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            #expect(
                try await world.saveAssessment(
                    episode, token: amy, raw: try TestWorld.completeAssessment(level: "2")
                ).status == .ok)
            let later = try TestWorld.completeAssessment(level: "1")
            let statuses = try await Self.atOnce(8) { index in
                index == 0
                    ? try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy).status
                    : try await world.saveAssessment(episode, token: amy, raw: later).status
            }
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .conflict }, "\(statuses)")
            let stored = try await Episodes.latestAssessment(of: episode, on: world.app.db)
            let saves = try await AuditEvent.query(on: world.app.db).filter(\.$action == "save-assessment").all()
            let completion = try await AuditEvent.query(on: world.app.db).filter(\.$action == "complete-assessment").first()
            #expect((completion != nil) == (statuses[0] == .ok) && (stored.status == .completed) == (statuses[0] == .ok))
            // No save is recorded after the completion, and every save answered 200 was kept
            // (the one before the race beside them).
            if let completion { #expect(saves.allSatisfy { $0.sequence < completion.sequence }) }
            #expect(statuses.dropFirst().filter { $0 == .ok }.count == saves.count - 1)
        }
    }

    /// Issue 15: of changes to an action made on one version at once, one is saved; the others
    /// are told it changed (412), and when help started is the first time.
    @Test func anActionIsMovedOnOnceFromOneVersion() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let action = try await world.addAction(to: episode, token: amy)
            let statuses = try await Self.atOnce(8) { index in
                try await world.send(
                    .PATCH, APIURL.action(episode: episode, action: action).path, token: amy,
                    raw: index.isMultiple(of: 2) ? #"{"status": "in-progress"}"# : #"{"status": "done"}"#,
                    headers: ["If-Match": #""1""#]
                ).status
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 7, "\(statuses)")
            let stored = try #require(try await PlanAction.find(action, on: world.app.db))
            #expect(stored.version == 2 && stored.startedAt != nil)
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "update-action").count()
            #expect(audited == 1)
        }
    }

    /// A correction sent twice at once (a double click) is one proposal for the coordinator.
    @Test func aNameCorrectionIsProposedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let hana = try await world.token("hana@demo.test")
            let child = try await world.childWithEpisode(as: amy).childID
            let body = try TestWorld.jsonText([
                "kind": "known-as", "givenName": "Lil", "familyName": "Evans", "reason": "She asked us to call her Lil.",
            ])
            let statuses = try await Self.atOnce(6) { _ in
                try await world.send(.POST, APIURL.childNames(child).path, token: hana, raw: body).status
            }
            #expect(statuses.allSatisfy { $0 == .accepted }, "\(statuses)")
            #expect(try await NameProposal.query(on: world.app.db).filter(\.$child.$id == child).count() == 1)
        }
    }

    /// A disclosure withdrawn from two tabs at once is withdrawn, and audited, once.
    @Test func aDisclosureIsWithdrawnOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            let child = try await world.childWithEpisode(as: amy).childID
            let recorded = try await world.send(
                .POST, APIURL.childInvolvements(child).path, token: ben,
                raw: try TestWorld.jsonText([
                    "service": "Sexual health clinic", "role": "Support", "practitionerName": "Dr Rao",
                    "startedOn": "2026-01-10", "sensitive": "sexual-health",
                ]))
            let clinic = try #require(UUID(uuidString: try world.json(recorded)["id"] as? String ?? ""))
            let disclosed = try await world.send(
                .POST, APIURL.involvementDisclosures(clinic).path, token: ben,
                raw: try TestWorld.jsonText([
                    "practitionerId": try await world.signedIn("amy@demo.test").id.uuidString, "agreedBy": "young-person",
                ]))
            let disclosure = try #require(UUID(uuidString: try world.json(disclosed)["id"] as? String ?? ""))
            let statuses = try await Self.atOnce(6) { _ in
                try await world.send(.DELETE, APIURL.involvementDisclosure(disclosure).path, token: ben).status
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "withdraw-disclosure").count()
            #expect(audited == 1)
        }
    }

    /// Writes racing the episode's close (saves of the assessment, actions added) land wholly
    /// before it or not at all (409 episode-closed): nothing is written to a closed episode.
    @Test func writesRacingACloseLandBeforeItOrNotAtAll() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let action =
                #"{"description": "Sleep clinic", "elementCodes": ["dev.health.general"], "ownerAgency": "Health", "dueOn": "2027-01-05"}"#
            for _ in 0..<5 {  // rounds, since a race may go either way in one
                let episode = try await world.childWithEpisode(as: amy).episodeID
                let read = try #require(
                    try await world.send(.GET, APIURL.assessment(episode).path, token: amy).headers.first(name: .eTag))
                let statuses = try await Self.atOnce(8) { index in
                    switch index {
                    case 0:
                        try await world.send(
                            .POST, APIURL.close(episode).path, token: erin,
                            raw: #"{"reason": "needs-met", "note": "Going well."}"#
                        ).status
                    case _ where index.isMultiple(of: 2):
                        try await world.send(.POST, APIURL.actions(episode).path, token: amy, raw: action).status
                    default:
                        try await world.send(
                            .PUT, APIURL.assessment(episode).path, token: amy, raw: #"{"conclusions": "Writer \#(index)"}"#,
                            headers: ["If-Match": read]
                        ).status
                    }
                }
                #expect(statuses[0] == .ok, "\(statuses)")
                #expect(
                    statuses.dropFirst().allSatisfy { [.ok, .created, .preconditionFailed, .conflict, .forbidden].contains($0) },
                    "\(statuses)")
                let close = try #require(
                    try await AuditEvent.query(on: world.app.db).filter(\.$action == "close-episode")
                        .filter(\.$episodeID == episode).first())
                let writes = try await AuditEvent.query(on: world.app.db).filter(\.$action ~~ ["save-assessment", "add-action"])
                    .filter(\.$episodeID == episode).all()
                #expect(writes.allSatisfy { $0.sequence < close.sequence }, "no write recorded after the close")
                #expect(writes.count == statuses.dropFirst().filter { $0 == .ok || $0 == .created }.count)
            }
        }
    }

    @Test func aReviewIsStartedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            _ = try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment())
            #expect(try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy).status == .ok)
            let statuses = try await Self.atOnce(8) { _ in
                try await world.send(.POST, APIURL.assessments(episode).path, token: amy).status
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
        }
    }

    /// A new episode made by `author`, and the request `requester` made to join its team.
    static func episodeAskedToJoin(_ world: TestWorld, by author: String, asking requester: String) async throws -> (
        episode: UUID, request: UUID
    ) {
        let episode = try await world.childWithEpisode(as: author).episodeID
        let asked = try await world.send(
            .POST, APIURL.episodeAccessRequests(episode).path, token: requester, raw: #"{"reason": "I am the health visitor"}"#)
        return (episode, UUID(uuidString: try world.json(asked)["id"] as! String)!)
    }

    /// Granted and refused at once: one decision stands, and a share exists only if it was
    /// the grant.
    @Test func anAccessRequestIsDecidedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            for round in 1...Self.rounds {
                let (episode, id) = try await StateRaceTests.episodeAskedToJoin(world, by: amy, asking: ben)
                let statuses = try await Self.atOnce(8) { index in
                    let decision = index.isMultiple(of: 2) ? "granted" : "refused"
                    return try await world.send(
                        .POST, APIURL.accessRequestDecision(id).path, token: amy, raw: #"{"decision": "\#(decision)"}"#
                    ).status
                }
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 7, "round \(round): \(statuses)")
                let request = try #require(try await AccessRequest.find(id, on: world.app.db))
                let shares = try await EpisodeShare.query(on: world.app.db).filter(\.$episode.$id == episode).count()
                #expect(shares == (request.status == .granted ? 1 : 0))
            }
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "decide-access-request").count()
            #expect(audited == Self.rounds)
        }
    }

    /// Issue 15: of reviews of one break-glass grant, or one shield override, sent at once by
    /// the coordinator, one is kept and the rest are told it came first, round after round.
    @Test func emergencyAccessIsReviewedOnceARound() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let carla = try await world.token("carla@demo.test")
            let erin = try await world.token("erin@demo.test")
            let sid = try await world.token("sid@demo.test")
            for round in 1...Self.rounds {
                let created = try await world.childWithEpisode(as: amy)
                let grant = try await world.send(
                    .POST, APIURL.episodeBreakGlass(created.episodeID).path, token: carla,
                    raw: #"{"reason": "Child found alone at night; checking who is involved"}"#)
                #expect(grant.status == .created)
                let shielded = try await world.send(
                    .PUT, APIURL.childShield(created.childID).path, token: erin,
                    raw: #"{"shielded": true, "reason": "Court order in place"}"#)
                #expect(shielded.status == .ok)
                let override = try await world.send(
                    .POST, APIURL.childShieldOverrides(created.childID).path, token: sid,
                    raw: #"{"reason": "Child missing from school; police need the address now"}"#)
                #expect(override.status == .created)
                for review in [
                    APIURL.breakGlassReview(UUID(uuidString: try world.json(grant)["id"] as! String)!).path,
                    APIURL.shieldOverrideReview(UUID(uuidString: try world.json(override)["id"] as! String)!).path,
                ] {
                    let statuses = try await Self.atOnce(4) { index in
                        try await world.send(.POST, review, token: erin, raw: #"{"note": "Justified, review \#(index)"}"#)
                            .status
                    }
                    #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round) \(review): \(statuses)")
                    #expect(statuses.filter { $0 == .conflict }.count == 3, "round \(round) \(review): \(statuses)")
                }
            }
            for action in ["review-break-glass", AuditAction.reviewShieldOverride.rawValue] {
                let reviews = try await AuditEvent.query(on: world.app.db).filter(\.$action == action)
                    .filter(\.$outcome == "allowed").count()
                #expect(reviews == Self.rounds, "\(action)")
            }
        }
    }

    /// Issue 15: an episode closed and reopened from several places at once, round after round
    /// (25, bounded): each time one close and one reopening land, and the rest are told so.
    @Test func anEpisodeIsClosedAndReopenedOnceARound() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            for round in 1...25 {
                let closes = try await Self.atOnce(3) { _ in
                    try await world.send(
                        .POST, APIURL.close(episode).path, token: amy, raw: #"{"reason": "needs-met", "note": ""}"#
                    ).status
                }
                #expect(closes.filter { $0 == .ok }.count == 1, "round \(round): \(closes)")
                #expect(closes.filter { $0 == .conflict }.count == 2, "round \(round): \(closes)")
                let reopens = try await Self.atOnce(3) { _ in
                    try await world.send(
                        .POST, APIURL.reopen(episode).path, token: amy, raw: #"{"reason": "New worries, round \#(round)"}"#
                    ).status
                }
                #expect(reopens.filter { $0 == .ok }.count == 1, "round \(round): \(reopens)")
                #expect(reopens.filter { $0 == .conflict }.count == 2, "round \(round): \(reopens)")
            }
            #expect(try await EpisodeReopening.query(on: world.app.db).count() == 25)
            let closed = try await AuditEvent.query(on: world.app.db).filter(\.$action == "close-episode").count()
            #expect(closed == 25)
        }
    }

    /// A step-up sent at once from two tabs is one closure and one referral; social care
    /// accepting and returning it at once makes one decision.
    @Test func anEpisodeIsClosedAndItsReferralDecidedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let closes = try await Self.atOnce(6) { _ in
                try await world.send(
                    .POST, APIURL.close(episode).path, token: amy,
                    raw: #"{"reason": "step-up", "note": "Neglect indicators despite the plan"}"#
                ).status
            }
            #expect(closes.filter { $0 == .ok }.count == 1, "\(closes)")
            #expect(closes.filter { $0 != .ok }.allSatisfy { $0 == .conflict || $0 == .forbidden }, "\(closes)")
            let referrals = try await Referral.query(on: world.app.db).all()
            #expect(referrals.count == 1)
            let gus = try await world.token("gus@demo.test")
            let id = try #require(referrals.first?.id)
            let decisions = try await Self.atOnce(6) { index in
                let body =
                    index.isMultiple(of: 2)
                    ? #"{"decision": "accepted"}"# : #"{"decision": "returned", "reason": "Early help can meet this"}"#
                return try await world.send(.POST, APIURL.referralDecision(id).path, token: gus, raw: body).status
            }
            #expect(decisions.filter { $0 == .ok }.count == 1, "\(decisions)")
            #expect(decisions.filter { $0 == .conflict }.count == 5, "\(decisions)")
            let reopenings = try await EpisodeReopening.query(on: world.app.db).count()
            let decided = try #require(try await Referral.find(id, on: world.app.db))
            #expect(reopenings == (decided.decision == .returned ? 1 : 0))
        }
    }

    /// A statutory follow-up recorded from two tabs at once keeps the first time recorded,
    /// and is audited once; every request is told it is recorded.
    @Test func aSafeguardingFollowUpIsRecordedOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let childID = try await world.registerChild(as: amy)
            let calledAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let call = try await world.send(
                .POST, APIURL.safeguardingCalls(childID).path, token: amy,
                raw:
                    #"{"calledAt": "\#(calledAt)", "spokeTo": "Duty worker", "advice": "continue-caf", "adviceNote": "Carry on", "reference": "M-1"}"#
            )
            #expect(call.status == .created)
            let id = UUID(uuidString: try world.json(call)["id"] as! String)!
            let statuses = try await Self.atOnce(6) { index in
                let sent = ISO8601DateFormatter().string(from: Date().addingTimeInterval(Double(-60 * (index + 1))))
                return try await world.send(.POST, APIURL.callFollowUp(id).path, token: amy, raw: #"{"sentAt": "\#(sent)"}"#)
                    .status
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "record-follow-up").count()
            #expect(audited == 1)
        }
    }

    /// Lead professional changes made at once on one version of the team: one is made, the
    /// rest are told the team changed (412), and one term is open, the episode's lead's.
    @Test func leadChangesAtOnceLeaveOneLead() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            for round in 1...Self.rounds {
                let episode = try await world.childWithEpisode(as: amy).episodeID
                let statuses = try await Self.atOnce(6) { index in
                    let who = index.isMultiple(of: 2) ? "amy@demo.test" : "ben@demo.test"
                    return try await world.send(
                        .POST, APIURL.leadProfessional(episode).path, token: erin,
                        raw: #"{"practitionerEmail": "\#(who)", "basis": "assigned-by-coordinator", "handoverNote": "Cover"}"#,
                        headers: ["If-Match": RecordVersion.etag(1)]
                    ).status
                }
                #expect(statuses.filter { $0 == .created }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .preconditionFailed }.count == 5, "round \(round): \(statuses)")
                let open = try await LeadProfessionalTerm.query(on: world.app.db).filter(\.$episode.$id == episode)
                    .filter(\.$endedAt == nil).all()
                #expect(open.count == 1)
                let lead = try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id
                #expect(open.first?.$practitioner.id == lead)
            }
        }
    }

    /// Asking to join twice at once makes one request (two would each be granted, the second
    /// into the share's unique index).
    @Test func anAccessRequestIsMadeOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let ben = try await world.token("ben@demo.test")
            let statuses = try await Self.atOnce(6) { _ in
                try await world.send(
                    .POST, APIURL.episodeAccessRequests(episode).path, token: ben, raw: #"{"reason": "I am the health visitor"}"#
                ).status
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .ok }, "\(statuses)")
            #expect(try await AccessRequest.query(on: world.app.db).filter(\.$status == .pending).count() == 1)
        }
    }

    /// Opening a CAF for one child from several places at once opens one; the others are
    /// pointed to its team (409), never a 500.
    @Test func oneCAFIsOpenedForAChildAtOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let consent = try TestWorld.jsonText(TestWorld.consentForHealthAndEducation)
            let statuses = try await Self.atOnce(6) { _ in
                try await world.send(.POST, APIURL.childEpisodes(child).path, token: amy, raw: consent).status
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
        }
    }
}
