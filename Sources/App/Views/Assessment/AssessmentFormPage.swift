import CAFCore
import Plot

/// The national CAF form, element by element, with plain-English prompts. Saves as a
/// draft; completing checks every element has a level and then locks the version.
struct AssessmentFormPage {
    let authorised: AuthorisedEpisode
    let assessment: Assessment
    let content: AssessmentContent
    var problems: [FieldProblem] = []

    private var safeguardingPath: String {
        SiteURL.safeguarding(child: authorised.child.id!).path + "?episode=\(authorised.id.uuidString)"
    }

    static let levelOptions: [GOVUK.Option] = LevelOfNeed.allCases.map { .init(value: $0.wireValue, label: $0.label) }

    func render(_ context: PageContext) -> HTML {
        let episodeID = authorised.id
        return Layout.page(
            "Assessment for \(authorised.child.fullName)", context, hasErrors: !problems.isEmpty,
            back: .episode(episodeID),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text("\(authorised.child.fullName) – version \(assessment.version), draft")),
            .h1(.class("govuk-heading-l"), .text("Common Assessment")),
            .p(
                .class("govuk-body"),
                .text(
                    "Write with the child and family, in words they would recognise. Save as you go; nothing is shared beyond the team. When every element has a level of need (or is marked not assessed), complete the assessment: it then cannot be changed, and a review makes a new version."
                )),
            .div(
                .class("govuk-warning-text"),
                .strong(.text("If at any point you are worried this child is at risk of significant harm, stop and ")),
                .a(.class("govuk-link"), .href(safeguardingPath), .text("phone children’s social care now")),
                .strong(.text(". Your draft keeps what you saved."))
            ),
            GOVUK.postForm(
                action: .editAssessment(episode: episodeID), csrf: context.csrf,
                .h2(.class("govuk-heading-m"), .text("Assessment information")),
                GOVUK.textArea(
                    label: "What has led to this assessment?", name: "reasonForAssessment", value: content.reasonForAssessment,
                    hint: "What worried you or the family, and what has been tried already.",
                    error: problem("reasonForAssessment")),
                GOVUK.textArea(
                    label: "People present at the assessment", name: "peoplePresent", value: content.peoplePresent,
                    error: problem("peoplePresent"), rows: 2),
                .forEach(CAFDomain.allCases) { domain in
                    .group(
                        .h2(.class("govuk-heading-m"), .text(domain.title)),
                        .forEach(CAFForm.elements(in: domain)) { element in elementFields(element) }
                    )
                },
                .h2(.class("govuk-heading-m"), .text("Views")),
                GOVUK.textArea(
                    label: "The child or young person’s views", name: "childViews", value: content.childViews,
                    error: problem("childViews")),
                GOVUK.textArea(
                    label: "The parent’s or carer’s views", name: "parentViews", value: content.parentViews,
                    error: problem("parentViews")),
                .h2(.class("govuk-heading-m"), .text("Conclusions")),
                GOVUK.textArea(
                    label: "Summary of strengths and needs, and what the family wants to achieve", name: "conclusions",
                    value: content.conclusions, error: problem("conclusions")),
                .div(
                    .class("govuk-button-group"),
                    GOVUK.button("Save draft", secondary: true, name: "intent", value: "save"),
                    GOVUK.button("Complete the assessment", name: "intent", value: "complete")
                )
            )
        )
    }

    private func elementFields(_ element: CAFElement) -> Node<HTML.FormContext> {
        let entry = content.element(element.code)
        return .div(
            .class("ecaf-element"), .id("element-\(GOVUK.fieldID(element.code))"),
            .h3(.class("govuk-heading-s"), .text(element.name)),
            .p(.class("govuk-hint"), .text(element.prompt)),
            GOVUK.textArea(
                label: "Strengths", name: "strengths.\(element.code)", value: entry.strengths,
                error: problem("strengths.\(element.code)"), rows: 3),
            GOVUK.textArea(
                label: "Needs", name: "needs.\(element.code)", value: entry.needs, error: problem("needs.\(element.code)"),
                rows: 3),
            GOVUK.choices(
                legend: "Level of need: \(element.name)", name: "level.\(element.code)", options: Self.levelOptions,
                selected: Set([entry.level?.wireValue].compactMap { $0 }), error: problem("level.\(element.code)")),
            GOVUK.choices(
                legend: "Concern of significant harm", name: "harm.\(element.code)",
                options: [
                    .init(
                        value: "yes", label: "I am worried this child is at risk of significant harm",
                        hint: "Phone children’s social care now: do not wait to finish this form.")
                ],
                selected: entry.harmConcern ? ["yes"] : [], multiple: true),
            .if(
                entry.harmConcern,
                .div(
                    .class("govuk-warning-text"),
                    .strong(.text("You flagged a concern of significant harm here. ")),
                    .a(.class("govuk-link"), .href(safeguardingPath), .text("Phone children’s social care now"))
                )
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
