import CAFCore
import Plot

/// Update where a child lives, their school, GP and a contact number. A new address starts a
/// new line of the address history.
struct WhereaboutsPage {
    let child: Child
    var address = "", postcode = "", day = "", month = "", year = ""
    var school = "", gpPractice = "", contactPhone = ""
    var problems: [FieldProblem] = []
    /// The version this form was opened at, sent back with it.
    var version: Int
    /// After a save refused because someone else changed the whereabouts meanwhile: what is
    /// recorded now (as this person may see it), shown above what they typed (kept in the form).
    var recordedNow: Whereabouts?

    init(child: Child) {
        self.child = child
        version = child.whereaboutsVersion
        address = child.address ?? ""
        postcode = child.postcode ?? ""
        school = child.school ?? ""
        gpPractice = child.gpPractice ?? ""
        contactPhone = child.contactPhone ?? ""
    }

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Where \(child.fullName) lives", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Update where the child lives")),
            .unwrap(recordedNow) { now in
                .group(
                    .h2(.class("govuk-heading-m"), .text("Recorded now")),
                    GOVUK.summaryList([
                        ("Address", now.address ?? ""), ("Postcode", now.postcode ?? ""),
                        ("School or setting", now.school ?? ""), ("GP practice", now.gpPractice ?? ""),
                        ("Contact number", now.contactPhone ?? ""),
                    ]),
                    .h2(.class("govuk-heading-m"), .text("Your change")),
                    .p(.class("govuk-body"), .text("Check it against what is recorded now, then save it again."))
                )
            },
            GOVUK.postForm(
                action: .childWhereabouts(child.id!), csrf: context.csrf,
                .input(.type(.hidden), .name("version"), .value(String(version))),
                GOVUK.textArea(label: "Address", name: "address", value: address, error: problem("address"), rows: 3),
                GOVUK.textInput(
                    label: "Postcode", name: "postcode", value: postcode, error: problem("postcode"), autocomplete: "off",
                    width: "10"),
                GOVUK.dateInput(
                    legend: "When did they move there?", name: "movedIn", day: day, month: month, year: year,
                    hint: "Only for a new address. Leave blank for today.", error: problem("movedIn")),
                GOVUK.textInput(label: "School or setting", name: "school", value: school, error: problem("school")),
                GOVUK.textInput(label: "GP practice", name: "gpPractice", value: gpPractice, error: problem("gpPractice")),
                GOVUK.textInput(
                    label: "Contact number", name: "contactPhone", value: contactPhone, hint: "The family’s, if they agree",
                    error: problem("contactPhone"), type: .tel, autocomplete: "off", width: "20"),
                GOVUK.button("Save")
            )
        )
    }
}
