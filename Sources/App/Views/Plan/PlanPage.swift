import CAFCore
import Foundation
import Plot

/// The action plan: who does what by when, for which needs; progress recorded as it goes.
struct PlanPage {
    let authorised: AuthorisedEpisode
    private var shield: Shield { authorised.shield }
    let actions: [PlanAction]
    let practitioners: [Practitioner]
    /// Elements the latest assessment found a need in (level 2 or 3), offered first.
    let needs: [CAFElement]
    let mayPlan: Bool
    let actorID: UUID
    var problems: [FieldProblem] = []
    var notice: String? = nil
    var typed: [String: String] = [:]

    func render(_ context: PageContext) -> HTML {
        let today = CalendarDate.iso(Date())
        return Layout.page(
            "Action plan", context, hasErrors: !problems.isEmpty, back: .episode(authorised.id),
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Action plan")),
            .p(
                .class("govuk-body"),
                .text(
                    "What the team agreed to do, who does it, by when, and which needs it addresses. Owners record progress here; the plan is reviewed on the date below."
                )),
            GOVUK.summaryList([("Plan review", authorised.episode.planReviewOn.map(Format.calendarDate) ?? "Not set")]),
            actions.isEmpty
                ? .p(.class("govuk-body"), .text("No actions agreed yet."))
                : GOVUK.table(
                    caption: "Actions", headers: ["Action", "Needs", "Who", "Due", "Status"],
                    rows: actions.map { action in
                        [
                            .group(
                                .text(action.description),
                                .if(
                                    !action.outcomeNote.isEmpty, .p(.class("govuk-hint"), .text("Outcome: \(action.outcomeNote)"))
                                )),
                            .text(action.elementCodes.compactMap { CAFForm.element($0)?.name }.joined(separator: "; ")),
                            .text(
                                [action.ownerPractitioner?.name, action.ownerAgency.isEmpty ? nil : action.ownerAgency].compactMap
                                { $0 }.joined(separator: ", ")),
                            .text(Format.calendarDate(action.dueOn)),
                            .group(
                                GOVUK.tag(
                                    action.status.title,
                                    colour: action.status == .done ? "green" : action.status == .notDone ? "grey" : "blue"),
                                .if(action.isOverdue(today: today), GOVUK.tag("Overdue", colour: "red"))),
                        ]
                    }),
            .forEach(actions.filter { $0.status.isOpen && (mayPlan || $0.$ownerPractitioner.id == actorID) }) { action in
                progressForm(action, context)
            },
            .if(mayPlan, addForm(context)),
            .if(mayPlan, reviewForm(context))
        )
    }

    private func progressForm(_ action: PlanAction, _ context: PageContext) -> Node<HTML.BodyContext> {
        let id = action.id!.uuidString.lowercased()
        let problem = problems.first { $0.field == "status.\(id)" }
        return .details(
            .class("govuk-details"), .attribute(named: "open", value: problem == nil ? nil : "open"),
            .summary(.class("govuk-details__summary"), .text("Update: \(action.description)")),
            .div(
                .class("govuk-details__text"),
                GOVUK.postForm(
                    action: .action(action.id!), csrf: context.csrf,
                    // The version this form shows: a change made since is not overwritten.
                    .input(.type(.hidden), .name("version.\(id)"), .value(typed["version.\(id)"] ?? String(action.version))),
                    GOVUK.choices(
                        legend: "Progress", name: "status.\(id)",
                        options: ActionStatus.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                        selected: [typed["status.\(id)"] ?? action.status.rawValue], error: problem, inline: true),
                    GOVUK.textArea(
                        label: "What happened", name: "outcomeNote.\(id)",
                        value: typed["outcomeNote.\(id)"] ?? action.outcomeNote, rows: 2),
                    GOVUK.button("Save progress", secondary: true)
                )
            )
        )
    }

    private func addForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        let others = CAFForm.elements.filter { !needs.contains($0) }
        return .group(
            .h2(.class("govuk-heading-m"), .text("Add an action")),
            GOVUK.postForm(
                action: .planActions(authorised.id), csrf: context.csrf,
                GOVUK.textArea(
                    label: "What will be done?", name: "description", value: typed["description"] ?? "",
                    error: problem("description"),
                    rows: 2),
                GOVUK.choices(
                    legend: "Which needs does it address?", name: "elementCodes[]",
                    options: (needs + others).map { .init(value: $0.code, label: $0.name) },
                    selected: Set([typed["elementCodes[]"]].compactMap { $0 }),
                    hint: needs.isEmpty ? nil : "The needs the assessment found come first.", error: problem("elementCodes"),
                    multiple: true),
                GOVUK.choices(
                    legend: "Who will do it?", name: "ownerId",
                    options: practitioners.map { .init(value: $0.id!.uuidString, label: shield.person($0)) } + [
                        .init(value: "", label: "An agency (name it below)")
                    ],
                    selected: [typed["ownerId"] ?? ""], error: problem("owner")),
                GOVUK.textInput(
                    label: "Agency", name: "ownerAgency", value: typed["ownerAgency"] ?? "",
                    hint: "Optional when a practitioner is chosen. For example, the school nursing service.", autocomplete: "off"),
                GOVUK.dateInput(
                    legend: "Due by", name: "dueOn", day: typed["dueOn-day"] ?? "", month: typed["dueOn-month"] ?? "",
                    year: typed["dueOn-year"] ?? "", error: problem("dueOn")),
                GOVUK.button("Add the action")
            )
        )
    }

    private func reviewForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("Plan review date")),
            GOVUK.postForm(
                action: .planReview(authorised.id), csrf: context.csrf,
                .input(
                    .type(.hidden), .name("reviewVersion"),
                    .value(typed["reviewVersion"] ?? String(authorised.episode.planReviewVersion))),
                GOVUK.dateInput(
                    legend: "Review the plan on", name: "reviewOn", day: typed["reviewOn-day"] ?? "",
                    month: typed["reviewOn-month"] ?? "",
                    year: typed["reviewOn-year"] ?? "", hint: "Usually within 6 to 12 weeks", error: problem("reviewOn")),
                GOVUK.button("Save the review date", secondary: true)
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
