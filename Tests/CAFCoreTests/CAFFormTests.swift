import Foundation
import Testing

@testable import CAFCore

@Suite struct CAFFormTests {
    @Test func formHasEveryNationalElementOnceWithAPrompt() {
        #expect(CAFForm.elements.count == 19)
        #expect(CAFForm.codes.count == 19)
        #expect(CAFForm.elements(in: .development).count == 12)
        #expect(CAFForm.elements(in: .parents).count == 3)
        #expect(CAFForm.elements(in: .family).count == 4)
        #expect(CAFForm.elements.allSatisfy { !$0.prompt.isEmpty && $0.code.hasPrefix($0.domain.rawValue + ".") })
    }

    @Test func levelsReadNumbersAndTextAndRejectOthers() throws {
        let decoder = JSONDecoder()
        let levels = try decoder.decode([LevelOfNeed].self, from: Data(#"[0, "1", 2, 3, "not-assessed"]"#.utf8))
        #expect(levels == [.noNeed, .universal, .additional, .complex, .notAssessed])
        #expect(throws: DecodingError.self) { try decoder.decode([LevelOfNeed].self, from: Data("[4]".utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode([LevelOfNeed].self, from: Data(#"["high"]"#.utf8)) }
        let encoded = try JSONEncoder().encode([LevelOfNeed.complex])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["3"]"#)
    }

    /// Every section completion needs, with the given element levels.
    static func complete(_ elements: [ElementAssessment]) -> AssessmentContent {
        var content = AssessmentContent(reasonForAssessment: "Attendance has dropped", elements: elements)
        content.identifying.ethnicity = "Not given"
        content.identifying.childFirstLanguage = "English"
        content.parents = [ParentCarer(name: "Sue Evans", relationship: "Mother", parentalResponsibility: true)]
        content.assessor.name = "Amy Clarke"
        content.assessor.organisation = "Riverside Primary School"
        return content
    }

    @Test func draftMayLeaveLevelsBlankButCompletionMayNot() {
        var content = Self.complete([ElementAssessment(code: "dev.selfcare", needs: "Late most days", level: .additional)])
        #expect(content.draftProblems().isEmpty)
        let problems = content.completionProblems()
        #expect(problems.count == 18)
        #expect(problems.contains { $0.field == "level.dev.emotional" })
        #expect(!problems.contains { $0.field == "level.dev.selfcare" })

        content.elements = CAFForm.elements.map { ElementAssessment(code: $0.code, level: .notAssessed) }
        #expect(content.completionProblems().isEmpty)
        content.reasonForAssessment = "  "
        #expect(content.completionProblems().map(\.field) == ["reasonForAssessment"])
    }

    @Test func unknownAndRepeatedElementsAreRejectedByName() {
        let content = AssessmentContent(elements: [
            ElementAssessment(code: "dev.flying"), ElementAssessment(code: "family.wider"),
            ElementAssessment(code: "family.wider"),
        ])
        let fields = content.draftProblems().map(\.field)
        #expect(fields == ["elements[0].code", "elements[2].code"])
    }

    @Test func completionNeedsTheFormsRequiredSections() {
        let blank = AssessmentContent(
            reasonForAssessment: "x", elements: CAFForm.elements.map { ElementAssessment(code: $0.code, level: .noNeed) })
        #expect(
            blank.completionProblems().map(\.field)
                == ["identifying.ethnicity", "identifying.childFirstLanguage", "parents[0].name", "assessor.name"])
        var unsure = Self.complete(blank.elements)
        unsure.parents.append(ParentCarer(name: "Tom Evans", relationship: "Father"))
        #expect(unsure.completionProblems().map(\.field) == ["parents[1].parentalResponsibility"])
        var unborn = Self.complete(blank.elements)
        unborn.identifying.unborn = true
        #expect(unborn.completionProblems().map(\.field) == ["identifying.mothersName"])
        unborn.identifying.mothersName = "Sue Evans"
        unborn.identifying.expectedDeliveryDate = "2027-02-30"
        #expect(unborn.draftProblems().map(\.field) == ["identifying.expectedDeliveryDate"])
        unborn.identifying.expectedDeliveryDate = "2027-02-28"
        #expect(unborn.completionProblems().isEmpty)
        #expect(unborn.identifying.displayName(indexName: "Baby Evans") == "Unborn baby of Sue Evans")
        var oddEthnicity = Self.complete(blank.elements)
        oddEthnicity.identifying.ethnicity = "Martian"
        #expect(oddEthnicity.draftProblems().map(\.field) == ["identifying.ethnicity"])
        #expect(Ethnicity.categories.count == 19)
    }

    @Test func overlongTextIsRejected() {
        let long = String(repeating: "a", count: AssessmentContent.maxText + 1)
        let content = AssessmentContent(
            childViews: long)
        #expect(content.draftProblems().map(\.field) == ["childViews"])
    }
}
