import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The dashboard page and its CSV downloads.
@Suite struct MeasurePageTests {
    @Test func theDashboardDrawsEachMeasureAndDownloadsItsTable() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            try await MeasureAPITests().history(world)
            let erin = PageTests.Browser(world)
            try await erin.signIn("erin@demo.test")
            let page = try await erin.get(SiteURL.measures.path + "?" + MeasureAPITests.year2025)
            #expect(page.status == .ok)
            let html = page.body.string
            for measure in Measure.allCases { #expect(html.contains("id=\"\(measure.rawValue)\""), "\(measure)") }
            #expect(html.contains("role=\"img\" viewBox"))
            #expect(html.contains("<title id=\"chart-time-to-assessment-title\">"))
            #expect(html.contains("Education: 15; Health: 4."))
            #expect(html.contains("Cambridgeshire"))

            let csv = try await erin.get(
                SiteURL.measuresCSV.path + "?measure=time-to-assessment&" + MeasureAPITests.year2025)
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            // ASVS V12.3.4: the file's name is the measure and dates eCAF parsed, never typed text.
            let disposition = csv.headers.first(name: .contentDisposition) ?? ""
            #expect(
                disposition.wholeMatch(of: #/attachment; filename="time-to-assessment-2025-01-01-to-\d{4}-\d{2}-\d{2}\.csv"/#)
                    != nil, "\(disposition)")
            let named = try await erin.get(
                SiteURL.measuresCSV.path + "?measure=time-to-assessment%22%3B.exe&" + MeasureAPITests.year2025)
            #expect(named.status == .notFound)
            #expect(
                csv.body.string
                    == "Agency type,Count,Median days,90th percentile days\r\nEducation,2,15,20\r\nHealth,1,4,4\r\nAll,3,10,20\r\n"
            )

            let bad = try await erin.get(SiteURL.measures.path + "?from=yesterday")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("href=\"#from\""))
            #expect(bad.body.string.contains("value=\"yesterday\""))

            let amy = PageTests.Browser(world)
            try await amy.signIn("amy@demo.test")
            #expect(try await amy.get(SiteURL.measures.path).status == .forbidden)
            #expect(!(try await amy.get(SiteURL.home.path)).body.string.contains(">Measures<"))

            let nat = PageTests.Browser(world)
            try await nat.signIn("nat@demo.test")
            // Analysts land on the measures: they have no worktray of children.
            let home = try await nat.get(SiteURL.home.path)
            #expect(home.status == .seeOther)
            #expect(home.headers.first(name: .location) == SiteURL.measures.path)
            let national = try await nat.get(SiteURL.measures.path + "?" + MeasureAPITests.year2025)
            #expect(national.body.string.contains("All local authorities"))
            #expect(national.body.string.contains("&lt;5"))
            #expect(national.body.string.contains("name=\"localAuthorityId\""))
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(MeasuresController.field("Education") == "Education")
        #expect(MeasuresController.field("Needs met, or single service") == "\"Needs met, or single service\"")
        #expect(MeasuresController.field("Say \"hi\"") == "\"Say \"\"hi\"\"\"")
        #expect(MeasuresController.field("=cmd()") == "'=cmd()")
        #expect(MeasuresController.field("-3") == "-3")
    }
}
