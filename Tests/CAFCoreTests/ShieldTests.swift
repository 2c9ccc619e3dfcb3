import Foundation
import Testing

@testable import CAFCore

/// What a viewer behind the shield sees of an assessment, and what their save keeps.
@Suite struct ShieldTests {
    static var stored: AssessmentContent {
        var content = AssessmentContent(reasonForAssessment: "Attendance")
        content.identifying.address = "7 Secret Row"
        content.identifying.contactPhone = "01223 999888"
        content.parents = [
            ParentCarer(
                name: "Sue Rowan", phone: "07700 900111", relationship: "Mother", address: "7 Secret Row", postcode: "CB4 9ZZ"),
            ParentCarer(name: "Tom Rowan", relationship: "Uncle"),
        ]
        content.assessor.organisation = "Riverside Primary School"
        content.assessor.phone = "01223 000101"
        content.services = [ServiceInvolved(service: "Hidden Valley Primary", contact: "Ms Head")]
        return content
    }

    @Test func behindTheShieldTheWhereaboutsAreEmptied() {
        let shown = Shield.closed.content(Self.stored)
        #expect(shown.identifying.address.isEmpty && shown.identifying.contactPhone.isEmpty)
        #expect(shown.parents.allSatisfy { ($0.phone + $0.address + $0.postcode).isEmpty })
        #expect(shown.parents.map(\.name) == ["Sue Rowan", "Tom Rowan"])
        #expect(shown.assessor.organisation.isEmpty && shown.assessor.phone.isEmpty && shown.services.isEmpty)
        #expect(shown.reasonForAssessment == "Attendance")
        #expect(Shield.open.content(Self.stored) == Self.stored)
        #expect(Shield.closed.text("Room 4") == Shield.withheld && Shield.open.text("Room 4") == "Room 4")
    }

    @Test func aSaveBehindTheShieldKeepsWhatItCouldNotSee() {
        var edited = Shield.closed.content(Self.stored)
        edited.reasonForAssessment = "Attendance has fallen"
        edited.identifying.address = "typed over"
        edited.parents.append(ParentCarer(name: "Gran", phone: "0800", relationship: "Grandmother"))
        edited.parents.swapAt(0, 1)  // reordered: details follow the person, not the place
        let (saved, problem) = Shield.closed.saving(edited, over: Self.stored)
        #expect(problem == nil)
        #expect(saved.reasonForAssessment == "Attendance has fallen")
        #expect(saved.identifying.address == "7 Secret Row")
        #expect(saved.services == Self.stored.services && saved.assessor.organisation == "Riverside Primary School")
        #expect(saved.parents.map(\.name) == ["Tom Rowan", "Sue Rowan", "Gran"])
        #expect(saved.parents.map(\.phone) == ["", "07700 900111", "0800"])  // Gran keeps what was typed
        // In the open, an edit saves as it is.
        #expect(Shield.open.saving(edited, over: Self.stored).content == edited)
    }

    @Test func aParentWithWithheldDetailsIsNeitherRenamedNorRemovedBehindTheShield() {
        var renamed = Shield.closed.content(Self.stored)
        renamed.parents[0].name = "Susan Rowan"
        var removed = Shield.closed.content(Self.stored)
        removed.parents.removeFirst()
        var replaced = Shield.closed.content(Self.stored)
        replaced.parents[0] = ParentCarer(name: "Gran", relationship: "Grandmother")
        for edit in [renamed, removed, replaced] {
            let (saved, problem) = Shield.closed.saving(edit, over: Self.stored)
            #expect(problem?.field == "parents")
            #expect(problem?.message.contains("Sue Rowan") == true)
            #expect(saved == Self.stored)
        }
        // Tom has nothing withheld, so he may go.
        var tomGone = Shield.closed.content(Self.stored)
        tomGone.parents.removeLast()
        #expect(Shield.closed.saving(tomGone, over: Self.stored).problem == nil)
    }
}
