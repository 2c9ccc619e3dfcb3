import CAFCore
import Foundation
import Plot

/// A whole episode on paper: assessment, consent, team, plan and history. The stylesheet
/// drops the header, footer and buttons when printing.
struct EpisodePrintPage {
    let authorised: AuthorisedEpisode
    private var shield: Shield { authorised.shield }
    let assessment: Assessment
    let content: AssessmentContent
    let consentHistory: [Consent]
    let team: Teams.Team
    let practitioners: [Practitioner]
    let actions: [PlanAction]
    let referrals: [Referral]
    let reopenings: [EpisodeReopening]

    func render(_ context: PageContext) -> HTML {
        let episode = authorised.episode
        return Layout.page(
            "Print: CAF episode for \(authorised.child.fullName)", context, back: .episode(authorised.id),
            .h1(.class("govuk-heading-l"), .text("Common Assessment Framework: \(authorised.child.fullName)")),
            .p(
                .class("govuk-body"),
                .text(
                    "Printed \(Format.dateTime(Date())). Confidential: shared with the family’s consent. Keep it securely and destroy it when no longer needed."
                )),
            GOVUK.summaryList([
                ("Episode", episode.id!.uuidString.lowercased()), ("Status", episode.status == .open ? "Open" : "Closed"),
                ("Opened", Format.date(episode.openedAt)), ("Started by", shield.person(episode.author)),
                ("Lead professional", episode.leadProfessional.map(shield.person) ?? "Not agreed yet"),
                (
                    "Closure",
                    episode.closureReason.map { "\($0.title), \(Format.date(episode.closedAt)). \(episode.closureNote)" } ?? ""
                ),
            ]),
            .h2(
                .class("govuk-heading-l"),
                .text("Assessment, version \(assessment.version) (\(assessment.status == .completed ? "completed" : "draft"))")),
            AssessmentPage(authorised: authorised, assessment: assessment, content: content).sections,
            .h2(.class("govuk-heading-l"), .text("Consent")),
            GOVUK.table(
                caption: "Consent decisions", headers: ["When", "Decision", "By", "May be shared with", "Reason"],
                rows: consentHistory.map { consent in
                    [
                        .text(Format.dateTime(consent.recordedAt)), .text(EpisodePage.describe(consent)), .text(consent.name),
                        .text(consent.scope.shareWithAgencyTypes.map(\.title).sorted().joined(separator: ", ")),
                        .text(consent.reason),
                    ]
                }),
            .h2(.class("govuk-heading-l"), .text("Team around the child")),
            .ul(
                .class("govuk-list govuk-list--bullet"),
                .forEach(practitioners) { .li(.text(shield.person($0))) },
                .forEach(team.familyMembers) { .li(.text("\($0.name) (\($0.relationship))")) }),
            GOVUK.table(
                caption: "Lead professionals", headers: ["Who", "Agency", "From", "To", "Handover note"],
                rows: team.leads.map { term in
                    [
                        .text(term.practitioner.name), .text(term.agencyType.title), .text(Format.date(term.startedAt)),
                        .text(term.endedAt.map { Format.date($0) } ?? "Now"), .text(term.handoverNote),
                    ]
                }),
            .forEach(team.meetings) { meeting in
                .group(
                    .h3(
                        .class("govuk-heading-s"),
                        .text("TAC meeting, \(Format.dateTime(meeting.scheduledAt)), \(shield.text(meeting.place))")
                    ),
                    .p(
                        .class("govuk-body"),
                        .text(
                            meeting.invitations.map { "\($0.name): \($0.attendance.title.lowercased())" }.joined(separator: "; "))
                    ),
                    GOVUK.summaryList([("Minutes", meeting.minutes), ("Decisions", meeting.decisions)])
                )
            },
            .h2(.class("govuk-heading-l"), .text("Action plan")),
            GOVUK.summaryList([("Review on", episode.planReviewOn.map(Format.calendarDate) ?? "Not set")]),
            GOVUK.table(
                caption: "Actions", headers: ["Action", "Who", "Due", "Status", "Outcome"],
                rows: actions.map { action in
                    [
                        .text(action.description),
                        .text(
                            [action.ownerPractitioner?.name, action.ownerAgency].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                                separator: ", ")),
                        .text(Format.calendarDate(action.dueOn)), .text(action.status.title), .text(action.outcomeNote),
                    ]
                }),
            .h2(.class("govuk-heading-l"), .text("History")),
            .ul(
                .class("govuk-list govuk-list--bullet"),
                .forEach(referrals) { referral in
                    .li(
                        .text(
                            "Step-up referral, \(Format.date(referral.referredAt)): \(referral.decision.title). \(referral.decisionReason)"
                        ))
                },
                .forEach(reopenings) { reopening in
                    .li(
                        .text(
                            "Reopened \(Format.date(reopening.reopenedAt)) by \(reopening.reopenedBy.name): \(reopening.reason)"))
                }
            )
        )
    }
}
