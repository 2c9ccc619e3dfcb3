import CAFCore
import Plot

/// The pre-assessment checklist on one short page: a few minutes, one decision.
struct ChecklistPage {
    let child: Child
    /// Question 1, answered by the index.
    let openEpisode: Episode?
    /// What of the child's whereabouts the reader sees: the open CAF's contact goes through it.
    let shield: Shield
    var harmConcern = ""
    var worriedOutcomes: Set<String> = []
    var familyAskedForHelp = ""
    var ownServiceCanMeet = ""
    var needsUnclearOrBroad = ""
    var reason = ""
    var problems: [FieldProblem] = []

    static let yesNo: [GOVUK.Option] = [.init(value: "yes", label: "Yes"), .init(value: "no", label: "No")]

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Is a CAF needed?", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Is a CAF needed?")),
            .p(
                .class("govuk-body"),
                .text(
                    "Answer these questions to decide what this child needs: nothing extra, help from your own service, a holistic Common Assessment, or a safeguarding call now. It takes a few minutes and the decision is recorded."
                )),
            .h2(.class("govuk-heading-m"), .text("1. Is a CAF already open?")),
            .unwrap(
                openEpisode,
                { episode in
                    let contact = Access.contact(for: episode)
                    return .div(
                        .class("govuk-inset-text"), .id("existing-episode"),
                        .p(
                            .class("govuk-body"),
                            .text(
                                "Yes. A CAF for \(child.fullName) opened on \(Format.date(episode.openedAt)). \(episode.leadProfessional == nil ? "It was started by" : "Its lead professional is") \(shield.hidesWhereabouts ? "\(shield.person(contact)), through the coordinator" : "\(shield.person(contact)), \(contact.phone)")."
                            )),
                        .p(
                            .class("govuk-body"),
                            .text("Join that team rather than starting another CAF: "),
                            .a(
                                .class("govuk-link"), .href(SiteURL.episode(episode.id!).path),
                                .text("open the episode, or ask to join it")),
                            .text(".")
                        )
                    )
                }, else: .p(.class("govuk-body"), .text("No. There is no open CAF for this child."))),
            GOVUK.postForm(
                action: .checklist(child: child.id!), csrf: context.csrf,
                GOVUK.choices(
                    legend: "2. Has the child been harmed, or are you worried they are at risk of significant harm?",
                    name: "harmConcern", options: Self.yesNo, selected: [harmConcern],
                    hint: "If yes, you will be taken straight to your local authority’s children’s social care number.",
                    error: problem("harmConcern"), inline: true, legendClass: "govuk-fieldset__legend--m"),
                GOVUK.choices(
                    legend: "3. Are you worried about the child’s progress in any of these areas?", name: "worriedOutcomes[]",
                    options: ECMOutcome.allCases.map { .init(value: $0.rawValue, label: $0.title) }, selected: worriedOutcomes,
                    hint: "The five Every Child Matters outcomes. Select all that apply, or none.", multiple: true,
                    legendClass: "govuk-fieldset__legend--m"),
                GOVUK.choices(
                    legend: "4. Has the child or family raised a concern, or asked for help?", name: "familyAskedForHelp",
                    options: Self.yesNo, selected: [familyAskedForHelp], error: problem("familyAskedForHelp"), inline: true,
                    legendClass: "govuk-fieldset__legend--m"),
                GOVUK.choices(
                    legend: "5. Can your own service meet these needs, alone or with one referral?", name: "ownServiceCanMeet",
                    options: Self.yesNo, selected: [ownServiceCanMeet], error: problem("ownServiceCanMeet"), inline: true,
                    legendClass: "govuk-fieldset__legend--m"),
                GOVUK.choices(
                    legend: "6. Are the needs unclear, or broader than your service can meet?", name: "needsUnclearOrBroad",
                    options: Self.yesNo, selected: [needsUnclearOrBroad], error: problem("needsUnclearOrBroad"), inline: true,
                    legendClass: "govuk-fieldset__legend--m"),
                GOVUK.textArea(
                    label: "Why? Your reason for this decision", name: "reason", value: reason,
                    hint: "A sentence or two: what you have seen or been told.", error: problem("reason"),
                    labelClass: "govuk-label govuk-label--m"),
                GOVUK.button("Record the decision")
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}

/// Where the checklist ended when no CAF and no call is needed.
struct ChecklistResultPage {
    let child: Child
    let checklist: PreAssessment

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Decision recorded", context, back: .child(child.id!),
            .div(
                .class("govuk-panel"),
                .h1(.class("govuk-panel__title"), .text("Decision recorded")),
                .p(.class("govuk-panel__body"), .text(checklist.decision.title))
            ),
            .h2(.class("govuk-heading-m"), .text("What happens next")),
            .p(
                .class("govuk-body"),
                .text(
                    checklist.decision == .singleService
                        ? "Carry on supporting \(child.fullName) through your own service, or make the one referral you need. If the needs grow or become unclear, come back and complete the checklist again."
                        : "Universal services carry on as usual. If you become worried again, complete the checklist again: every decision is kept."
                )),
            .p(.class("govuk-body"), GOVUK.link("Back to \(child.fullName)", to: .child(child.id!)))
        )
    }
}
