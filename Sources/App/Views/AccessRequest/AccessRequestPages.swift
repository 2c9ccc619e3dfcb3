import CAFCore
import Foundation
import Plot

/// Shown instead of an episode to someone outside its team: whom to contact, and a form to
/// ask to join.
struct JoinTeamPage {
    let episodeID: UUID
    let message: String
    var reason = ""
    var breakGlassReason = ""
    var problems: [FieldProblem] = []
    var sent = false

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            sent ? "Request sent" : "You cannot see this", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text(sent ? "Request sent" : "You cannot see this")),
            sent
                ? .p(
                    .class("govuk-body"),
                    .text(
                        "Your request to join the team has been sent. The lead professional or coordinator will grant or refuse it; you will see the episode on your worktray once granted."
                    ))
                : .group(
                    .p(.class("govuk-body"), .id("error-message"), .text(message)),
                    .h2(.class("govuk-heading-m"), .text("Ask to join the team")),
                    GOVUK.postForm(
                        action: .requestAccess(episodeID), csrf: context.csrf,
                        GOVUK.textArea(
                            label: "Why do you need to join?", name: "reason", value: reason,
                            hint: "For example, the service you provide to the child. Your request is recorded.",
                            error: problems.first { $0.field == "reason" }, rows: 3),
                        GOVUK.button("Ask to join")
                    ),
                    .h2(.class("govuk-heading-m"), .text("Emergency access")),
                    .p(
                        .class("govuk-body"),
                        .text(
                            "Only if a child may come to harm before the team can answer: read this episode now for \(Int(BreakGlass.duration / 3600)) hours. Your reason is recorded and reviewed at once by the local authority’s coordinator."
                        )),
                    GOVUK.postForm(
                        action: .takeBreakGlass(episodeID), csrf: context.csrf,
                        GOVUK.textArea(
                            label: "Why is this an emergency?", name: "breakGlassReason", value: breakGlassReason,
                            error: problems.first { $0.field == "breakGlassReason" }, rows: 3),
                        GOVUK.button("Read it now (break glass)", secondary: true)
                    )
                )
        )
    }
}

/// A request to join a team, for its lead professional, author or coordinator to decide.
struct AccessRequestPage {
    let request: AccessRequest
    let authorised: AuthorisedEpisode
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Request to join the team", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Request to join the team")),
            GOVUK.summaryList([
                ("From", authorised.shield.person(request.requester)),
                ("Service", request.requester.organisation?.agencyType.title ?? ""),
                ("Why", request.reason), ("Asked", Format.dateTime(request.requestedAt)),
                ("Status", request.status.rawValue.capitalized),
            ]),
            .if(
                request.status == .pending,
                GOVUK.postForm(
                    action: .accessRequest(request.id!), csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Your decision", name: "decision",
                        options: [
                            .init(value: "granted", label: "Grant: they join the team and can read the episode"),
                            .init(value: "refused", label: "Refuse"),
                        ],
                        selected: [], error: problems.first { $0.field == "decision" }, legendClass: "govuk-fieldset__legend--m"),
                    GOVUK.textArea(label: "Note to record", name: "note", value: "", rows: 2),
                    GOVUK.button("Record the decision")
                )
            )
        )
    }
}
