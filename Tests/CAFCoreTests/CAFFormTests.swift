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

@Suite struct IdentifierTests {
    @Test(arguments: [("cb1 2ab", "CB1 2AB"), ("SW1A1AA", "SW1A 1AA"), ("ip14  1aa", "IP14 1AA")])
    func postcodesNormalise(input: String, expected: String) {
        #expect(Postcode.normalised(input) == expected)
    }

    @Test(arguments: ["", "CB1", "12345", "CB1 2A1", "CB!1 2AB"])
    func badPostcodesAreRejected(input: String) {
        #expect(Postcode.normalised(input) == nil)
    }

    @Test func datesOfBirthMustBeRealAndPast() {
        let today = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
        #expect(CalendarDate.dateOfBirthProblem("2015-03-27", today: today) == nil)
        #expect(CalendarDate.dateOfBirthProblem("2015-02-30", today: today) != nil)
        #expect(CalendarDate.dateOfBirthProblem("27/03/2015", today: today) != nil)
        #expect(CalendarDate.dateOfBirthProblem("2026-11-24", today: today) != nil)
        #expect(CalendarDate.fromParts(day: "7", month: "3", year: "2015") == "2015-03-07")
        #expect(CalendarDate.fromParts(day: "31", month: "4", year: "2015") == nil)
    }

    @Test func expectedDeliveryIsFromTwoWeeksAgoToTenMonthsAhead() {
        let today = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
        #expect(CalendarDate.expectedDeliveryProblem("2027-02-14", today: today) == nil)
        #expect(CalendarDate.expectedDeliveryProblem("2026-11-09", today: today) == nil)
        #expect(CalendarDate.expectedDeliveryProblem("2026-11-08", today: today)?.contains("give the date of birth") == true)
        #expect(CalendarDate.expectedDeliveryProblem("2027-09-23", today: today) == nil)
        #expect(CalendarDate.expectedDeliveryProblem("2027-09-24", today: today)?.contains("10 months") == true)
        #expect(CalendarDate.expectedDeliveryProblem("2027-02-30", today: today) != nil)
    }

    @Test func anUnbornBabyIsRegisteredByTheirExpectedDateOfDelivery() throws {
        let today = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
        let unborn = ChildRegistration(
            givenName: "", familyName: "Evans", dateOfBirth: "2027-02-14", gender: nil, postcode: nil, unborn: true)
        let clean = try unborn.validated(today: today)
        #expect(clean.givenName == ChildRegistration.unbornGivenName)
        #expect(clean.unborn)
        var born = unborn
        born.unborn = false
        do {
            _ = try born.validated(today: today)
            Issue.record("a date of birth in the future must be refused")
        } catch {
            #expect(error.problems.map(\.field) == ["givenName", "dateOfBirth"])
        }
        var late = unborn
        late.dateOfBirth = "2016-05-01"
        do {
            _ = try late.validated(today: today)
            Issue.record("an expected date of delivery ten years ago must be refused")
        } catch {
            #expect(error.problems.map(\.field) == ["expectedDeliveryDate"])
        }
    }

    @Test func registrationNamesEveryBadField() throws {
        let today = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
        let bad = ChildRegistration(givenName: " ", familyName: "", dateOfBirth: "x", gender: nil, postcode: "nope")
        do {
            _ = try bad.validated(today: today)
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.map(\.field) == ["givenName", "familyName", "dateOfBirth", "postcode"])
        }
        let good = ChildRegistration(
            givenName: " Lily ", familyName: "Evans", dateOfBirth: "2016-05-01", gender: .female, postcode: "cb12ab")
        let clean = try good.validated(today: today)
        #expect(clean.givenName == "Lily")
        #expect(clean.postcode == "CB1 2AB")
    }

    @Test func consentMustNameThePersonAndAllowStoring() {
        let scope = ConsentScope(store: true, shareWithAgencyTypes: [.health])
        #expect(
            ConsentRecord(givenBy: .parent, name: "Sue Evans", relationship: "Mother", method: .written, scope: scope).problems()
                .isEmpty)
        let fields = ConsentRecord(
            givenBy: .parent, name: "", relationship: "", method: .verbal,
            scope: ConsentScope(store: false, shareWithAgencyTypes: [])
        ).problems().map(\.field)
        #expect(fields == ["consent.name", "consent.relationship", "consent.scope.store"])
        #expect(ConsentRecord(givenBy: .child, name: "Lily", relationship: "", method: .verbal, scope: scope).problems().isEmpty)
    }

    @Test func rolesRoundTripThroughStorage() {
        let roles: Set<Role> = [.manager, .practitioner]
        #expect(roles.storage == "manager,practitioner")
        #expect(Set<Role>(storage: "practitioner,la-admin,bogus") == [.practitioner, .laAdmin])
    }
}

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

@Suite struct ChildIdentifierTests {
    @Test(arguments: ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
    func validNHSNumbers(number: String) {
        #expect(NHSNumber.normalised(number)?.count == 10)
    }

    @Test(arguments: ["9434765918", "943476591", "94347659190", "943476591X", "1000000010"])
    func invalidNHSNumbers(number: String) {
        #expect(NHSNumber.normalised(number) == nil)
    }

    /// B801200005001 is python-stdnum's published example; the others follow the DfE rule
    /// (weights 2 to 13, modulo 23, no I, O or S), including a temporary UPN ending in a letter.
    @Test(arguments: ["B801200005001", "b801 2000 05001", "P207000016049", "M80120000500A"])
    func validUPNs(upn: String) {
        #expect(UPN.normalised(upn) != nil)
    }

    @Test(arguments: ["A801200005001", "Q207000016049", "B80120000500", "X80120000A001", "B80120000500I"])
    func invalidUPNs(upn: String) {
        #expect(UPN.normalised(upn) == nil)
    }
}

@Suite struct PasswordPolicyTests {
    @Test func newPasswordsAreLongUncommonAndNotPersonal() {
        #expect(PasswordPolicy.problems("short").map(\.message) == ["Use at least 12 characters"])
        #expect(!PasswordPolicy.problems("Password1234").isEmpty)
        #expect(!PasswordPolicy.problems("aaaaaaaaaaaaaa").isEmpty)
        #expect(!PasswordPolicy.problems("amy-clarke-rules-1", email: "amy@demo.test", name: "Amy Clarke").isEmpty)
        #expect(PasswordPolicy.problems("violet kettle orbit 42", email: "amy@demo.test", name: "Amy Clarke").isEmpty)
    }

    /// ASVS V2.1.2 and V2.1.3: 64 characters are allowed, and nothing bcrypt would cut short
    /// (past 72 bytes) is accepted, so no password is silently truncated.
    @Test func passwordsOf64CharactersAreAllowedAndNoneIsTruncated() {
        let sixtyFour = String(repeating: "violet kettle orbit ", count: 4).prefix(64)
        #expect(PasswordPolicy.problems(String(sixtyFour)).isEmpty)
        #expect(PasswordPolicy.problems(String(repeating: "violetkettle", count: 6) + "x").map(\.field) == ["password"])
        #expect(!PasswordPolicy.problems(String(repeating: "é", count: 40)).isEmpty, "80 bytes in 40 letters")
    }
}
