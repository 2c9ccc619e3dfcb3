import CAFCore
import Plot

/// One account of the administrator's LA: its details, roles and organisation, and a reset of
/// two-factor sign-in for a lost phone.
struct AccountPage {
    let practitioner: Practitioner
    let organisations: [Organisation]
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            practitioner.name, context, hasErrors: !problems.isEmpty, back: .admin,
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .span(.class("govuk-caption-l"), .text(practitioner.email)),
            .h1(.class("govuk-heading-l"), .text("Change \(practitioner.name)’s account")),
            GOVUK.postForm(
                action: .adminAccount(practitioner.id!), csrf: context.csrf,
                .input(.type(.hidden), .name("version"), .value(String(practitioner.version))),
                GOVUK.textInput(
                    label: "Name", name: "name", value: practitioner.name, error: problem("name"), autocomplete: "off"),
                GOVUK.textInput(label: "Job title", name: "jobTitle", value: practitioner.jobTitle, autocomplete: "off"),
                GOVUK.textInput(label: "Telephone", name: "phone", value: practitioner.phone, type: .tel, autocomplete: "off"),
                GOVUK.select(
                    label: "Organisation", name: "organisationId",
                    options: organisations.map { .init(value: $0.id!.uuidString, label: "\($0.name) (\($0.agencyType.title))") },
                    selected: practitioner.$organisation.id?.uuidString ?? "", error: problem("organisationId")),
                GOVUK.choices(
                    legend: "Roles", name: "roles[]",
                    options: AdminPage.assignable.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: Set(practitioner.roles.map(\.rawValue)), error: problem("roles"), multiple: true),
                .if(
                    practitioner.hasSecondFactor || practitioner.twoFactorResetAt != nil,
                    GOVUK.choices(
                        legend: "Two-factor sign-in", name: "resetTwoFactor",
                        options: [
                            .init(
                                value: "yes",
                                label: "Reset it: they are e-mailed a link to set it up again (for a lost or new phone)")
                        ],
                        selected: [], error: problem("resetTwoFactor"), multiple: true),
                    else: GOVUK.choices(
                        legend: "Two-factor sign-in not set up yet", name: "resendNewAccountLink",
                        options: [
                            .init(
                                value: "yes",
                                label:
                                    "E-mail them a new link to choose a password and set up two-factor sign-in (any password they have, and any earlier link, stops working)"
                            )
                        ],
                        selected: [], error: problem("resendNewAccountLink"), multiple: true)),
                GOVUK.button("Save the account")
            )
        )
    }
}
