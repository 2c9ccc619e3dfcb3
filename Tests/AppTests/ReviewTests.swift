import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct ReviewTests {
    @Test func aReviewIsANewVersionFromTheLastAndLevelsCompare() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let episode = created.episodeID
            let early = try await world.send(.POST, APIURL.assessments(episode).path, token: amy)
            #expect(early.status == .conflict)

            _ = try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment(level: "2"))
            _ = try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy)
            let review = try await world.send(.POST, APIURL.assessments(episode).path, token: amy)
            #expect(review.status == .created)
            let body = try world.json(review)
            #expect(body["version"] as? Int == 2)
            #expect(body["status"] as? String == "draft")
            #expect(body["reasonForAssessment"] as? String == "Attendance has fallen to 80% and Lily seems withdrawn.")
            #expect(try await world.send(.POST, APIURL.assessments(episode).path, token: amy).status == .conflict)

            var levels = CAFForm.elements.map { ["code": $0.code, "level": "2"] }
            levels[7] = ["code": "dev.selfcare", "level": "1"]
            levels[13] = ["code": "parents.warmth", "level": "3"]
            let reviewBody = try TestWorld.jsonText([
                "identifying": ["ethnicity": "Not given", "childFirstLanguage": "English"],
                "parents": [["name": "Sue Evans", "relationship": "Mother", "parentalResponsibility": true]],
                "assessor": ["name": "Amy Clarke", "organisation": "Riverside Primary School"],
                "reasonForAssessment": "Review after six weeks", "elements": levels,
            ])
            #expect(try await world.saveAssessment(episode, token: amy, raw: reviewBody).status == .ok)
            #expect(try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy).status == .ok)

            let first = try world.json(try await world.send(.GET, APIURL.assessment(episode).path + "?version=1", token: amy))
            #expect(first["reasonForAssessment"] as? String == "Attendance has fallen to 80% and Lily seems withdrawn.")
            #expect(try await world.send(.GET, APIURL.assessment(episode).path + "?version=9", token: amy).status == .notFound)

            let comparison = try world.json(try await world.send(.GET, APIURL.comparison(episode).path, token: amy))
            #expect(comparison["fromVersion"] as? Int == 1)
            #expect(comparison["toVersion"] as? Int == 2)
            let elements = comparison["elements"] as? [[String: Any]] ?? []
            #expect(elements.first { $0["code"] as? String == "dev.selfcare" }?["change"] as? String == "down")
            #expect(elements.first { $0["code"] as? String == "parents.warmth" }?["change"] as? String == "up")
            #expect(elements.filter { $0["change"] as? String == "same" }.count == 17)
            let domains = comparison["domains"] as? [[String: Any]] ?? []
            #expect(domains.first { $0["domain"] as? String == "dev" }?["down"] as? Int == 1)

            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let page = try await browser.get(SiteURL.comparison(episode).path + "?from=1&to=2").body.string
            #expect(page.contains("Compare levels of need"))
            #expect(page.contains(">Down<"))
            #expect(page.contains(">Up<"))
            let episodePage = try await browser.get(SiteURL.episode(episode).path).body.string
            #expect(episodePage.contains("Read version 1"))
            #expect(episodePage.contains("Start a review"))
            let started = try await browser.post(SiteURL.startReview(episode).path, [])
            #expect(started.headers.first(name: .location) == SiteURL.editAssessment(episode: episode).path)
            #expect(try await Assessment.query(on: world.app.db).count() == 3)
            let reviews = try await AuditEvent.query(on: world.app.db).filter(\.$action == "start-review").count()
            #expect(reviews == 2)
        }
    }

    @Test func sharedReadersCannotStartAReview() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            let ben = try await world.token("ben@demo.test")
            #expect(try await world.send(.POST, APIURL.assessments(created.episodeID).path, token: ben).status == .forbidden)
        }
    }
}
