import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Server-rendered pages: redirects, CSRF, error summaries that keep what was typed.
@Suite struct PageTests {
    /// A browser-like session: cookies kept, the CSRF token read from each page.
    final class Browser: @unchecked Sendable {
        let world: TestWorld
        var cookie: String?
        var csrf = ""
        /// The revisions the last assessment form was opened at, as its hidden field holds them.
        var revisions = ""
        /// The team version the last episode or team page was opened at, as its forms hold it.
        var teamVersion = ""
        /// The User-Agent it sends, if any.
        var userAgent: String?

        init(_ world: TestWorld) { self.world = world }

        func get(_ path: String) async throws -> TestingHTTPResponse {
            try await request(.GET, path, form: nil)
        }

        /// Posts `form` as the last page's form would, with its hidden token and the revisions
        /// and team version it was opened at (unless `form` names others).
        func post(_ path: String, _ form: [(String, String)], withToken: Bool = true) async throws -> TestingHTTPResponse {
            var opened = form.contains { $0.0 == "revisions" } || revisions.isEmpty ? [] : [("revisions", revisions)]
            if !form.contains(where: { $0.0 == "teamVersion" }) && !teamVersion.isEmpty {
                opened.append(("teamVersion", teamVersion))
            }
            return try await request(.POST, path, form: (withToken ? [(CSRF.field, csrf)] : []) + opened + form)
        }

        private func request(_ method: HTTPMethod, _ path: String, form: [(String, String)]?) async throws -> TestingHTTPResponse
        {
            var headers = HTTPHeaders()
            if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
            if let userAgent { headers.replaceOrAdd(name: .userAgent, value: userAgent) }
            var body: ByteBuffer? = nil
            if let form {
                headers.contentType = .urlEncodedForm
                let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._~"))
                body = ByteBuffer(
                    string: form.map {
                        "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
                    }.joined(separator: "&"))
            }
            let response = try await world.app.testing().sendRequest(method, path, headers: headers, body: body)
            for name in ["__Host-ecaf_session", "ecaf_session"] {
                if let set = response.headers.setCookie?[name] { cookie = "\(name)=\(set.string)" }
            }
            let html = response.body.string
            if let range = html.range(of: #"name="csrfToken" value=""#) {
                csrf = String(html[range.upperBound...].prefix { $0 != "\"" })
            }
            if let range = html.range(of: #"name="teamVersion" value=""#) {
                teamVersion = String(html[range.upperBound...].prefix { $0 != "\"" })
            }
            if let range = html.range(of: #"name="revisions" value=""#) {
                revisions = String(html[range.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&quot;", with: "\"")
            }
            return response
        }

        func signIn(_ email: String) async throws {
            _ = try await get(SiteURL.signIn.path)
            let response = try await post(SiteURL.signIn.path, [("email", email), ("password", TestWorld.password)])
            #expect(response.status == .seeOther)
            _ = try await get(SiteURL.home.path)
        }
    }

