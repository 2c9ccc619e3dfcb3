import CAFCore
import Plot

/// Record a decision not to share: what, with whom, and why sharing would do the child more harm.
struct DecisionNotToSharePage {
    let child: Child
    var typed: [String: String] = [:]
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Record a decision not to share", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Record a decision not to share")),
            .p(
                .class("govuk-body"),
                .text(
                    "You must share information to keep a child safe, unless sharing would do the child more harm. When you decide not to share, record it here: the coordinator of the child’s local authority sees it."
                )),
            GOVUK.postForm(
                action: .childDecisionsNotToShare(child.id!), csrf: context.csrf,
                GOVUK.textArea(
                    label: "What did you decide not to share?", name: "withheld", value: typed["withheld"] ?? "",
                    error: problem("withheld"), rows: 3),
                GOVUK.textInput(
                    label: "Who asked, or who would have been told?", name: "withheldFrom", value: typed["withheldFrom"] ?? "",
                    hint: "An agency, a service or a person", error: problem("withheldFrom"), autocomplete: "off"),
                GOVUK.textArea(
                    label: "Why would sharing do the child more harm?", name: "reason", value: typed["reason"] ?? "",
                    error: problem("reason"), rows: 4),
                GOVUK.button("Record the decision")
            )
        )
    }
}

/// The coordinator's list of their LA's decisions not to share, newest first, with a count.
struct DecisionsNotToSharePage {
    let decisions: [DecisionNotToShare]
    let lastThirtyDays: Int

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Decisions not to share", context, back: .home,
            .h1(.class("govuk-heading-l"), .text("Decisions not to share")),
            .p(
                .class("govuk-body"), .id("decisions-count"),
                .text("\(lastThirtyDays) in the last 30 days. The newest 200 are listed.")),
            decisions.isEmpty
                ? .p(.class("govuk-body"), .text("No decision not to share has been recorded."))
                : GOVUK.table(
                    caption: "Decisions not to share, newest first",
                    headers: ["Child", "Not shared", "With", "Why", "By", "When"],
                    rows: decisions.map { decision in
                        [
                            GOVUK.link(decision.child.fullName, to: .child(decision.$child.id)), .text(decision.withheld),
                            .text(decision.withheldFrom), .text(decision.reason), .text(Format.person(decision.decidedBy)),
                            .text(Format.dateTime(decision.decidedAt)),
                        ]
                    })
        )
    }
}
