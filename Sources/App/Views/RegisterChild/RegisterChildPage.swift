import CAFCore
import Plot

struct RegisterChildPage {
    var givenName = "", familyName = ""
    var knownAs = ""
    var day = "", month = "", year = ""
    /// Not born yet: the date is the expected date of delivery.
    var unborn = false
    var gender = ""
    var postcode = ""
    var nhsNumber = ""
    var upn = ""
    var problems: [FieldProblem] = []
    /// Children already in the index who may be this one.
    var duplicates: [Child] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Register a child", context, hasErrors: !problems.isEmpty, back: .findChild,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Register a child in the index")),
            .p(
                .class("govuk-body"),
                .text(
                    "Search first, so the same child is not registered twice. The index holds basic details only; what you assess stays in the CAF episode."
                )),
            .if(
                !duplicates.isEmpty,
                .div(
                    .class("govuk-warning-text"), .id("possible-duplicates"),
                    .span(.class("govuk-warning-text__icon"), .attribute(named: "aria-hidden", value: "true"), .text("!")),
                    .strong(
                        .class("govuk-warning-text__text"),
                        .span(.class("govuk-visually-hidden"), .text("Warning")),
                        .text(
                            duplicates.count == 1
                                ? "This child may already be in the index. Open their record rather than register them twice."
                                : "These children in the index may be this child. Open their record rather than register them twice."
                        )))),
            .if(
                !duplicates.isEmpty,
                GOVUK.table(
                    caption: "Children who may be the same", headers: ["Name", "Date of birth"],
                    rows: duplicates.map { child in
                        [GOVUK.link(child.fullName, to: .child(child.id!)), .text(Format.birth(of: child))]
                    })),
            GOVUK.postForm(
                action: .registerChild, csrf: context.csrf,
                GOVUK.textInput(
                    label: "First name", name: "givenName", value: givenName,
                    hint: "For an unborn baby, leave this blank: they are recorded as “Unborn baby” until the birth.",
                    error: problem("givenName"), autocomplete: "off"),
                GOVUK.textInput(
                    label: "Last name", name: "familyName", value: familyName, error: problem("familyName"),
                    autocomplete: "off"),
                GOVUK.textInput(
                    label: "Known as", name: "knownAs", value: knownAs,
                    hint: "Optional. The first name the child goes by, if different. Searches find it too.",
                    error: problem("knownAs"), autocomplete: "off"),
                GOVUK.choices(
                    legend: "Has the baby been born?", name: "unborn",
                    options: [.init(value: "yes", label: "Not yet: the date below is the expected date of delivery")],
                    selected: unborn ? ["yes"] : [], hint: "Only for an unborn baby", multiple: true),
                GOVUK.dateInput(
                    legend: "Date of birth, or expected date of delivery", name: "dateOfBirth", day: day, month: month,
                    year: year, hint: "For example, 27 3 2015", error: problem("dateOfBirth")),
                GOVUK.choices(
                    legend: "Gender", name: "gender",
                    options: Gender.allCases.map { .init(value: $0.rawValue, label: $0.rawValue.capitalized) },
                    selected: [gender], hint: "Optional", error: problem("gender"), inline: true),
                GOVUK.textInput(
                    label: "Postcode", name: "postcode", value: postcode, hint: "Optional. For example, CB1 2AB",
                    error: problem("postcode"), autocomplete: "off", width: "10"),
                GOVUK.textInput(
                    label: "NHS number", name: "nhsNumber", value: nhsNumber,
                    hint: "Optional. 10 digits, for example 943 476 5919",
                    error: problem("nhsNumber"), autocomplete: "off", width: "10"),
                GOVUK.textInput(
                    label: "Unique Pupil Number (UPN)", name: "upn", value: upn,
                    hint: "Optional. 13 characters, starting with a letter",
                    error: problem("upn"), autocomplete: "off", width: "10"),
                .if(
                    !duplicates.isEmpty,
                    GOVUK.choices(
                        legend: "Is this a different child?", name: "notADuplicate",
                        options: [.init(value: "yes", label: "None of the children above is this child: register a new record")],
                        selected: [], multiple: true)),
                GOVUK.button("Register child")
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
