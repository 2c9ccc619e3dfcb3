import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// ASVS V11.1.4, V8.1.4, V11.1.8: one person cannot copy the index however many tokens they
/// hold. Past an hour's allowance they wait; at the alert level their coordinators are told.
@Suite struct RequestAllowanceTests {
    @Test func pastTheHourlyAllowanceAPersonWaitsAndTheirCoordinatorsAreTold() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            // Half past an hour, on a clock of the test's own.
            let halfPast = Date(timeIntervalSince1970: 1_800_001_800)
            world.app.requestAllowance = RequestAllowance(alertAt: 7, limit: 10, now: { halfPast })
            let first = try await world.token("amy@demo.test")
            let second = try await world.token("amy@demo.test")
            // Each token asked for counts too: two, then eight reads.
            for number in 1...8 {
                let read = try await world.send(.GET, APIURL.me.path, token: number.isMultiple(of: 2) ? first : second)
                #expect(read.status == .ok, "request \(number)")
            }
            // At the alert level, once: audited, and each coordinator of amy's LA e-mailed.
            let alerts = try await AuditEvent.query(on: world.app.db).filter(\.$action == "unusual-volume").all()
            #expect(alerts.map(\.actorEmail) == ["amy@demo.test"])
            let told = try await world.outbox("erin@demo.test")
            #expect(told.map(\.subject) == ["Unusually many requests from one eCAF account"])
            #expect(try world.body(try #require(told.first)).contains("amy@demo.test"))
            #expect(try await world.outbox("gus@demo.test").isEmpty, "a coordinator elsewhere is not told")

