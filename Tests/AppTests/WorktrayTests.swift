import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The worktray and its lists: each list a page of 25 with a count, the rest a link away,
/// paged the GOV.UK way without JavaScript (issues 16 and 18).
@Suite struct WorktrayTests {
    typealias Browser = PageTests.Browser

    /// Opens episodes as amy, each for a child of its own name, until she holds `count`.
    private func caseload(of count: Int, in world: TestWorld, token: String) async throws -> [String] {
        let listed = try world.json(try await world.send(.GET, APIURL.episodes.path, token: token))
        let held = listed["total"] as! Int
        var names: [String] = []
        for index in 0..<max(0, count - held) {
            let given = "Kid" + String(UnicodeScalar(UInt8(97 + index / 26))) + String(UnicodeScalar(UInt8(97 + index % 26)))
            let child = try await world.registerChild(as: token, givenName: given, familyName: "Paging")
            let opened = try await world.send(
                .POST, APIURL.childEpisodes(child).path, token: token,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            #expect(opened.status == .created)
            names.append("\(given) Paging")
        }
        return names
    }

    /// A caseload past one page: the worktray shows the newest 25 and links to the rest; the
    /// list's pages hold every episode exactly once, newest first, 25 at a time.
    @Test func aLongCaseloadIsPagedAndEveryEpisodeIsOnExactlyOnePage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let names = try await caseload(of: 27, in: world, token: amy)
            // All opened at the same moment: only the id orders them, and must, so that a
            // page boundary falls in the same place on every read.
            let amyID = try await world.signedIn("amy@demo.test").id
            try await Episode.query(on: world.app.db).filter(\.$author.$id == amyID).set(\.$openedAt, to: Date()).update()
            let first = try world.json(try await world.send(.GET, APIURL.episodes.path, token: amy))
            let total = first["total"] as! Int
            #expect(total >= 27)
            #expect((first["episodes"] as! [[String: Any]]).count == 25)
            #expect(first["pageSize"] as? Int == 25 && first["page"] as? Int == 1)
            #expect(first["pageCount"] as? Int == (total + 24) / 25)
            var seen: [String] = []
            var opened: [String] = []
            for page in 1...(total + 24) / 25 {
                let listed = try world.json(try await world.send(.GET, APIURL.episodes.path + "?page=\(page)", token: amy))
                let episodes = listed["episodes"] as! [[String: Any]]
                seen += episodes.map { $0["id"] as! String }
                opened += episodes.map { $0["openedAt"] as! String }
            }
            #expect(seen.count == total && Set(seen).count == total)
            #expect(opened == opened.sorted(by: >))
            let past = try world.json(try await world.send(.GET, APIURL.episodes.path + "?page=\(total / 25 + 2)", token: amy))
            #expect((past["episodes"] as! [Any]).isEmpty && past["total"] as? Int == total)

            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let home = try await browser.get(SiteURL.home.path).body.string
            #expect(home.contains(#"href="/worktray/episodes">See all your episodes<"#))
            let glimpse = try await Episodes.list(
                .mine, reading: .glimpse, by: try await world.signedIn("amy@demo.test"), on: world.app.db)
            #expect(glimpse.rows.count == 25 && glimpse.isPartial)
            func episodeLinks(_ html: String, after caption: String) throws -> [String] {
                let table = try #require(html.components(separatedBy: caption).last?.components(separatedBy: "</table>").first)
                return table.components(separatedBy: #"href="/episodes/"#).dropFirst().map { String($0.prefix(36)) }
            }
            let onHome = try episodeLinks(home, after: "Your episodes</caption>")
            #expect(onHome.count == 25)
            // The worktray's glimpse is the list's first page, in the same order.
            let firstPage = try await browser.get(SiteURL.worktrayList(.episodes).path).body.string
            #expect(try episodeLinks(firstPage, after: "Page 1 of") == onHome)

            var onPages: [String: Int] = [:]
            for page in 1...(total + 24) / 25 {
                let list = try await browser.get(SiteURL.worktrayList(.episodes).path + "?page=\(page)")
                #expect(list.status == .ok)
                let body = list.body.string
                for name in names where body.contains(">\(name)<") { onPages[name, default: 0] += 1 }
                #expect(body.contains(#"aria-label="Page \#(page)" aria-current="page""#))
                if page > 1 {
                    #expect(body.contains("Showing \((page - 1) * 25 + 1) to"))
                    #expect(body.contains(#"href="/worktray/episodes" rel="prev""#) || page > 2)
                }
            }
            #expect(names.allSatisfy { onPages[$0] == 1 }, "\(onPages)")
        }
    }

