import CAFCore
import Foundation
import Plot

/// The national CAF form, element by element, with plain-English prompts. Saves as a
/// draft; completing checks every element has a level and then locks the version.
struct AssessmentFormPage {
    let authorised: AuthorisedEpisode
    let assessment: Assessment
    /// As the writer's shield lets them see it: the fields it withholds are not offered, and a
    /// save keeps what is stored for them (`Shield.saving`).
    let content: AssessmentContent
    /// What the form was opened at (or, after a conflict, merged onto): sent back with it, so
    /// a save overwrites nothing saved since.
    let revisions: AssessmentRevisions
    var problems: [FieldProblem] = []
    /// This visit's editing session: its active time is the assessment-writing time.
    var editingSession: UUID? = nil
    /// Saved by someone else while this person wrote: who saved which part, and the fields
    /// both changed (prefilled with both texts).
    var conflict: (changes: [AssessmentConflict.Change], fields: [AssessmentMerge.Conflict])? = nil
    /// Who else has this form open now, and the part each is writing where known.
    var othersEditing: [TimeSpent.Editor] = []

    init(
        authorised: AuthorisedEpisode, assessment: Assessment, content: AssessmentContent, revisions: AssessmentRevisions,
        problems: [FieldProblem] = [], editingSession: UUID? = nil
    ) {
        self.authorised = authorised
        self.assessment = assessment
        self.content = authorised.shield.content(content)
        self.revisions = revisions
        self.problems = problems
        self.editingSession = editingSession
    }

    private var shield: Shield { authorised.shield }

