import CAFCore
import Plot

/// The coordinator's review of a shield override.
struct ShieldOverridePage {
    let override: ShieldOverride
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Review a shield override", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Review a shield override")),
            GOVUK.summaryList([
                ("Who", Format.person(override.practitioner)), ("Child", override.child.fullName),
                ("When", Format.dateTime(override.takenAt)), ("Reason given", override.reason),
                ("Reviewed", override.reviewedAt.map { "\(Format.dateTime($0)): \(override.reviewNote)" } ?? "Not yet"),
            ]),
            .p(.class("govuk-body"), GOVUK.link("Who has seen this child", to: .childAudit(override.$child.id))),
            .if(
                override.reviewedAt == nil,
                GOVUK.postForm(
                    action: .shieldOverrideReview(override.id!), csrf: context.csrf,
                    GOVUK.textArea(
                        label: "Your review", name: "note", value: "", hint: "Was the override justified? What follows?",
                        error: problems.first { $0.field == "note" }, rows: 3),
                    GOVUK.button("Mark as reviewed")
                ))
        )
    }
}
