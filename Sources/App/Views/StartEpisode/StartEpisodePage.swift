import CAFCore
import Plot

/// Records the family's consent, then opens the episode and its first draft assessment.
struct StartEpisodePage {
    let child: Child
    var givenBy = ""
    var name = ""
    var relationship = ""
    var method = ""
    var store = false
    var share: Set<String> = []
    var decision = ""
    var note = ""
    /// Children's social care stepping a case down hand over with a note.
    var offersStepDown = false
    var stepDownNote = ""
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Record consent and start a CAF", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Record consent and start a CAF")),
            .p(.class("govuk-body"), .text("Read this statement to the child or parent or carer, or give it to them to read:")),
            .div(.class("govuk-inset-text"), .id("consent-statement"), .text(CAFForm.consentStatement)),
            GOVUK.postForm(
                action: .startEpisode(child: child.id!), csrf: context.csrf,
                GOVUK.choices(
                    legend: "Did they agree?", name: "consent.decision",
                    options: [
                        .init(value: "given", label: "Yes, they agree to the assessment"),
                        .init(
                            value: "refused", label: "No, they refused",
                            hint: "Only who refused and your note are kept. No CAF is started."),
                    ],
                    selected: [decision], error: problem("consent.decision"), legendClass: "govuk-fieldset__legend--m"),
                GOVUK.choices(
                    legend: "Who is giving consent?", name: "consent.givenBy",
                    options: ConsentGivenBy.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: [givenBy], error: problem("consent.givenBy")),
                GOVUK.textInput(
                    label: "Name of the person giving consent", name: "consent.name", value: name,
                    hint: "If both, the parent or carer’s name", error: problem("consent.name"), autocomplete: "off"),
                GOVUK.textInput(
                    label: "Relationship to the child", name: "consent.relationship", value: relationship,
                    hint: "For example, mother, father, grandparent, foster carer. Leave blank if the child consented alone.",
                    error: problem("consent.relationship"), autocomplete: "off"),
                GOVUK.choices(
                    legend: "How was consent given?", name: "consent.method",
                    options: ConsentMethod.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: [method], error: problem("consent.method")),
                GOVUK.choices(
                    legend: "Storing the assessment", name: "consent.scope.store",
                    options: [.init(value: "yes", label: "They agree that the assessment may be written down and kept")],
                    selected: store ? ["yes"] : [], error: problem("consent.scope.store"), multiple: true),
                GOVUK.choices(
                    legend: "Who may it be shared with?", name: "consent.scope.shareWithAgencyTypes[]",
                    options: AgencyType.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: share, hint: "Select every kind of service the family agrees may see it.",
                    error: problem("consent.scope.shareWithAgencyTypes"), multiple: true),
                GOVUK.textArea(
                    label: "If they refused: a short note of the refusal", name: "note", value: note,
                    hint: "What they said, in a sentence or two. Leave blank if they agreed.", error: problem("note"), rows: 3),
                .if(
                    offersStepDown,
                    GOVUK.textArea(
                        label: "Stepping down from children’s social care? Handover note", name: "stepDownNote",
                        value: stepDownNote,
                        hint: "What the early help team needs to know as social care close their involvement.",
                        error: problem("stepDownNote"), rows: 3)),
                GOVUK.button("Record consent and start the CAF")
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}

/// A recorded refusal: what was kept, and what the practitioner can still do.
struct ConsentRefusedPage {
    let child: Child

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Refusal recorded", context, back: .child(child.id!),
            .div(
                .class("govuk-panel"),
                .h1(.class("govuk-panel__title"), .text("Refusal recorded")),
                .p(.class("govuk-panel__body"), .text("No CAF has been started for \(child.fullName)"))
            ),
            .p(
                .class("govuk-body"),
                .text(
                    "Only who refused and your note are kept. Carry on supporting the child through your own service. If you become worried that the child is at risk of significant harm, phone children’s social care: consent is not needed for that."
                )),
            .p(.class("govuk-body"), GOVUK.link("Back to \(child.fullName)", to: .child(child.id!)))
        )
    }
}
