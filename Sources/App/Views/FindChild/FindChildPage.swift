import CAFCore
import Plot

/// Search the index by name, date of birth, postcode or identifier. A POST form, so names
/// never appear in URLs; result pages are asked for with the same fields and a page number.
struct FindChildPage {
    var name = ""
    var day = "", month = "", year = ""
    var toDay = "", toMonth = "", toYear = ""
    var postcode = ""
    var identifier = ""
    var result: ChildSearchResult? = nil
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
                    label: "Name", name: "q", value: name,
                    hint: "First name, last name or both. Part of a name, a misspelling, or * for any letters (Sm*th) all work.",
                    error: problems.first { $0.field == "q" }, autocomplete: "off"),
                GOVUK.dateInput(
                    legend: "Date of birth", name: "dob", day: day, month: month, year: year,
                    hint: "Optional. For example, 27 3 2015", error: problems.first { $0.field == "dob" }),
                GOVUK.textInput(
                    label: "Postcode", name: "postcode", value: postcode,
                    hint: "Optional. A full postcode, or its first part such as CB4",
                    error: problems.first { $0.field == "postcode" },
                    autocomplete: "off", width: "10"),
                GOVUK.textInput(
                    label: "NHS number or UPN", name: "identifier", value: identifier, hint: "Optional. Finds the child exactly.",
                    error: problems.first { $0.field == "identifier" }, autocomplete: "off", width: "10"),
                .element(
                    named: "details",
                    nodes: [
                        .class("govuk-details"),
                        .attribute(named: "open", value: (toDay + toMonth + toYear).isEmpty ? nil : "open"),
                        .element(
                            named: "summary",
                            nodes: [
                                .class("govuk-details__summary"),
                                .span(.class("govuk-details__summary-text"), .text("Search a range of dates of birth")),
                            ]),
                        .div(
                            .class("govuk-details__text"),
                            GOVUK.dateInput(
                                legend: "Born on or before", name: "dobTo", day: toDay, month: toMonth, year: toYear,
                                hint: "With a date of birth above, finds children born between the two dates.",
                                error: problems.first { $0.field == "dobTo" })),
                    ]),
                GOVUK.button("Search")
            ),
            .unwrap(result) { results(for: $0, context) }
        )
    }

    func results(for result: ChildSearchResult, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard !result.hits.isEmpty else {
            return .group(
                .h2(.class("govuk-heading-m"), .id("results"), .text("No children found")),
                .p(
                    .class("govuk-body"),
                    .text("Check the spelling or search by date of birth alone. If the child is not in the index, "),
                    GOVUK.link("register them", to: .registerChild), .text(".")))
        }
        let first = (result.page - 1) * ChildIndex.pageSize + 1
        return .group(
            .h2(
                .class("govuk-heading-m"), .id("results"),
                .text(
                    result.capped
                        ? "More than \(ChildIndex.resultCap) children found"
                        : result.total == 1 ? "1 child found" : "\(result.total) children found")),
            .if(
                result.capped,
                .p(
                    .class("govuk-inset-text"),
                    .text(
                        "Only the \(ChildIndex.resultCap) closest are shown. Add a date of birth or a postcode to narrow the search."
                    ))),
            .p(
                .class("govuk-body"),
                .text(
                    "Closest matches first. Showing \(first) to \(first + result.hits.count - 1), page \(result.page) of \(result.pageCount)."
                )),
            GOVUK.table(
                caption: "Search results", headers: ["Name", "Date of birth", "Postcode"],
                rows: result.hits.map { hit in
                    [
                        .group(
                            GOVUK.link(hit.child.fullName, to: .child(hit.child.id!)),
                            .unwrap(hit.matchedName) { name in
                                .span(.class("govuk-hint govuk-!-margin-bottom-0"), .text("\(name.kind.label): \(name.fullName)"))
                            }),
                        .text(Format.birth(of: hit.child)),
                        .text(hit.shield.hidesWhereabouts ? "Shielded" : hit.child.postcode ?? ""),
                    ]
                }),
            pagination(result, context)
        )
    }

    /// Previous and next pages: the same search posted again with another page number.
    func pagination(_ result: ChildSearchResult, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard result.pageCount > 1 else { return .empty }
        let fields: [(String, String)] = [
            ("q", name), ("dob-day", day), ("dob-month", month), ("dob-year", year), ("dobTo-day", toDay),
            ("dobTo-month", toMonth), ("dobTo-year", toYear), ("postcode", postcode), ("identifier", identifier),
        ]
        return .element(
            named: "nav",
            nodes: [
                .class("govuk-pagination"), .attribute(named: "aria-label", value: "Results pages"),
                GOVUK.postForm(
                    action: .findChild, csrf: context.csrf,
                    .forEach(fields) { field in .input(.type(.hidden), .name(field.0), .value(GOVUK.attribute(field.1))) },
                    .if(
                        result.page > 1,
                        GOVUK.button("Previous page", secondary: true, name: "page", value: String(result.page - 1))),
                    .if(
                        result.page < result.pageCount,
                        GOVUK.button("Next page", secondary: true, name: "page", value: String(result.page + 1)))
                ),
            ])
    }
}