    @Test func signedOutPagesRedirectToSignIn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let response = try await Browser(world).get(SiteURL.findChild.path)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == SiteURL.signIn.path)
        }
    }

    @Test func unknownPagesGetAPlainNotFoundPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let response = try await Browser(world).get("/no-such-page")
            #expect(response.status == .notFound)
            #expect(response.body.string.contains("Page not found"))
            let api = try await world.send(.GET, "/api/v1/no-such-thing")
            #expect(api.status == .notFound)
            #expect(try world.error(api).code == "not-found")
        }
    }

    @Test func formsWithoutTheirTokenAreRefused() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let forged = try await browser.post(
                SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)], withToken: false)
            #expect(forged.status == .forbidden)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign-in").count() == 0)
        }
    }

    @Test func signInGivesANewSessionAndSetsSafeCookies() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let before = browser.cookie
            let response = try await browser.post(
                SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            // Outside --demo the cookie is __Host-: Secure, path /, no domain.
            let cookie = response.headers.setCookie?["__Host-ecaf_session"]
            #expect(cookie?.isHTTPOnly == true)
            #expect(cookie?.sameSite == .lax)
            #expect(cookie?.isSecure == true && cookie?.path == "/" && cookie?.domain == nil)
            #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
            #expect(browser.cookie != before)
            let home = try await browser.get(SiteURL.home.path)
            #expect(home.status == .ok)
            #expect(home.headers.first(name: .cacheControl) == "no-store")
            #expect(home.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        }
    }

    /// ASVS V3.3.2: however busy, a session ends 12 hours after its sign-in.
    @Test func sessionsEndTwelveHoursAfterSignInHoweverBusy() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await signedInSessionsAge("signedInAt", by: Auth.absoluteTimeout, world)
        }
    }

    /// Signs amy in, moves a time in every signed-in session's data back past `limit`, and
    /// expects the next page to send her to sign in.
    func signedInSessionsAge(_ key: String, by limit: TimeInterval, _ world: TestWorld) async throws {
        let browser = Browser(world)
        try await browser.signIn("amy@demo.test")
        #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
        for record in try await PageSession.query(on: world.app.db).filter(\.$practitioner.$id != nil).all() {
            var data = try record.sessionData
            data[key] = String(Date().timeIntervalSince1970 - limit - 1)
            try record.setSessionData(data)
            try await record.save(on: world.app.db)
        }
        #expect(try await browser.get(SiteURL.findChild.path).status == .seeOther)
    }

    /// A page request that changes nothing in its session writes nothing (issue 16); its
    /// last-seen time moves on once it is a minute old, so the idle timeout still holds.
    @Test func aSessionIsWrittenOnlyWhenItChanges() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
            func session() async throws -> PageSession {
                try #require(try await PageSession.query(on: world.app.db).filter(\.$practitioner.$id != nil).first())
            }
            let before = try await session()
            for _ in 1...2 { #expect(try await browser.get(SiteURL.findChild.path).status == .ok) }
            let unchanged = try await session()
            #expect(unchanged.lastSeenAt == before.lastSeenAt)
            #expect(unchanged.data == before.data)

            var data = try before.sessionData
            let minuteAgo = Date().timeIntervalSince1970 - Auth.lastSeenStep - 1
            data["lastSeen"] = String(minuteAgo)
            try before.setSessionData(data)
            try await before.save(on: world.app.db)
            #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
            let moved = try await session()
            #expect(moved.lastSeenAt > unchanged.lastSeenAt)
            let lastSeen = try #require(try moved.sessionData["lastSeen"].flatMap(Double.init))
            #expect(lastSeen > minuteAgo + 1)

            // A row last seen a minute ago is written though its data is unchanged: the sweep
            // of idle sessions reads it, for sessions not yet signed in too.
            moved.lastSeenAt = Date() - Auth.lastSeenStep - 1
            try await moved.save(on: world.app.db)
            #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
            let refreshed = try await session()
            #expect(refreshed.lastSeenAt > moved.lastSeenAt + Auth.lastSeenStep)
            #expect(try refreshed.sessionData == moved.sessionData)

            // A last-seen time ahead of this clock (another instance's) is moved back.
            var ahead = try refreshed.sessionData
            ahead["lastSeen"] = String(Date().timeIntervalSince1970 + 3600)
            try refreshed.setSessionData(ahead)
            try await refreshed.save(on: world.app.db)
            #expect(try await browser.get(SiteURL.findChild.path).status == .ok)
            let now = Date().timeIntervalSince1970
            #expect(try #require(try await session().sessionData["lastSeen"].flatMap(Double.init)) <= now)
        }
    }

    @Test func idleSessionsEndAfterFifteenMinutesAndSignOutEndsThemAtOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await signedInSessionsAge("lastSeen", by: Auth.idleTimeout, world)

            let second = Browser(world)
            try await second.signIn("ben@demo.test")
            let kept = second.cookie
            _ = try await second.post(SiteURL.signOut.path, [])
            second.cookie = kept
            #expect(try await second.get(SiteURL.findChild.path).status == .seeOther)
        }
    }

    @Test func badRegistrationKeepsWhatWasTypedAndNamesEachField() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            _ = try await browser.get(SiteURL.registerChild.path)
            let response = try await browser.post(
                SiteURL.registerChild.path,
                [
                    ("givenName", "Lily \"o\" <b>"), ("familyName", ""), ("dateOfBirth-day", "31"), ("dateOfBirth-month", "2"),
                    ("dateOfBirth-year", "2016"), ("postcode", "nowhere"),
                ])
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("There is a problem"))
            #expect(html.contains(##"href="#familyName""##))
            #expect(html.contains(##"href="#dateOfBirth""##))
            #expect(html.contains(##"href="#postcode""##))
            #expect(html.contains(#"value="Lily &quot;o&quot; &lt;b&gt;""#))
            #expect(html.contains("<title>Error: "))
            #expect(try await Child.query(on: world.app.db).count() == 0)
        }
    }

    @Test func refusedEpisodePageNamesWhoToContact() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let carla = Browser(world)
            try await carla.signIn("carla@demo.test")
            let page = try await carla.get(SiteURL.episode(created.episodeID).path)
            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("Amy Clarke"))
            let denied = try await AuditEvent.query(on: world.app.db).filter(\.$outcome == "denied").all()
            #expect(denied.contains { $0.actorEmail == "carla@demo.test" && $0.episodeID == created.episodeID })
        }
    }

    /// The skeleton journey through the pages themselves, on both databases.
    @Test func pageJourneyFromSearchToSharedAssessment() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = Browser(world)
            try await amy.signIn("amy@demo.test")
            _ = try await amy.get(SiteURL.findChild.path)
            let empty = try await amy.post(
                SiteURL.findChild.path, [("q", ""), ("dob-day", ""), ("dob-month", ""), ("dob-year", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains(##"href="#q""##))
            let registered = try await amy.post(
                SiteURL.registerChild.path,
                [
                    ("givenName", "Mo"), ("familyName", "Page"), ("dateOfBirth-day", "3"), ("dateOfBirth-month", "9"),
                    ("dateOfBirth-year", "2015"), ("gender", "male"), ("postcode", ""),
                ])
            #expect(registered.status == .seeOther)
            let childPath = registered.headers.first(name: .location)!
            let childID = UUID(uuidString: String(childPath.split(separator: "/").last!))!
            let found = try await amy.post(
                SiteURL.findChild.path, [("q", "mo pa"), ("dob-day", "3"), ("dob-month", "9"), ("dob-year", "2015")])
            #expect(found.body.string.contains("1 child found"))

            _ = try await amy.get(SiteURL.startEpisode(child: childID).path)
            let noConsent = try await amy.post(SiteURL.startEpisode(child: childID).path, [("consent.name", "Jo Page")])
            #expect(noConsent.status == .unprocessableEntity)
            for field in ["consent-decision", "consent-givenBy", "consent-method", "consent-scope-store"] {
                #expect(noConsent.body.string.contains("href=\"#\(field)\""))
            }
            #expect(noConsent.body.string.contains(#"value="Jo Page""#))
            let opened = try await amy.post(
                SiteURL.startEpisode(child: childID).path,
                [
                    ("consent.decision", "given"), ("consent.givenBy", "both"), ("consent.name", "Jo Page"),
                    ("consent.relationship", "Father"),
                    ("consent.method", "verbal"), ("consent.scope.store", "yes"),
                    ("consent.scope.shareWithAgencyTypes[]", "health"),
                ])
            #expect(opened.status == .seeOther)
            let episode = try #require(try await Episode.query(on: world.app.db).filter(\.$child.$id == childID).first())
            let editPath = SiteURL.editAssessment(episode: episode.id!).path
            #expect(opened.headers.first(name: .location) == editPath)

            _ = try await amy.get(editPath)
            let form = try await amy.get(editPath).body.string
            #expect(form.contains(#"value="Jo Page""#), "the parent who consented is pre-filled")
            #expect(form.contains(#"value="Amy Clarke""#), "the assessor is pre-filled")
            var answers: [(String, String)] = [
                ("reasonForAssessment", "Mo has stopped eating lunch."), ("intent", "complete"),
                ("identifying.ethnicity", "Not given"), ("identifying.childFirstLanguage", "English"),
                ("parents[0].name", "Jo Page"), ("parents[0].relationship", "Father"),
                ("parents[0].parentalResponsibility", "yes"),
                ("assessor.name", "Amy Clarke"), ("assessor.organisation", "Riverside Primary School"),
            ]
            answers += CAFForm.elements.dropFirst().map { ("level.\($0.code)", "1") }
            let incomplete = try await amy.post(editPath, answers)
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.body.string.contains(##"href="#level-dev-health-general""##))
            #expect(incomplete.body.string.contains("Mo has stopped eating lunch."))
            answers.append(("level.dev.health.general", "not-assessed"))
            let completed = try await amy.post(editPath, answers)
            #expect(completed.status == .seeOther)
            #expect(try await Episodes.latestAssessment(of: episode.id!, on: world.app.db).status == .completed)

            _ = try await amy.get(SiteURL.episode(episode.id!).path)
            let shared = try await amy.post(SiteURL.shareEpisode(episode.id!).path, [("practitionerEmail", "ben@demo.test")])
            #expect(shared.body.string.contains("Shared with Ben Okafor"))
            let ben = Browser(world)
            try await ben.signIn("ben@demo.test")
            let read = try await ben.get(SiteURL.assessment(episode: episode.id!).path)
            #expect(read.status == .ok)
            #expect(read.body.string.contains("Mo has stopped eating lunch."))
        }
    }

    @Test func theAssessmentFormShowsEveryElementWithItsPrompt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let html = try await browser.get(SiteURL.editAssessment(episode: created.episodeID).path).body.string
            for element in CAFForm.elements {
                #expect(html.contains(#"name="level.\#(element.code)""#))
                #expect(html.contains(element.prompt.replacingOccurrences(of: "’", with: "’")))
            }
        }
    }
}
