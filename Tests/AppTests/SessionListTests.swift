import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// ASVS V3.3.4: a person sees where they are signed in and, having entered their password
/// again, signs out of one place or of every other.
@Suite struct SessionListTests {
    @Test func aPersonSeesWhereTheyAreSignedInAndEndsTheOthersWithTheirPassword() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let laptop = PageTests.Browser(world)
            laptop.userAgent = #"Laptop "><script>alert(1)</script>"#
            try await laptop.signIn("amy@demo.test")
            let token = try await world.token("amy@demo.test")
            let phone = PageTests.Browser(world)
            phone.userAgent = "Phone"
            try await phone.signIn("amy@demo.test")
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")

            let list = try await phone.get(SiteURL.sessions.path)
            #expect(list.status == .ok)
            let html = list.body.string
            #expect(html.contains("Phone") && html.contains("API token"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"), "a device is text")
            #expect(html.contains("Yes, you are using it now"))
            let mine = try await PageSession.query(on: world.app.db).filter(\.$device == laptop.userAgent!).first()
            let laptopID = try #require(mine?.id)
            let benAccount = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first())
            let bensID = try #require(
                try await PageSession.query(on: world.app.db).filter(\.$practitioner.$id == benAccount.id!).first()?.id)

            // A wrong password ends nothing; nor does another person's session, named by id.
            let wrong = try await phone.post(
                SiteURL.sessions.path, [("which", laptopID.uuidString), ("password", "not my password")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("href=\"#password\""))
            #expect(try await laptop.get(SiteURL.findChild.path).status == .ok)
            let others = try await phone.post(
                SiteURL.sessions.path, [("which", bensID.uuidString), ("password", TestWorld.password)])
            #expect(others.status == .unprocessableEntity)
            #expect(try await ben.get(SiteURL.findChild.path).status == .ok)

            let one = try await phone.post(
                SiteURL.sessions.path, [("which", laptopID.uuidString), ("password", TestWorld.password)])
            #expect(one.status == .ok)
            #expect(one.body.string.contains("Signed out of 1 place"))
            #expect(try await laptop.get(SiteURL.findChild.path).status == .seeOther)
            #expect(try await world.send(.GET, APIURL.me.path, token: token).status == .ok)

            let all = try await phone.post(SiteURL.sessions.path, [("which", "all"), ("password", TestWorld.password)])
            #expect(all.body.string.contains("Signed out of 1 place"))
            #expect(try await world.send(.GET, APIURL.me.path, token: token).status == .unauthorized)
            #expect(try await phone.get(SiteURL.findChild.path).status == .ok, "the one in use stays")
            #expect(try await ben.get(SiteURL.findChild.path).status == .ok, "no one else's")
            let audited = try await AuditEvent.query(on: world.app.db).filter(\.$action == "end-sessions").count()
            #expect(audited == 2)
        }
    }

    /// Found by review: sessions past their idle or absolute timeout, or begun before the
    /// password last changed, were listed as places one is signed in.
    @Test func theListShowsOnlySessionsThatStillSignIn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let old = PageTests.Browser(world)
            old.userAgent = "Old laptop"
            try await old.signIn("amy@demo.test")
            let idle = PageTests.Browser(world)
            idle.userAgent = "Idle tablet"
            try await idle.signIn("amy@demo.test")
            let phone = PageTests.Browser(world)
            phone.userAgent = "Phone"
            try await phone.signIn("amy@demo.test")
            let tablet = try #require(try await PageSession.query(on: world.app.db).filter(\.$device == "Idle tablet").first())
            tablet.lastSeenAt = Date() - Auth.idleTimeout - 1
            try await tablet.save(on: world.app.db)
            let laptop = try #require(try await PageSession.query(on: world.app.db).filter(\.$device == "Old laptop").first())
            laptop.startedAt = Date() - Auth.absoluteTimeout - 1
            try await laptop.save(on: world.app.db)
            let html = try await phone.get(SiteURL.sessions.path).body.string
            #expect(html.contains("Phone") && !html.contains("Idle tablet") && !html.contains("Old laptop"))
            #expect(html.contains("You are not signed in anywhere else."))
        }
    }

    /// A device is what the browser says, as printable ASCII, to 200 bytes.
    @Test func aDeviceIsBoundedPrintableText() {
        let hostile = "Caf\u{E9}\u{202E}" + String(repeating: "a\u{301}", count: 500)
        let device = DigestSessions.device(hostile)
        #expect(device.utf8.count <= PageSession.deviceLimit)
        #expect(device.hasPrefix("Cafaaa") && device.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
    }
}
