import CAFCore
import Plot

/// A read-only view of one assessment version, as the whole team sees it.
struct AssessmentPage {
    let authorised: AuthorisedEpisode
    let assessment: Assessment
    /// As the reader's shield lets them see it.
    let content: AssessmentContent

    init(authorised: AuthorisedEpisode, assessment: Assessment, content: AssessmentContent) {
        self.authorised = authorised
        self.assessment = assessment
        self.content = authorised.shield.content(content)
    }

    private var shield: Shield { authorised.shield }

    private var identifyingRows: [(String, String)] {
        let details = content.identifying
        let child = authorised.child
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "Yes" : "No" } ?? "" }
        return [
            ("Name", details.displayName(indexName: child.fullName)), ("Also known as", details.alsoKnownAs),
            (
                "Date of birth",
                details.unborn
                    ? "Expected \(Format.calendarDate(details.expectedDeliveryDate))" : Format.birth(of: child)
            ),
            ("Gender", child.gender?.rawValue.capitalized ?? ""), ("Address", shield.text(details.address)),
            ("Postcode", shield.text(child.postcode ?? "")),
            ("Telephone", shield.text(details.contactPhone)), ("Religion", details.religion),
            ("Ethnicity", details.ethnicityOther.isEmpty ? details.ethnicity : "\(details.ethnicity): \(details.ethnicityOther)"),
            ("Immigration status", details.immigrationStatus), ("Child’s first language", details.childFirstLanguage),
            ("Parent’s first language", details.parentFirstLanguage),
            (
                "Disability",
                [yesNo(details.disability), details.disabilityDetails].filter { !$0.isEmpty }.joined(separator: ": ")
            ),
            (
                "Interpreter or signer",
                "\(yesNo(details.interpreterRequired))\(details.interpreterArranged == true ? ", arranged" : "")"
            ),
            ("Special requirements", details.specialRequirements),
        ]
    }

    /// Every section of the form, read-only: shared with the print view of the episode.
    var sections: Node<HTML.BodyContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("Identifying details")),
            GOVUK.summaryList(identifyingRows),
            .h2(.class("govuk-heading-m"), .text("Parents and carers")),
            .forEach(content.parents) { parent in
                GOVUK.summaryList([
                    ("Name", parent.name), ("Relationship", parent.relationship), ("Telephone", shield.text(parent.phone)),
                    (
                        "Address",
                        shield.text([parent.address, parent.postcode].filter { !$0.isEmpty }.joined(separator: ", "))
                    ),
                    ("Parental responsibility", parent.parentalResponsibility.map { $0 ? "Yes" : "No" } ?? ""),
                ])
            },
            .h2(.class("govuk-heading-m"), .text("Family and home")),
            GOVUK.summaryList([
                ("Lives with", content.family.livesWith), ("Does not live with", content.family.doesNotLiveWith),
                ("Brothers and sisters", content.family.siblings),
                ("Other significant adults", content.family.otherSignificantAdults),
            ]),
            .h2(.class("govuk-heading-m"), .text("Person undertaking the assessment")),
            GOVUK.summaryList([
                ("Name", content.assessor.name), ("Role", content.assessor.role),
                ("Organisation", shield.text(content.assessor.organisation)),
                ("Telephone", shield.text(content.assessor.phone)),
                (
                    "Lead professional",
                    [content.assessor.leadProfessionalName, content.assessor.leadProfessionalPhone].filter { !$0.isEmpty }.joined(
                        separator: ", ")
                ),
            ]),
            .h2(.class("govuk-heading-m"), .text("Services already working with the child")),
            shield.hidesWhereabouts
                ? .p(.class("govuk-body"), .text(Shield.withheld))
                : .ul(
                    .class("govuk-list govuk-list--bullet"),
                    .forEach(content.services) { .li(.text("\($0.service) – \($0.contact)")) }),
            .h2(.class("govuk-heading-m"), .text("Assessment information")),
            GOVUK.summaryList([
                ("What has led to this assessment", content.reasonForAssessment),
                ("People present", content.peoplePresent),
            ]),
            .forEach(CAFDomain.allCases) { domain in
                .group(
                    .h2(.class("govuk-heading-m"), .text(domain.title)),
                    .forEach(CAFForm.elements(in: domain)) { element in
                        let entry = content.element(element.code)
                        return .group(
                            .h3(.class("govuk-heading-s"), .text(element.name)),
                            GOVUK.summaryList([
                                ("Strengths", entry.strengths), ("Needs", entry.needs),
                                ("Level of need", entry.level?.label ?? "Not answered yet"),
                                ("Concern of significant harm", entry.harmConcern ? "Yes" : "No"),
                            ])
                        )
                    }
                )
            },
            .h2(.class("govuk-heading-m"), .text("Views and conclusions")),
            GOVUK.summaryList([
                ("The child or young person’s views", content.childViews),
                ("The parent’s or carer’s views", content.parentViews),
                ("Conclusions", content.conclusions),
            ])
        )
    }

    func render(_ context: PageContext) -> HTML {
        let completed = assessment.status == .completed
        return Layout.page(
            "Assessment for \(authorised.child.fullName)", context, back: .episode(authorised.id),
            .span(.class("govuk-caption-l"), .text("\(authorised.child.fullName) – version \(assessment.version)")),
            .h1(.class("govuk-heading-l"), .text("Common Assessment")),
            .p(
                .class("govuk-body"), GOVUK.tag(completed ? "Completed" : "Draft", colour: completed ? "green" : "yellow"),
                .text(
                    completed
                        ? " Completed on \(Format.date(assessment.completedAt)). It cannot be changed."
                        : " This draft may still change.")
            ),
            sections
        )
    }
}
