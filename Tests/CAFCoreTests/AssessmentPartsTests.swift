import Foundation
import Testing

@testable import CAFCore

@Suite struct AssessmentPartsTests {
    /// A form with something in every kind of field.
    static func filled() -> AssessmentContent {
        var content = AssessmentContent(
            peoplePresent: "Mum, Lily", reasonForAssessment: "Attendance has dropped",
            elements: CAFForm.elements.map {
                ElementAssessment(code: $0.code, strengths: "Tries hard", needs: "Support", level: .additional)
            }, childViews: "Wants help with reading", parentViews: "Worried", conclusions: "Reading support")
        content.identifying.ethnicity = "Not given"
        content.identifying.disability = false
        content.parents = [ParentCarer(name: "Rose Evans", relationship: "Mother", parentalResponsibility: true)]
        content.services = [ServiceInvolved(service: "School nurse", contact: "Jo, 01234")]
        content.assessor.name = "Amy Adams"
        content.family.siblings = "Tom, 9"
        return content
    }

    @Test func theFormsFieldsDescribeTheContentExactly() {
        let content = Self.filled()
        #expect(AssessmentContent(fields: content.fields) == content)
        #expect(content.fields.keys.allSatisfy { AssessmentPart.of(field: $0) != nil })
        #expect(AssessmentPart.of(field: "needs.dev.emotional") == .development)
        #expect(AssessmentPart.of(field: "level.parents.warmth") == .parenting)
        #expect(AssessmentPart.of(field: "strengths.family.housing") == .familyAndEnvironment)
        #expect(AssessmentPart.of(field: "parents[0].name") == .parentsAndCarers)
        #expect(AssessmentPart.of(field: "services[2].contact") == .details)
        #expect(AssessmentPart.of(field: "needs.nowhere") == nil)
        #expect(AssessmentPart.of(field: "intent") == nil)
    }

    @Test func replacingAPartTakesThatPartAlone() {
        let mine = Self.filled()
        var theirs = mine
        theirs.conclusions = "Theirs"
        theirs.elements[0].needs = "Their health words"
        let combined = mine.replacing(.development, from: theirs)
        #expect(combined.element(CAFForm.elements[0].code).needs == "Their health words")
        #expect(combined.conclusions == mine.conclusions)
        #expect(combined.fields(of: .development) == theirs.fields(of: .development))
    }

    @Test func replacingAPartLeavesEverythingElseAsItWas() {
        var content = Self.filled()
        content.services = (1...8).map { ServiceInvolved(service: "Service \($0)", contact: "") }
        content.parents.append(ParentCarer(name: "", relationship: "", postcode: "CB1 1AA"))
        content.elements.reverse()
        let replaced = content.replacing(.conclusions, from: AssessmentContent(conclusions: "New"))
        #expect(replaced.services.count == 8 && replaced.parents == content.parents && replaced.elements == content.elements)
        #expect(replaced.conclusions == "New" && replaced.childViews.isEmpty)
        let parenting = content.replacing(.parenting, from: AssessmentContent())
        #expect(parenting.elements.map(\.code) == content.elements.map(\.code).filter { !$0.hasPrefix("parents.") })
    }

    @Test func revisionsTravelAsAnETagAndNothingElseReadsAsOne() throws {
        var revisions = AssessmentRevisions(version: 2)
        revisions[.development] = 4
        #expect(revisions.etag == #""v2-1.1.4.1.1.1""#)
        #expect(AssessmentRevisions(etag: revisions.etag) == revisions)
        #expect(AssessmentRevisions(etag: "W/" + revisions.etag) == revisions)
        #expect(AssessmentRevisions(version: 2, stored: revisions.stored) == revisions)
        #expect(AssessmentRevisions(version: 3, stored: "")[.details] == 1)
        for hostile in [
            "", "*", "\"\"", "\"v\"", "\"v2\"", "\"v0-1.1.1.1.1.1\"", "\"v2-1.1.1.1.1\"", "\"v2-1.1.1.1.1.1.1\"",
            "\"v2-1.1.0.1.1.1\"", "\"v2-1.1.-1.1.1.1\"", "v2-1.1.1.1.1.1", "\"v99999999999999999999-1.1.1.1.1.1\"",
            "\"v2-1.1.1.1.1.\(String(repeating: "9", count: 300))\"", "\"v2-1.1.1.1.1.1\", \"v3-1.1.1.1.1.1\"",
        ] {
            #expect(AssessmentRevisions(etag: hostile) == nil, "\(hostile)")
        }
    }

    @Test func editsOfDifferentFieldsMergeAndEditsOfOneFieldKeepBoth() {
        let base = Self.filled()
        let code = CAFForm.elements[0].code
        var theirs = base
        theirs.childViews = "Lily says reading is hard"
        theirs.elements[0].needs = "Glasses checked"
        theirs.elements[0].level = .complex
        var mine = base
        mine.parentViews = "Mum wants a plan"
        mine.elements[0].needs = "Needs a hearing test"
        mine.elements[0].level = .universal
        let merge = AssessmentMerge(base: base, mine: mine, theirs: theirs)
        #expect(merge.merged.childViews == "Lily says reading is hard")
        #expect(merge.merged.parentViews == "Mum wants a plan")
        #expect(merge.merged.element(code).needs == "Glasses checked\n\nNeeds a hearing test")
        #expect(merge.merged.element(code).level == .universal, "a choice keeps this person's, for them to settle")
        #expect(
            merge.conflicts == [
                .init(field: "level.\(code)", theirs: "3", mine: "1"),
                .init(field: "needs.\(code)", theirs: "Glasses checked", mine: "Needs a hearing test"),
            ])
    }

    @Test func textThatAlreadyHoldsTheOtherIsNotRepeated() {
        var base = Self.filled()
        base.conclusions = "Reading"
        var theirs = base
        theirs.conclusions = "Reading support"
        var mine = base
        mine.conclusions = "Reading support, twice a week"
        let merge = AssessmentMerge(base: base, mine: mine, theirs: theirs)
        #expect(merge.merged.conclusions == "Reading support, twice a week")
        #expect(merge.conflicts.map(\.field) == ["conclusions"])
        #expect(AssessmentMerge(base: base, mine: base, theirs: theirs).conflicts.isEmpty)
    }
}
