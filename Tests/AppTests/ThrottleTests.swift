import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Issue 12: sign-in was a lever. Thirty wrong passwords at once were all checked (and the
/// right one accepted after twelve), a burst exhausted the connection pool, and anyone who
/// knew a worker's e-mail could lock them out everywhere for fifteen minutes.
@Suite struct ThrottleTests {
    func signIn(_ world: TestWorld, _ email: String, _ password: String, from address: String) async throws
        -> TestingHTTPResponse
    {
        try await world.send(
            .POST, APIURL.token.path, json: ["email": email, "password": password], headers: ["X-Forwarded-For": address])
    }

    @Test func repeatedFailuresSlowThatAddressAndNotThePerson() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            let attacker = "203.0.113.9"
            for _ in 1...6 {
                #expect(try await signIn(world, "amy@demo.test", "not-her-password", from: attacker).status == .unauthorized)
            }
            // Now even the right password waits, unchecked, and says for how long.
            let slowed = try await signIn(world, "amy@demo.test", TestWorld.password, from: attacker)
            #expect(slowed.status == .tooManyRequests)
            #expect(try world.error(slowed).code == "too-many-attempts")
            let retryAfter = try #require(slowed.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect((1...30).contains(retryAfter))
            // Amy, from her own desk, is not locked out; others from the attacker's address neither.
            #expect(try await signIn(world, "amy@demo.test", TestWorld.password, from: "198.51.100.7").status == .created)
            #expect(try await signIn(world, "ben@demo.test", TestWorld.password, from: attacker).status == .created)
            // A flood of refusals is audited once a wait, not once an attempt.
            #expect(try await signIn(world, "amy@demo.test", "again", from: attacker).status == .tooManyRequests)
            let throttled = try await AuditEvent.query(on: world.app.db).filter(\.$detail == "api throttled").count()
            #expect(throttled == 1)

            // Once the wait is over, one more try: wrong, and the next wait is longer.
            let now = AuditFormat.milliseconds(Date())
            try await (world.app.db as! any SQLDatabase).raw("UPDATE sign_in_throttles SET next_allowed_at = \(bind: now)").run()
            #expect(try await signIn(world, "amy@demo.test", "still-not-it", from: attacker).status == .unauthorized)
            let longer = try await signIn(world, "amy@demo.test", TestWorld.password, from: attacker)
            #expect(longer.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 > 30 } == true)
            let later = AuditFormat.milliseconds(Date())
            try await (world.app.db as! any SQLDatabase).raw("UPDATE sign_in_throttles SET next_allowed_at = \(bind: later)")
                .run()
            #expect(try await signIn(world, "amy@demo.test", TestWorld.password, from: attacker).status == .created)
        }
    }

    /// Counted and checked in one statement: a burst at once is throttled like one at a time,
    /// with no 5xx, and the right password from elsewhere still signs in.
    @Test func aParallelBurstIsThrottledWithoutErrors() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await signIn(world, "gus@demo.test", "guess-guess-guess", from: "203.0.113.50").status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .unauthorized }.count <= world.app.throttle.attempts + 1)
            let checked = try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign-in-failed")
                .filter(\.$detail == "api").count()
            #expect(checked <= world.app.throttle.attempts + 1)
            #expect(try await signIn(world, "gus@demo.test", TestWorld.password, from: "198.51.100.8").status == .created)
        }
    }

    /// Spraying one password across many accounts from one address is slowed too.
    @Test func oneAddressTryingManyAccountsIsSlowed() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            world.app.throttle.addressAttempts = 8
            var statuses: [HTTPStatus] = []
            for index in 0..<5 {
                statuses.append(try await signIn(world, "person\(index)@demo.test", "Summer2026!", from: "203.0.113.77").status)
            }
            // Signing in as oneself gives back one turn, not the address's whole count.
            #expect(try await signIn(world, "ben@demo.test", TestWorld.password, from: "203.0.113.77").status == .created)
            for index in 5..<10 {
                statuses.append(try await signIn(world, "person\(index)@demo.test", "Summer2026!", from: "203.0.113.77").status)
            }
            #expect(statuses.prefix(9).allSatisfy { $0 == .unauthorized }, "\(statuses.map(\.code))")
            #expect(statuses.last == .tooManyRequests)
            #expect(try await signIn(world, "amy@demo.test", TestWorld.password, from: "198.51.100.9").status == .created)
        }
    }

    /// A burst against one account, from anywhere, tells its LA's coordinators: once.
    @Test func coordinatorsAreToldOfABurstAgainstOneAccountOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            world.app.throttle.burst = 4
            for index in 0..<7 {
                _ = try await signIn(world, "amy@demo.test", "wrong-\(index)", from: "192.0.2.\(index)")
            }
            let alerts = try await world.outbox("erin@demo.test")
            #expect(alerts.count == 1)
            let body = try world.body(try #require(alerts.first))
            #expect(body.contains("Amy Clarke") && body.contains("4 failed attempts"))
            // Not the coordinators of another LA.
            let suffolkCoordinators = try await OutboxMessage.query(on: world.app.db).filter(\.$recipient != "erin@demo.test")
                .count()
            #expect(suffolkCoordinators == 0)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign-in-burst").count() == 1)
        }
    }

    /// The address counted: the last X-Forwarded-For entry over all such headers (the one the
    /// trusted proxy added, not one the client sent ahead of it); IPv6 by its /64.
    @Test func theClientAddressIsTheOneTheProxySawAndIPv6CountsByItsSlash64() async throws {
        #expect(SignInThrottle.bucket("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(SignInThrottle.bucket("2001:DB8::1") == "2001:db8:0:0::/64")
        #expect(SignInThrottle.bucket("203.0.113.9") == "203.0.113.9")
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            var headers = HTTPHeaders()
            headers.add(name: .xForwardedFor, value: "198.51.100.1")
            headers.add(name: .xForwardedFor, value: "203.0.113.9")
            let request = Request(application: world.app, headers: headers, on: world.app.eventLoopGroup.next())
            #expect(world.app.throttle.clientAddress(request) == "203.0.113.9")
            world.app.throttle.trustForwarded = false
            #expect(world.app.throttle.clientAddress(request) != "203.0.113.9")
        }
    }

    @Test func aTypedAddressIsAuditedUpTo254Characters() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let typed = String(repeating: "a", count: 300) + "@demo.test"
            try await Audit.record(on: world.app.db, by: nil, email: typed, .signInFailed, outcome: .denied, detail: "web")
            let stored = try #require(try await AuditEvent.query(on: world.app.db).filter(\.$detail == "web").first())
            #expect(stored.actorEmail.count == 254)
        }
    }
}
