import Foundation
import Testing

@testable import CAFCore

@Suite struct LevelComparisonTests {
    @Test func comparesEveryElementAndSummarisesByDomain() {
        let first = AssessmentContent(elements: [
            ElementAssessment(code: "dev.selfcare", level: .complex),
            ElementAssessment(code: "dev.emotional", level: .additional),
            ElementAssessment(code: "parents.warmth", level: .universal),
            ElementAssessment(code: "family.housing", level: .notAssessed),
        ])
        let review = AssessmentContent(elements: [
            ElementAssessment(code: "dev.selfcare", level: .universal),
            ElementAssessment(code: "dev.emotional", level: .additional),
            ElementAssessment(code: "parents.warmth", level: .complex),
            ElementAssessment(code: "family.housing", level: .noNeed),
        ])
        let comparison = LevelComparison(from: first, to: review)
        #expect(comparison.rows.count == 19)
        func change(_ code: String) -> LevelChange? { comparison.rows.first { $0.element.code == code }?.change }
        #expect(change("dev.selfcare") == .down)
        #expect(change("dev.emotional") == .same)
        #expect(change("parents.warmth") == .up)
        #expect(change("family.housing") == .notComparable)
        #expect(change("dev.identity") == .notComparable)
        let development = comparison.domains.first { $0.domain == .development }!
        #expect((development.down, development.same, development.up, development.notComparable) == (1, 1, 0, 10))
        let parents = comparison.domains.first { $0.domain == .parents }!
        #expect((parents.down, parents.same, parents.up) == (0, 0, 1))
    }

    /// The levels kept beside an assessment compare exactly as the whole content does.
    @Test func levelsTextComparesAsTheContentDoes() {
        let content = AssessmentContent(
            reasonForAssessment: "Private words",
            elements: CAFForm.elements.enumerated().map { index, element in
                ElementAssessment(
                    code: element.code, strengths: "Strengths", needs: "Needs",
                    level: index % 6 == 5 ? nil : LevelOfNeed.allCases[index % 5])
            })
        let text = content.levelsText
        #expect(!text.contains("Private") && !text.contains("Strengths"))
        #expect(text.hasPrefix("\(CAFForm.elements[0].code)=0,\(CAFForm.elements[1].code)=1,"))
        let review = AssessmentContent(
            elements: CAFForm.elements.enumerated().map { index, element in
                ElementAssessment(code: element.code, level: index % 4 == 3 ? nil : LevelOfNeed.allCases[(index * 7) % 5])
            })
        let reordered = AssessmentContent(elements: review.elements.reversed())
        for (before, after) in [
            (content, review), (review, content), (content, content), (AssessmentContent(), review), (reordered, content),
        ] {
            #expect(
                LevelComparison.changes(fromLevels: before.levelsText, toLevels: after.levelsText)
                    == LevelComparison(from: before, to: after).rows.map(\.change))
        }
        // The first of a repeated code counts, as on the form; anything unreadable is skipped.
        let code = CAFForm.elements[2].code
        let changes = LevelComparison.changes(
            fromLevels: "\(code)=1,\(code)=3,nonsense,unknown.code=2,\(CAFForm.elements[3].code)=7", toLevels: "\(code)=0")
        #expect(changes[2] == .down)
        #expect(changes.enumerated().allSatisfy { $0.offset == 2 || $0.element == .notComparable })
    }
}
