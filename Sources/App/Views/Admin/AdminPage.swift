import CAFCore
import Foundation
import Plot

/// The LA administrator's page: organisations and accounts of their LA, never case content.
struct AdminPage {
    let organisations: [Organisation]
    let practitioners: [Practitioner]
    /// Roles asked for and awaiting a second administrator; `decidable` are those this
    /// administrator may decide (not ones she asked for).
    var grants: [RoleGrant] = []
    var decidable: Set<UUID> = []
    var problems: [FieldProblem] = []
    var notice: String? = nil
    var typed: [String: String] = [:]

    static let assignable: [Role] = [.practitioner, .manager, .coordinator, .safeguarding, .laAdmin, .analyst]

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Accounts and organisations", context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .h1(.class("govuk-heading-l"), .text("Accounts and organisations")),
            .p(
                .class("govuk-body"),
                .text(
                    "Create accounts for your local authority’s staff, change them by following a name, and disable them when people leave: disabling ends their sessions at once."
                )),
            roleGrants(context),
            GOVUK.table(
                caption: "Accounts", headers: ["Name", "E-mail", "Organisation", "Roles", "Status", ""],
                rows: practitioners.map { practitioner in
                    [
                        GOVUK.link(practitioner.name, to: .adminAccount(practitioner.id!)), .text(practitioner.email),
                        .text(practitioner.organisation?.name ?? ""),
                        .text(practitioner.roles.map(\.title).sorted().joined(separator: ", ")),
                        GOVUK.tag(
                            practitioner.disabled ? "Disabled" : "Active", colour: practitioner.disabled ? "grey" : "green"),
                        GOVUK.postForm(
                            action: .adminDisable(practitioner.id!), csrf: context.csrf,
                            .input(.type(.hidden), .name("disabled"), .value(practitioner.disabled ? "no" : "yes")),
                            .input(.type(.hidden), .name("version"), .value(String(practitioner.version))),
                            GOVUK.button(
                                practitioner.disabled ? "Enable \(practitioner.name)" : "Disable \(practitioner.name)",
                                secondary: true)),
                    ]
                }),
            .h2(.class("govuk-heading-m"), .text("Create an account")),
            GOVUK.postForm(
                action: .admin, csrf: context.csrf,
                .input(.type(.hidden), .name("kind"), .value("practitioner")),
                GOVUK.textInput(
                    label: "Name", name: "name", value: typed["name"] ?? "", error: problem("name"), autocomplete: "off"),
                GOVUK.textInput(
                    label: "E-mail address", name: "email", value: typed["email"] ?? "", error: problem("email"), type: .email,
                    autocomplete: "off"),
                GOVUK.textInput(label: "Job title", name: "jobTitle", value: typed["jobTitle"] ?? "", autocomplete: "off"),
                GOVUK.textInput(label: "Telephone", name: "phone", value: typed["phone"] ?? "", type: .tel, autocomplete: "off"),
                GOVUK.select(
                    label: "Organisation", name: "organisationId",
                    options: [.init(value: "", label: "Choose an organisation")]
                        + organisations.map { .init(value: $0.id!.uuidString, label: "\($0.name) (\($0.agencyType.title))") },
                    selected: typed["organisationId"] ?? "", error: problem("organisationId")),
                GOVUK.choices(
                    legend: "Roles", name: "roles[]", options: Self.assignable.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: Set([typed["roles[]"]].compactMap { $0 }), error: problem("roles"), multiple: true),
                .p(
                    .class("govuk-body"),
                    .text(
                        "eCAF e-mails them a link to choose their own password and set up two-factor sign-in. Nobody else ever sees either."
                    )),
                GOVUK.button("Create the account")
            ),
            GOVUK.table(
                caption: "Organisations", headers: ["Name", "Agency type"],
                rows: organisations.map {
                    [GOVUK.link($0.name, to: .adminOrganisationPage($0.id!)), .text($0.agencyType.title)]
                }),
            .h2(.class("govuk-heading-m"), .text("Add an organisation")),
            GOVUK.postForm(
                action: .admin, csrf: context.csrf,
                .input(.type(.hidden), .name("kind"), .value("organisation")),
                GOVUK.textInput(
                    label: "Organisation name", name: "organisationName", value: typed["organisationName"] ?? "",
                    error: problem("organisationName"), autocomplete: "off"),
                GOVUK.select(
                    label: "Agency type", name: "agencyType",
                    options: AgencyType.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: typed["agencyType"] ?? AgencyType.education.rawValue),
                GOVUK.button("Add the organisation", secondary: true)
            )
        )
    }

    /// Coordinator, safeguarding and la-admin open far more than one account's work, so one
    /// administrator asks and another decides.
    private func roleGrants(_ context: PageContext) -> Node<HTML.BodyContext> {
        guard !grants.isEmpty else { return .empty }
        return GOVUK.table(
            caption: "Roles awaiting a second administrator", headers: ["Account", "Roles asked for", "Asked by", ""],
            rows: grants.map { grant in
                [
                    .text("\(grant.practitioner.name) (\(grant.practitioner.email))"),
                    .text(grant.roles.map(\.title).sorted().joined(separator: ", ")),
                    .text(grant.requestedBy.name),
                    decidable.contains(grant.id!)
                        ? GOVUK.postForm(
                            action: .adminRoleGrant(grant.id!), csrf: context.csrf,
                            GOVUK.button(
                                "Approve roles for \(grant.practitioner.name)", name: "decision", value: "approved"),
                            GOVUK.button(
                                "Refuse roles for \(grant.practitioner.name)", secondary: true, name: "decision",
                                value: "refused"))
                        : .text("Another administrator decides"),
                ]
            })
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