    /// A page number is a whole number from 1 to 4,000: anything else is a 422 naming it,
    /// on the pages and the API alike.
    @Test func aPageNumberOutsideItsBoundsIsRefusedByName() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            for bad in ["0", "-1", "abc", "4001", "1.5", "1e3", "99999999999999999999", "", "%00", "1%20"] {
                let response = try await browser.get(SiteURL.worktrayList(.episodes).path + "?page=\(bad)")
                #expect(response.status == .unprocessableEntity, "\(bad)")
                #expect(response.body.string.contains("Enter a page number from 1 to 4000"), "\(bad)")
            }
            #expect(try await browser.get(SiteURL.worktrayList(.episodes).path + "?page[x]=2").status == .unprocessableEntity)
            #expect(try await browser.get(SiteURL.worktrayList(.episodes).path + "?page=4000").status == .ok)
            let amy = try await world.token("amy@demo.test")
            for bad in ["0", "4001", "x"] {
                for path in [APIURL.episodes.path, APIURL.calls.path] {
                    let response = try await world.send(.GET, path + "?page=\(bad)", token: amy)
                    #expect(response.status == .unprocessableEntity, "\(path) \(bad)")
                    #expect(try world.error(response).field == "page", "\(path) \(bad)")
                }
            }
        }
    }

    /// The LA's lists are the coordinator's: anyone else asking is refused, and the refusal
    /// is audited; an unknown list is not found.
    @Test func onlyACoordinatorReadsTheirLocalAuthoritysLists() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amyPage = Browser(world)
            try await amyPage.signIn("amy@demo.test")
            for list in [WorktrayList.localAuthority, .needingALead] {
                #expect(try await amyPage.get(SiteURL.worktrayList(list).path).status == .forbidden, "\(list)")
            }
            let amy = try await world.token("amy@demo.test")
            #expect(try await world.send(.GET, APIURL.episodes.path + "?mine=false", token: amy).status == .forbidden)
            let refusals = try await AuditEvent.query(on: world.app.db).filter(\.$outcome == "denied")
                .filter(\.$actorEmail == "amy@demo.test").all().map(\.detail)
            #expect(refusals.filter { $0 == "local-authority-list" }.count == 2)
            #expect(refusals.filter { $0 == "needing-a-lead-list" }.count == 1)
            #expect(try await amyPage.get("/worktray/nosuch").status == .notFound)

            let erinPage = Browser(world)
            try await erinPage.signIn("erin@demo.test")
            for list in WorktrayList.allCases {
                #expect(try await erinPage.get(SiteURL.worktrayList(list).path).status == .ok, "\(list)")
            }
            // Her own by default (Vapor read an absent `mine` as false, and gave her the LA's).
            let erin = try await world.token("erin@demo.test")
            let amys = try await world.childWithEpisode(as: amy).episodeID.uuidString
            let all = try world.json(try await world.send(.GET, APIURL.episodes.path + "?mine=false", token: erin))
            #expect((all["episodes"] as! [[String: Any]]).contains { $0["id"] as? String == amys })
            let hers = try world.json(try await world.send(.GET, APIURL.episodes.path, token: erin))
            #expect(!(hers["episodes"] as! [[String: Any]]).contains { $0["id"] as? String == amys })
        }
    }

    /// Without a role that works with children, every list is refused and each refusal
    /// audited; the LA's safeguarding calls are for its safeguarding staff and coordinators.
    @Test func everyListIsRefusedToThoseItIsNotFor() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let natPage = Browser(world)
            try await natPage.signIn("nat@demo.test")
            for list in WorktrayList.allCases {
                #expect(try await natPage.get(SiteURL.worktrayList(list).path).status == .forbidden, "\(list)")
            }
            let refused = try await AuditEvent.query(on: world.app.db).filter(\.$outcome == "denied")
                .filter(\.$actorEmail == "nat@demo.test").count()
            #expect(refused == WorktrayList.allCases.count)

            let calls = SiteURL.worktrayList(.safeguardingCalls).path
            let amyPage = Browser(world)
            try await amyPage.signIn("amy@demo.test")
            #expect(try await amyPage.get(calls).status == .forbidden)
            for email in ["gus@demo.test", "erin@demo.test"] {
                let page = Browser(world)
                try await page.signIn(email)
                #expect(try await page.get(calls).status == .ok, "\(email)")
            }
        }
    }

    /// Drafts are the open episodes a person started whose latest assessment is a draft.
    @Test func theDraftsListHoldsOnlyTheirOwnUncompletedAssessments() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let drafting = try await world.childWithEpisode(as: amy)
            let completing = try await world.childWithEpisode(as: amy)
            #expect(
                try await world.saveAssessment(completing.episodeID, token: amy, raw: try TestWorld.completeAssessment())
                    .status == .ok)
            #expect(try await world.send(.POST, APIURL.completeAssessment(completing.episodeID).path, token: amy).status == .ok)
            let drafts = try await Episodes.list(
                .drafts, reading: .page(.first), by: try await world.signedIn("amy@demo.test"), on: world.app.db
            ).rows.compactMap(\.id)
            #expect(drafts.contains(drafting.episodeID) && !drafts.contains(completing.episodeID))
            let bens = try await Episodes.list(
                .drafts, reading: .page(.first), by: try await world.signedIn("ben@demo.test"), on: world.app.db)
            #expect(!bens.rows.contains { $0.id == drafting.episodeID })
        }
    }

    /// The worktray shows each episode's latest assessment status, read as three columns of
    /// each version rather than whole assessments (issue 16).
    @Test func theWorktrayShowsTheLatestAssessmentStatus() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let drafting = try await browser.get(SiteURL.home.path).body.string
            #expect(!drafting.contains("You have no draft assessments."))
            #expect(drafting.contains(">Draft<") && !drafting.contains(">Completed<"))

            let episode = created.episodeID
            #expect(try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment()).status == .ok)
            let completing = try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy)
            #expect(completing.status == .ok)
            let completed = try await browser.get(SiteURL.home.path).body.string
            #expect(completed.contains(">Completed<") && !completed.contains(">Draft<"))
            #expect(completed.contains("You have no draft assessments."))
        }
    }

    /// Actions due within a week on an open episode a person wrote or leads are on their
    /// worktray, as are actions they own; someone else's worktray does not show them; done
    /// actions and those due later are not there.
    @Test func theWorktrayListsActionsDueOnEpisodesThePersonHoldsOrOwns() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let soon = CalendarDate.iso(Date().addingTimeInterval(3 * 86400))
            let later = CalendarDate.iso(Date().addingTimeInterval(30 * 86400))
            for (description, due) in [("Sleep clinic", soon), ("Swimming lessons", later)] {
                let added = try await world.send(
                    .POST, APIURL.actions(created.episodeID).path, token: amy,
                    raw:
                        #"{"description": "\#(description)", "elementCodes": ["dev.health.general"], "ownerAgency": "Health", "dueOn": "\#(due)"}"#
                )
                #expect(added.status == .created)
            }
            let amysPage = Browser(world)
            try await amysPage.signIn("amy@demo.test")
            let worktray = try await amysPage.get(SiteURL.home.path).body.string
            #expect(worktray.contains("Actions due") && worktray.contains("Sleep clinic"))
            #expect(!worktray.contains("Swimming lessons"))
            let list = try await amysPage.get(SiteURL.worktrayList(.actionsDue).path).body.string
            #expect(list.contains("Sleep clinic") && list.contains("Showing 1 to 1 of 1"))
            let bensPage = Browser(world)
            try await bensPage.signIn("ben@demo.test")
            #expect(!(try await bensPage.get(SiteURL.home.path).body.string.contains("Sleep clinic")))

            // Owned by someone who neither wrote nor leads the episode: on their list too.
            let action = try #require(
                try await PlanAction.query(on: world.app.db).filter(\.$description == "Sleep clinic").first())
            let ben = try await world.signedIn("ben@demo.test")
            action.$ownerPractitioner.id = ben.id
            try await action.save(on: world.app.db)
            #expect(try await ActionPlans.due(for: ben, reading: .page(.first), on: world.app.db).rows.map(\.id) == [action.id])
            action.status = .done
            try await action.save(on: world.app.db)
            #expect(try await ActionPlans.due(for: ben, reading: .page(.first), on: world.app.db).total == 0)
        }
    }

    /// Pagination shows the first and last pages and this one's neighbours, eliding the rest.
    @Test func paginationShowsTheEndsAndTheNeighbours() {
        #expect(Pagination.numbers(current: 1, count: 1) == [1])
        #expect(Pagination.numbers(current: 1, count: 3) == [1, 2, 3])
        #expect(Pagination.numbers(current: 5, count: 10) == [1, nil, 4, 5, 6, nil, 10])
        #expect(Pagination.numbers(current: 10, count: 10) == [1, nil, 9, 10])
        #expect(Pagination.numbers(current: 3, count: 4) == [1, 2, 3, 4])
        #expect(Pagination.numbers(current: 7, count: 3) == [1, 2, 3])
    }

    @Test func countsAreWrittenWithTheirThousandsSeparated() {
        #expect(Format.count(0) == "0")
        #expect(Format.count(999) == "999")
        #expect(Format.count(1_000) == "1,000")
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-12_345) == "-12,345")
    }
}
