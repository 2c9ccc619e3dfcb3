import CAFCore
import Plot

/// The measures dashboard: an LA's (coordinators, LA analysts), an organisation's (managers)
/// or every LA's (national analysts), for a period, each measure as a chart and a table.
struct MeasuresPage {
    var filters: MeasureReports.Filters
    var report: MeasureReports.Report?
    /// What the reader may filter by: LAs for a national analyst, organisations within an LA.
    var localAuthorities: [LocalAuthority] = []
    var organisations: [Organisation] = []
    /// What the figures cover, in words ("Cambridgeshire", "All local authorities").
    var scopeName = ""
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Measures", context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(scopeName)),
            .h1(.class("govuk-heading-l"), .text("Is early help coming sooner and working?")),
            .p(
                .class("govuk-body"),
                .text(
                    "Worked out from the records practitioners already keep. Days are calendar days; each figure shows the count it rests on. A CAF counts for the agency and organisation of the practitioner who started it."
                )),
            .if(
                report?.disclosureControlled == true,
                .div(
                    .class("govuk-inset-text"),
                    .text(
                        "These figures are about records outside your local authority, so counts of 1 to 4 show as “<5”, and a cell that would let one be worked out from a total shows as “*”."
                    ))),
            filterForm,
            .unwrap(report) { report in
                .forEach(Measure.Family.allCases) { family in
                    .group(
                        .h2(.class("govuk-heading-l"), .text(family.title)),
                        .forEach(report.tables.filter { $0.measure.family == family }) { table in section(table, report) })
                }
            }
        )
    }

    var filterForm: Node<HTML.BodyContext> {
        .form(
            .method(.get), .action(SiteURL.measures.path), .class("ecaf-filters"),
            .div(
                .class("govuk-grid-row"),
                .div(
                    .class("govuk-grid-column-one-quarter"),
                    GOVUK.textInput(
                        label: "From", name: "from", value: report?.from ?? filters.from, hint: "For example 2026-04-01",
                        error: problem("from"), width: "10")),
                .div(
                    .class("govuk-grid-column-one-quarter"),
                    GOVUK.textInput(
                        label: "To", name: "to", value: report?.to ?? filters.to, hint: "The last day counted",
                        error: problem("to"), width: "10"))
            ),
            .if(
                !localAuthorities.isEmpty,
                choice(
                    "Local authority", "localAuthorityId", all: "All local authorities",
                    localAuthorities.map { ($0.id!.uuidString, $0.name) }, filters.localAuthorityID)),
            choice(
                "Agency type that started the CAF", "agencyType", all: "All agency types",
                AgencyType.allCases.map { ($0.rawValue, $0.title) }, filters.agencyType),
            .if(
                !organisations.isEmpty,
                choice(
                    "Organisation that started the CAF", "organisationId", all: "All organisations",
                    organisations.map { ($0.id!.uuidString, $0.name) }, filters.organisationID)),
            GOVUK.button("Show figures")
        )
    }

    func section(_ table: MeasureTable, _ report: MeasureReports.Report) -> Node<HTML.BodyContext> {
        .section(
            .id(table.measure.rawValue),
            .h3(.class("govuk-heading-m"), .text(table.measure.title)),
            .p(.class("govuk-body"), .text(table.measure.explanation)),
            MeasureChart.svg(table),
            .table(
                .class("govuk-table"),
                .caption(.class("govuk-table__caption govuk-table__caption--s"), .text("\(table.measure.title): the figures")),
                .thead(
                    .tr(
                        .class("govuk-table__row"),
                        .th(.class("govuk-table__header"), .attribute(named: "scope", value: "col"), .text(table.rowHeading)),
                        .forEach(table.columns) { column in
                            .th(
                                .class("govuk-table__header govuk-table__header--numeric"),
                                .attribute(named: "scope", value: "col"), .text(column.title))
                        })),
                .tbody(
                    .forEach(table.rows) { row in
                        .tr(
                            .class(row.isTotal ? "govuk-table__row ecaf-total" : "govuk-table__row"),
                            .th(.class("govuk-table__header"), .attribute(named: "scope", value: "row"), .text(row.label)),
                            .forEach(row.cells) { .td(.class("govuk-table__cell govuk-table__cell--numeric"), .text($0.text)) })
                    })
            ),
            .p(
                .class("govuk-body"),
                .a(
                    .class("govuk-link"),
                    .href(GOVUK.attribute(MeasuresPage.csvLink(table.measure, report))),
                    .text("Download \(table.measure.title.lowercased()) as CSV")))
        )
    }

    static func csvLink(_ measure: Measure, _ report: MeasureReports.Report) -> String {
        var query = ["measure=\(measure.rawValue)", "from=\(report.from)", "to=\(report.to)"]
        if let la = report.scope.localAuthorityID { query.append("localAuthorityId=\(la.uuidString)") }
        if let agency = report.scope.agencyType { query.append("agencyType=\(agency.rawValue)") }
        if let organisation = report.scope.organisationID { query.append("organisationId=\(organisation.uuidString)") }
        return SiteURL.measuresCSV.path + "?" + query.joined(separator: "&")
    }

    /// A filter: "all" first, then each value.
    private func choice<C: HTML.BodyContext>(
        _ label: String, _ name: String, all: String, _ values: [(value: String, label: String)], _ selected: String
    ) -> Node<C> {
        GOVUK.select(
            label: label, name: name,
            options: [.init(value: "", label: all)] + values.map { .init(value: $0.value, label: $0.label) },
            selected: selected, error: problem(name))
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