            // Past the limit, on any token and on pages: 429 with Retry-After, the first audited.
            let refused = try await world.send(.GET, APIURL.me.path, token: first)
            #expect(refused.status == .tooManyRequests)
            #expect(try world.error(refused).code == "request-limit")
            #expect(refused.headers.first(name: "Retry-After") == "1800", "until the hour ends")
            #expect(try await world.send(.GET, APIURL.me.path, token: second).status == .tooManyRequests)
            let page = PageTests.Browser(world)
            try? await page.signIn("amy@demo.test")
            let refusedPage = try await page.get(SiteURL.findChild.path)
            #expect(refusedPage.status == .tooManyRequests)
            #expect(refusedPage.body.string.contains("more than 10 requests"))
            let limited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "request-limit").count()
            #expect(limited == 1, "a flood of refusals is audited once")
            #expect(try await world.outbox("erin@demo.test").count == 1, "told once an hour")

            // Someone else's allowance is their own; amy's comes back with the next hour.
            #expect(try await world.send(.GET, APIURL.me.path, token: try await world.token("ben@demo.test")).status == .ok)
            world.app.requestAllowance.now = { halfPast + 3600 }
            for _ in 1...3 { #expect(try await world.send(.GET, APIURL.me.path, token: first).status == .ok) }
            // An instance whose clock is an hour behind counts into the newer hour, not a fresh one.
            world.app.requestAllowance.now = { halfPast }
            for _ in 4...10 { #expect(try await world.send(.GET, APIURL.me.path, token: first).status == .ok) }
            #expect(try await world.send(.GET, APIURL.me.path, token: first).status == .tooManyRequests)
            #expect(try await world.outbox("erin@demo.test").count == 2, "told again in the new hour, once")
            // An instance whose clock is hours ahead starts its own count, and cannot hold the
            // person's for the hours to come: the right clock counts afresh after it.
            world.app.requestAllowance.now = { halfPast + 10 * 3600 }
            #expect(try await world.send(.GET, APIURL.me.path, token: first).status == .ok)
            world.app.requestAllowance.now = { halfPast + 3600 }
            let after = try await world.send(.GET, APIURL.me.path, token: first)
            #expect(after.status == .ok, "\(after.headers.first(name: "Retry-After") ?? "")")
        }
    }

    /// A person refused a child's record cannot write refusals into the audit log without end:
    /// past the allowance, refusals stop being recorded with everything else.
    @Test func refusalsCountAgainstTheAllowanceToo() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            world.app.requestAllowance = RequestAllowance(
                alertAt: 100, limit: 10, now: { Date(timeIntervalSince1970: 1_800_001_800) })
            let fay = try await world.token("fay@demo.test")
            var statuses: [HTTPStatus] = []
            for _ in 1...30 { statuses.append(try await world.send(.GET, APIURL.child(child).path, token: fay).status) }
            // The token was the first of ten.
            #expect(statuses.prefix(9).allSatisfy { $0 == .forbidden })
            #expect(statuses.dropFirst(9).allSatisfy { $0 == .tooManyRequests })
            let faysEntries = try await AuditEvent.query(on: world.app.db).filter(\.$actorEmail == "fay@demo.test")
                .filter(\.$outcome == "denied").count()
            #expect(faysEntries == 10, "nine refusals and one limit")
        }
    }

    /// Whoever coordinates is told, never the person whose account it is: a coordinator
    /// copying records is reported to their LA's administrators when no one else coordinates.
    @Test func theAlertNeverGoesToThePersonItIsAbout() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let halfPast = Date(timeIntervalSince1970: 1_800_001_800)
            world.app.requestAllowance = RequestAllowance(alertAt: 3, limit: 100, now: { halfPast })
            let erin = try await world.token("erin@demo.test")
            for _ in 1...3 { _ = try await world.send(.GET, APIURL.me.path, token: erin) }
            #expect(try await world.outbox("erin@demo.test").isEmpty)
            let told = try await OutboxMessage.query(on: world.app.db)
                .filter(\.$subject == "Unusually many requests from one eCAF account").all().map(\.recipient)
            #expect(Set(told) == ["fay@demo.test", "gil@demo.test"], "\(told)")
        }
    }

    /// An alert that cannot be sent (here, mail with no key to seal it) costs the person
    /// nothing: their request is answered, and the alert goes with a later one.
    @Test func anAlertThatFailsIsTriedAgainAndNeverCostsTheRequest() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let halfPast = Date(timeIntervalSince1970: 1_800_001_800)
            world.app.requestAllowance = RequestAllowance(alertAt: 2, limit: 100, now: { halfPast })
            let amy = try await world.token("amy@demo.test")
            let working = world.app.mail
            world.app.mail.keys = nil
            #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .ok, "at the alert, unsent")
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "unusual-volume").count() == 0)
            world.app.mail = working
            #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .ok)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "unusual-volume").count() == 1)
            #expect(try await world.outbox("erin@demo.test").count == 1)
        }
    }

    /// Requests are counted in memory and written each second in one statement for everyone
    /// (issue 16), until a person nears their allowance. Three instances, each with its own
    /// tally: the alert comes from the write that crosses it, the refusal is audited once by
    /// the write that crosses the limit (here a flush), the limit is decided on the written
    /// count, and nothing counted is lost as an instance stops.
    @Test func countsAreWrittenInBatchesAndTheLimitHoldsAcrossInstances() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let halfPast = Date(timeIntervalSince1970: 1_800_001_800)
            world.app.requestAllowance = RequestAllowance(alertAt: 5, limit: 8, now: { halfPast })
            let amy = try await world.token("amy@demo.test")
            let amyID = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()?.id)
            func written() async throws -> Int? {
                try await (world.app.db as! any SQLDatabase).raw(
                    "SELECT requests FROM request_counts WHERE practitioner_id = \(bind: amyID)"
                ).first()?.decode(column: "requests", as: Int.self)
            }
            func refusalsAudited() async throws -> Int {
                try await AuditEvent.query(on: world.app.db).filter(\.$action == "request-limit").count()
            }
            let (first, second, third) = (world.app.requestTally, RequestTally(), RequestTally())

            // The token asked for counts, then three reads: four, each instance.
            for _ in 1...3 { #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .ok) }
            #expect(try await written() == nil, "below the alert level nothing is written per request")
            for tally in [second, third] {
                world.app.requestTally = tally
                for _ in 1...4 { #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .ok) }
            }
            try await RequestAllowance.flush(world.app)
            #expect(try await written() == 4)
            #expect(try await world.outbox("erin@demo.test").isEmpty)
            world.app.requestTally = second
            try await RequestAllowance.flush(world.app)
            #expect(try await written() == 8)
            #expect(try await world.outbox("erin@demo.test").count == 1, "the write past the alert level tells them")
            #expect(try await refusalsAudited() == 0)
            // The first instance's four take it to twelve, past the limit, as it stops.
            world.app.requestTally = first
            await RequestTallyService().shutdownAsync(world.app)
            #expect(try await written() == 12, "written as the instance stops")
            #expect(try await refusalsAudited() == 1, "the write past the limit audits it")

            // Stopping, each request is written as it is made, and refused on the written count.
            #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .tooManyRequests)
            #expect(try await written() == 13)
            // The second instance last knew of eight, at the alert level: each request written.
            world.app.requestTally = second
            #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .tooManyRequests)
            #expect(try await written() == 14)
            #expect(try await refusalsAudited() == 1, "audited once")
            #expect(try await world.outbox("erin@demo.test").count == 1, "told once an hour")
        }
    }

    /// The tally on its own: what is being written still counts, a person's waiting requests
    /// are taken in the same step that counts the one that reaches the threshold (so no
    /// request can slip past the limit while another's write is made), what cannot be
    /// written waits again, and a new window keeps what waited.
    @Test func theTallyKnowsWhatIsBeingWrittenAndTakesAtOnce() {
        let tally = RequestTally()
        let (amy, ben) = (UUID(), UUID())
        #expect(tally.count(amy, window: 0, writingAt: 3) == nil)
        #expect(tally.count(amy, window: 0, writingAt: 3) == nil)
        let taken = tally.count(amy, window: 0, writingAt: 3)
        #expect(taken?.requests == 3)
        // While those three are written, amy is still known at three: the next is taken too.
        let next = tally.count(amy, window: 0, writingAt: 3)
        #expect(next?.requests == 1)
        tally.learn([.init(practitioner: amy, window: 0, requests: 3, alerted: false)], for: [taken!])
        tally.restore([next!])
        #expect(tally.count(amy, window: 0, writingAt: 5)?.requests == 2, "the unwritten one waits again")

        #expect(tally.count(ben, window: 0, writingAt: 100) == nil)
        let all = tally.takeAll()
        #expect(all.map(\.practitioner) == [ben] && all.map(\.requests) == [1])
        #expect(tally.count(ben, window: 0, writingAt: 2)?.requests == 1, "one being written, one more")
        // A new hour: what waited for the last one is written with the new.
        #expect(tally.count(ben, window: 0, writingAt: 100) == nil)
        #expect(tally.count(ben, window: 3_600_000, writingAt: 100) == nil)
        #expect(tally.takeAll().map(\.requests) == [2])

        tally.stop()
        #expect(tally.count(UUID(), window: 0, writingAt: 100)?.requests == 1, "stopping, each is written")
    }

    /// The settings: an alert above the limit could never fire, so it is refused by name.
    @Test func theAllowanceIsSetFromTheEnvironment() {
        let settings = Settings.fromEnvironment(demo: true, ["ECAF_REQUEST_ALERT": "2000", "ECAF_REQUEST_LIMIT": "1000"])
        #expect(settings.requestAllowance.limit == 1000)
        #expect(settings.problems.contains("ECAF_REQUEST_ALERT no higher than ECAF_REQUEST_LIMIT"))
    }
}
