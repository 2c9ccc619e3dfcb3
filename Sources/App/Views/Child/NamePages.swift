import CAFCore
import Plot

/// Add a name a child is known by, or correct one: made at once by those who know the child,
/// otherwise sent with a reason to the coordinator to check.
struct NamesPage {
    let child: Child
    /// Whether this reader's change is made at once (they registered the child, are on the
    /// child's team, or coordinate the LA) or proposed.
    let mayChange: Bool
    var typed: [String: String] = [:]
    var problems: [FieldProblem] = []
    /// A proposal has just gone to the coordinator.
    var sent = false

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Add or correct a name", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            GOVUK.notice(sent ? "Sent to the coordinator to check" : nil),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Add or correct a name")),
            .p(
                .class("govuk-body"),
                .text(
                    mayChange
                        ? "The change is made at once and everyone who searches finds the child by it. A new name keeps the old one as a previous name."
                        : "You are not on this child’s team, so the coordinator of their local authority checks your correction before it is made."
                )),
            GOVUK.postForm(
                action: .childNames(child.id!), csrf: context.csrf,
                GOVUK.choices(
                    legend: "Which name is it?", name: "kind",
                    options: [
                        .init(value: NameKind.current.rawValue, label: "The child’s name now (the old one is kept as previous)"),
                        .init(value: NameKind.knownAs.rawValue, label: "A name the child is known by"),
                        .init(value: NameKind.previous.rawValue, label: "A name the child was known by before"),
                    ], selected: [typed["kind"] ?? ""], error: problem("kind")),
                GOVUK.textInput(
                    label: "First name", name: "givenName", value: typed["givenName"] ?? "", error: problem("givenName"),
                    autocomplete: "off"),
                GOVUK.textInput(
                    label: "Last name", name: "familyName", value: typed["familyName"] ?? "", error: problem("familyName"),
                    autocomplete: "off"),
                .if(
                    !mayChange,
                    GOVUK.textArea(
                        label: "How do you know?", name: "reason", value: typed["reason"] ?? "",
                        hint: "For example, the child’s mother showed the birth certificate.", error: problem("reason"),
                        rows: 3)),
                GOVUK.button(mayChange ? "Save the name" : "Send to the coordinator")
            )
        )
    }
}

/// The coordinator decides a correction proposed from outside the child's team.
struct NameProposalPage {
    let proposal: NameProposal
    /// What was chosen and typed, kept when the decision comes back with a problem.
    var decision = ""
    var note = ""
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Check a name correction", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(proposal.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Check a name correction")),
            GOVUK.summaryList([
                ("Child’s name now", proposal.child.fullName), ("Proposed", proposal.fullName),
                ("As", proposal.kind.label), ("From", Format.person(proposal.proposedBy)),
                ("How they know", proposal.reason), ("When", Format.dateTime(proposal.proposedAt)),
                (
                    "Decision",
                    proposal.decision == .pending
                        ? "Not yet" : "\(proposal.decision.rawValue.capitalized). \(proposal.decisionNote)"
                ),
            ]),
            .p(.class("govuk-body"), GOVUK.link("Open the child’s record", to: .child(proposal.$child.id))),
            .if(
                proposal.decision == .pending,
                GOVUK.postForm(
                    action: .nameProposal(proposal.id!), csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Make the correction?", name: "decision",
                        options: [.init(value: "accepted", label: "Yes, make it"), .init(value: "refused", label: "No")],
                        selected: [decision], error: problem("decision"), inline: true),
                    GOVUK.textArea(
                        label: "Note", name: "note", value: note, hint: "Needed when you refuse.",
                        error: problem("note"), rows: 2),
                    GOVUK.button("Save the decision")
                ))
        )
    }
}