    /// Fields that say where the child or family are, or who serves them: offered only to a
    /// writer the shield lets see them; anyone else is told they are kept.
    private func whereabouts<C: HTML.BodyContext>(_ fields: Node<C>...) -> Node<C> {
        shield.hidesWhereabouts
            ? .div(.class("govuk-inset-text"), .text("\(Shield.withheld). What is recorded is kept when you save."))
            : .group(fields)
    }

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
            conflictBanner,
            EditingPresence.region(id: "others-editing", EditingPresence.text(othersEditing)),
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
                GOVUK.editingMarks(editingSession),
                .input(.type(.hidden), .name("revisions"), .value(GOVUK.attribute(revisions.etag))),
                identifyingSection,
                parentsSection,
                familySection,
                assessorSection,
                servicesSection,
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
                        EditingPresence.region(in: AssessmentPart(domain), othersEditing),
                        .forEach(CAFForm.elements(in: domain)) { element in elementFields(element) }
                    )
                },
                .h2(.class("govuk-heading-m"), .text("Views")),
                EditingPresence.region(in: .conclusions, othersEditing),
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

    /// Who saved what since this person opened the form, and each field they both changed,
    /// with both versions in words and a link to the field, which holds both.
    private var conflictBanner: Node<HTML.BodyContext> {
        guard let conflict else { return .empty }
        return .div(
            .class("govuk-notification-banner"), .attribute(named: "role", value: "alert"),
            .attribute(named: "aria-labelledby", value: "conflict-title"),
            .div(
                .class("govuk-notification-banner__header"),
                .h2(.class("govuk-notification-banner__title"), .id("conflict-title"), .text("Not saved yet"))),
            .div(
                .class("govuk-notification-banner__content"),
                .p(
                    .class("govuk-notification-banner__heading"),
                    .text("Someone else saved this assessment while you were writing")),
                .ul(
                    .class("govuk-list govuk-list--bullet"),
                    .forEach(conflict.changes) { change in
                        .li(
                            .text(
                                "\(change.savedBy ?? "Someone else") saved “\(change.part.title)”\(change.savedAt.map { " at \(Format.dateTime($0))" } ?? "")."
                            ))
                    }),
                .p(
                    .class("govuk-body"),
                    .text(
                        "Nothing you typed is lost. What only one of you changed is kept below."
                            + (conflict.fields.isEmpty
                                ? " Check the form, then save it again."
                                : " Where you both changed a field, it now holds both texts (or your choice): settle each one below, then save again.")
                    )),
                .if(
                    !conflict.fields.isEmpty,
                    .ul(
                        .class("govuk-list"),
                        .forEach(conflict.fields) { field in
                            .li(
                                .a(.class("govuk-link"), .href("#" + GOVUK.fieldID(field.field)), .text(Self.label(field.field))),
                                .p(.class("govuk-body-s"), .text("Saved: “\(field.theirs)”. Yours: “\(field.mine)”."))
                            )
                        }))
            )
        )
    }

    private var identifyingSection: Node<HTML.FormContext> {
        let child = authorised.child
        let details = content.identifying
        return .group(
            .h2(.class("govuk-heading-m"), .text("1. Identifying details")),
            EditingPresence.region(in: .details, othersEditing),
            .p(.class("govuk-body"), .text("From the child index (change them there):")),
            GOVUK.summaryList([
                ("Name", child.fullName), ("Date of birth", Format.birth(of: child)),
                ("Gender", child.gender?.rawValue.capitalized ?? ""),
                ("Postcode", shield.text(child.postcode ?? "")),
                ("Reference", "\(authorised.id.uuidString.lowercased().prefix(8)), version \(assessment.version)"),
            ]),
            GOVUK.textInput(
                label: "Also known as, or previous names", name: "identifying.alsoKnownAs", value: details.alsoKnownAs,
                autocomplete: "off"),
            GOVUK.choices(
                legend: "Unborn baby", name: "identifying.unborn",
                options: [.init(value: "yes", label: "This assessment is for an unborn baby")],
                selected: details.unborn ? ["yes"] : [],
                multiple: true),
            GOVUK.textInput(
                label: "Mother’s name (unborn baby only)", name: "identifying.mothersName", value: details.mothersName,
                error: problem("identifying.mothersName"), autocomplete: "off"),
            GOVUK.textInput(
                label: "Expected date of delivery (unborn baby only)", name: "identifying.expectedDeliveryDate",
                value: details.expectedDeliveryDate, hint: "For example, 2027-02-14",
                error: problem("identifying.expectedDeliveryDate"),
                autocomplete: "off", width: "10"),
            whereabouts(
                GOVUK.textArea(label: "Address", name: "identifying.address", value: details.address, rows: 3),
                GOVUK.textInput(
                    label: "Contact telephone", name: "identifying.contactPhone", value: details.contactPhone, type: .tel,
                    autocomplete: "off")),
            GOVUK.textInput(label: "Religion", name: "identifying.religion", value: details.religion, autocomplete: "off"),
            GOVUK.select(
                label: "Ethnicity", name: "identifying.ethnicity",
                options: [.init(value: "", label: "Choose ethnicity")] + Ethnicity.categories.map { .init(value: $0, label: $0) },
                selected: details.ethnicity, error: problem("identifying.ethnicity")),
            GOVUK.textInput(
                label: "Any other ethnic group: please specify", name: "identifying.ethnicityOther",
                value: details.ethnicityOther,
                autocomplete: "off"),
            GOVUK.textInput(
                label: "Immigration status", name: "identifying.immigrationStatus", value: details.immigrationStatus,
                autocomplete: "off"),
            GOVUK.textInput(
                label: "Child’s first language", name: "identifying.childFirstLanguage", value: details.childFirstLanguage,
                error: problem("identifying.childFirstLanguage"), autocomplete: "off"),
            GOVUK.textInput(
                label: "Parent’s first language", name: "identifying.parentFirstLanguage", value: details.parentFirstLanguage,
                autocomplete: "off"),
            GOVUK.yesNo(legend: "Does the child have a disability?", name: "identifying.disability", value: details.disability),
            GOVUK.textArea(
                label: "Disability: details", name: "identifying.disabilityDetails", value: details.disabilityDetails, rows: 2),
            GOVUK.yesNo(
                legend: "Is an interpreter or signer required?", name: "identifying.interpreterRequired",
                value: details.interpreterRequired),
            GOVUK.yesNo(
                legend: "If so, has one been arranged?", name: "identifying.interpreterArranged",
                value: details.interpreterArranged),
            GOVUK.textArea(
                label: "Special requirements of the child or parent", name: "identifying.specialRequirements",
                value: details.specialRequirements, rows: 2)
        )
    }

    /// Blank parent sets offered; more are shown when more are recorded (up to the form's limit).
    static let parentSlots = 3
    static let serviceSlots = 5

    private var parentsSection: Node<HTML.FormContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("3. Parents and carers")),
            EditingPresence.region(in: .parentsAndCarers, othersEditing),
            .p(.class("govuk-body"), .text("Leave a set blank if it is not needed.")),
            .forEach(0..<max(Self.parentSlots, content.parents.count)) { index in
                let parent = index < content.parents.count ? content.parents[index] : ParentCarer(name: "", relationship: "")
                let prefix = "parents[\(index)]"
                return .element(
                    named: "fieldset",
                    nodes: [
                        .class("govuk-fieldset ecaf-element"),
                        .element(
                            named: "legend",
                            nodes: [
                                .class("govuk-fieldset__legend govuk-fieldset__legend--s"), .text("Parent or carer \(index + 1)"),
                            ]),
                        GOVUK.textInput(
                            label: "Name", name: "\(prefix).name", value: parent.name, error: problem("\(prefix).name"),
                            autocomplete: "off"),
                        GOVUK.textInput(
                            label: "Relationship to the child", name: "\(prefix).relationship", value: parent.relationship,
                            autocomplete: "off"),
                        whereabouts(
                            GOVUK.textInput(
                                label: "Telephone", name: "\(prefix).phone", value: parent.phone, type: .tel, autocomplete: "off"),
                            GOVUK.textArea(label: "Address", name: "\(prefix).address", value: parent.address, rows: 2),
                            GOVUK.textInput(
                                label: "Postcode", name: "\(prefix).postcode", value: parent.postcode, autocomplete: "off",
                                width: "10")),
                        GOVUK.yesNo(
                            legend: "Parental responsibility?", name: "\(prefix).parentalResponsibility",
                            value: parent.parentalResponsibility,
                            error: problem("\(prefix).parentalResponsibility")),
                    ])
            }
        )
    }

    private var familySection: Node<HTML.FormContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("4. Current family and home situation")),
            GOVUK.textArea(label: "Who the child lives with", name: "family.livesWith", value: content.family.livesWith, rows: 2),
            GOVUK.textArea(
                label: "Family members who do not live with the child", name: "family.doesNotLiveWith",
                value: content.family.doesNotLiveWith,
                rows: 2),
            GOVUK.textArea(label: "Brothers and sisters", name: "family.siblings", value: content.family.siblings, rows: 2),
            GOVUK.textArea(
                label: "Other significant adults", name: "family.otherSignificantAdults",
                value: content.family.otherSignificantAdults, rows: 2)
        )
    }

    private var assessorSection: Node<HTML.FormContext> {
        let assessor = content.assessor
        let lead = authorised.episode.leadProfessional
        return .group(
            .h2(.class("govuk-heading-m"), .text("5. Person undertaking the assessment")),
            GOVUK.textInput(
                label: "Name", name: "assessor.name", value: assessor.name, error: problem("assessor.name"), autocomplete: "off"),
            GOVUK.textInput(label: "Role", name: "assessor.role", value: assessor.role, autocomplete: "off"),
            GOVUK.textInput(
                label: "Lead professional’s name", name: "assessor.leadProfessionalName",
                value: assessor.leadProfessionalName.isEmpty ? lead?.name ?? "" : assessor.leadProfessionalName,
                autocomplete: "off"),
            whereabouts(
                GOVUK.textInput(
                    label: "Organisation", name: "assessor.organisation", value: assessor.organisation, autocomplete: "off"),
                GOVUK.textInput(
                    label: "Telephone", name: "assessor.phone", value: assessor.phone, type: .tel, autocomplete: "off"),
                GOVUK.textArea(label: "Address", name: "assessor.address", value: assessor.address, rows: 2),
                GOVUK.textInput(
                    label: "Lead professional’s telephone", name: "assessor.leadProfessionalPhone",
                    value: assessor.leadProfessionalPhone.isEmpty ? lead?.phone ?? "" : assessor.leadProfessionalPhone,
                    type: .tel, autocomplete: "off"))
        )
    }

    private var servicesSection: Node<HTML.FormContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("6. Services already working with the child")),
            .p(
                .class("govuk-body"),
                .text("Universal services (school, GP, health visitor) and any others. Leave a row blank if not needed.")),
            whereabouts(
                .forEach(0..<Self.serviceSlots) { index in
                    let service =
                        index < content.services.count ? content.services[index] : ServiceInvolved(service: "", contact: "")
                    return .div(
                        .class("ecaf-inline-selects"),
                        GOVUK.textInput(
                            label: "Service \(index + 1)", name: "services[\(index)].service", value: service.service,
                            autocomplete: "off"),
                        GOVUK.textInput(
                            label: "Contact for service \(index + 1)", name: "services[\(index)].contact",
                            value: service.contact, autocomplete: "off")
                    )
                })
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
