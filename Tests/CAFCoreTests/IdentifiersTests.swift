import Foundation
import Testing

@testable import CAFCore

/// Postcodes, dates, NHS numbers, UPNs and a child's registration rules (Identifiers.swift).
@Suite struct IdentifiersTests {
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
