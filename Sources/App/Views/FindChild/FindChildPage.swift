import CAFCore
import Plot

/// Search the index by name and date of birth. A POST form, so names never appear in URLs.
struct FindChildPage {
    var name = ""
    var day = "", month = "", year = ""
    var identifier = ""
    var results: [Child]? = nil
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Find a child", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Find a child")),
            .p(
                .class("govuk-body"),
                .text(
                    "Search before you register a child or start a CAF: the index shows who else is involved and whether a CAF is already open. Every search is recorded."
                )),
            GOVUK.postForm(
                action: .findChild, csrf: context.csrf,
                GOVUK.textInput(
                    label: "Name", name: "q", value: name, hint: "First name, last name or both. Part of a name works.",
                    error: problems.first { $0.field == "q" }, autocomplete: "off"),
                GOVUK.dateInput(
                    legend: "Date of birth", name: "dob", day: day, month: month, year: year,
                    hint: "Optional. For example, 27 3 2015", error: problems.first { $0.field == "dob" }),
                GOVUK.textInput(
                    label: "NHS number or UPN", name: "identifier", value: identifier, hint: "Optional. Finds the child exactly.",
                    error: problems.first { $0.field == "identifier" }, autocomplete: "off", width: "10"),
                GOVUK.button("Search")
            ),
            .unwrap(results) { results in
                results.isEmpty
                    ? .group(
                        .h2(.class("govuk-heading-m"), .id("results"), .text("No children found")),
                        .p(
                            .class("govuk-body"),
                            .text("Check the spelling or search by date of birth alone. If the child is not in the index, "),
                            GOVUK.link("register them", to: .registerChild), .text(".")))
                    : .group(
                        .h2(
                            .class("govuk-heading-m"), .id("results"),
                            .text(results.count == 1 ? "1 child found" : "\(results.count) children found")),
                        GOVUK.table(
                            caption: "Search results", headers: ["Name", "Date of birth", "Postcode"],
                            rows: results.map { child in
                                [
                                    GOVUK.link(child.fullName, to: .child(child.id!)),
                                    .text(Format.calendarDate(child.dateOfBirth)), .text(child.postcode ?? ""),
                                ]
                            })
                    )
            }
        )
    }
}
