import CAFCore
import Plot

/// A read-only view of one assessment version, as the whole team sees it.
struct AssessmentPage {
    let authorised: AuthorisedEpisode
    let assessment: Assessment
    let content: AssessmentContent

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
}
