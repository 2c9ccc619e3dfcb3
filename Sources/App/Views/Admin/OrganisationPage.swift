import CAFCore
import Plot

/// One organisation of the administrator's LA: its name and agency type.
struct OrganisationPage {
    let organisation: Organisation
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            organisation.name, context, hasErrors: !problems.isEmpty, back: .admin,
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .h1(.class("govuk-heading-l"), .text("Change \(organisation.name)")),
            GOVUK.postForm(
                action: .adminOrganisationPage(organisation.id!), csrf: context.csrf,
                .input(.type(.hidden), .name("version"), .value(String(organisation.version))),
                GOVUK.textInput(
                    label: "Organisation name", name: "name", value: organisation.name,
                    error: problems.first { $0.field == "name" }, autocomplete: "off"),
                GOVUK.select(
                    label: "Agency type", name: "agencyType",
                    options: AgencyType.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: organisation.agencyType.rawValue,
                    hint: "Consent is given by agency type, so this decides what its staff may see."),
                GOVUK.button("Save the organisation")
            )
        )
    }
}
