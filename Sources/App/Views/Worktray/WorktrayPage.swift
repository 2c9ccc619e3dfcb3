import CAFCore
import Foundation
import Plot

/// The home page: the episodes this person works on, drafts first.
struct WorktrayPage {
    struct Row {
        let episode: Episode
        let assessmentStatus: AssessmentStatus?
    }

    let signedIn: SignedIn
    let mine: [Row]
    /// A coordinator's whole LA, empty for everyone else.
    let localAuthority: [Row]
    /// Safeguarding calls whose written follow-up has not been sent.
    let followUps: [SafeguardingCall]
    /// What the policy says this person oversees, for the sections shown.
    let coordinates: Bool
    let takesSafeguardingCalls: Bool
    /// For safeguarding staff: recent calls made to their LA.
    let callsToLA: [SafeguardingCall]
    /// For coordinators: open episodes that have met as a team but have no lead professional.
    let needingALead: [Episode]
    /// Open actions due within a week or overdue, that this person owns or whose episode they hold.
    let actionsDue: [PlanAction]
    let reviewsDue: [Episode]
    /// For safeguarding staff: step-up referrals awaiting their decision.
    let referrals: [Referral]
    /// TAC meetings this person is invited to, not yet recorded as held.
    let meetings: [TACMeeting]
    /// The shield of each child the meetings and requests are about: where a meeting is held,
    /// and where someone asking to join works, say where the child is.
    let shields: [UUID: Shield]
    /// Requests to join teams this person may decide on.
    let accessRequests: [AccessRequest]
    /// For coordinators: break-glass access to review.
    let breakGlass: [BreakGlassGrant]
    /// Shield overrides in the coordinator's LA, not yet reviewed.
    let shieldOverrides: [ShieldOverride]
    /// For a coordinator: corrections to children's names from outside their teams.
    let nameProposals: [NameProposal]

    var drafts: [Row] { mine.filter { $0.assessmentStatus == .draft && $0.episode.$author.id == signedIn.id } }

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Your worktray", context,
            .h1(.class("govuk-heading-l"), .text("Your worktray")),
            .if(
                signedIn.practitioner.totpSecret == nil,
                .div(
                    .class("govuk-inset-text"),
                    .text("Protect the children’s records you can see: "),
                    GOVUK.link("Set up two-factor sign-in", to: .twoFactor),
                    .text(" with an authenticator app on your phone."))),
            .p(
                .class("govuk-body"),
                .text(
                    "Worried about a child? Find them in the index first: someone may already be helping. If not, register them and start a CAF with the family’s consent."
                )),
            .div(
                .class("govuk-button-group"),
                .a(.class("govuk-button"), .href(SiteURL.findChild.path), .text("Find a child")),
                .a(.class("govuk-button govuk-button--secondary"), .href(SiteURL.registerChild.path), .text("Register a child"))
            ),
            .if(
                !referrals.isEmpty,
                GOVUK.table(
                    caption: "Step-up referrals awaiting a decision", headers: ["Child", "Referred", "By"],
                    rows: referrals.map { referral in
                        [
                            GOVUK.link(referral.episode.child.fullName, to: .referral(referral.id!)),
                            .text(Format.dateTime(referral.referredAt)), .text(referral.referredBy.name),
                        ]
                    })
            ),
            .if(!followUps.isEmpty, calls("Safeguarding follow-ups to send", followUps)),
            .if(
                !needingALead.isEmpty,
                GOVUK.table(
                    caption: "Episodes with no lead professional after a TAC meeting", headers: ["Child", "Opened"],
                    rows: needingALead.map { episode in
                        [GOVUK.link(episode.child.fullName, to: .team(episode.id!)), .text(Format.date(episode.openedAt))]
                    })
            ),
            .if(
                !shieldOverrides.isEmpty,
                GOVUK.table(
                    caption: "Shield overrides to review", headers: ["Who", "Child", "When", "Reason"],
                    rows: shieldOverrides.map { override in
                        [
                            GOVUK.link(override.practitioner.name, to: .shieldOverrideReview(override.id!)),
                            .text(override.child.fullName), .text(Format.dateTime(override.takenAt)), .text(override.reason),
                        ]
                    })
            ),
            .if(
                !nameProposals.isEmpty,
                GOVUK.table(
                    caption: "Name corrections to check", headers: ["Child", "Proposed", "From", "When"],
                    rows: nameProposals.map { proposal in
                        [
                            GOVUK.link(proposal.child.fullName, to: .nameProposal(proposal.id!)), .text(proposal.fullName),
                            .text(Format.person(proposal.proposedBy)), .text(Format.dateTime(proposal.proposedAt)),
                        ]
                    })
            ),
            .if(
                !breakGlass.isEmpty,
                GOVUK.table(
                    caption: "Break-glass access to review", headers: ["Who", "Child", "When", "Reason"],
                    rows: breakGlass.map { grant in
                        [
                            GOVUK.link(grant.practitioner.name, to: .breakGlassGrant(grant.id!)),
                            .text(grant.episode.child.fullName),
                            .text(Format.dateTime(grant.grantedAt)), .text(grant.reason),
                        ]
                    })
            ),
            .if(
                !accessRequests.isEmpty,
                GOVUK.table(
                    caption: "Requests to join your teams", headers: ["Child", "From", "Asked"],
                    rows: accessRequests.map { request in
                        [
                            GOVUK.link(request.episode.child.fullName, to: .accessRequest(request.id!)),
                            .text((shields[request.episode.$child.id] ?? .closed).person(request.requester)),
                            .text(Format.dateTime(request.requestedAt)),
                        ]
                    })
            ),
            .if(
                !meetings.isEmpty,
                GOVUK.table(
                    caption: "TAC meetings", headers: ["Child", "When", "Where"],
                    rows: meetings.map { meeting in
                        [
                            GOVUK.link(meeting.episode.child.fullName, to: .meeting(meeting.id!)),
                            .text(Format.dateTime(meeting.scheduledAt)),
                            .text((shields[meeting.episode.$child.id] ?? .closed).text(meeting.place)),
                        ]
                    })
            ),
            .if(
                !actionsDue.isEmpty,
                GOVUK.table(
                    caption: "Actions due", headers: ["Child", "Action", "Due", ""],
                    rows: actionsDue.map { action in
                        [
                            GOVUK.link(action.episode.child.fullName, to: .plan(action.$episode.id)), .text(action.description),
                            .text(Format.calendarDate(action.dueOn)),
                            action.isOverdue() ? GOVUK.tag("Overdue", colour: "red") : GOVUK.tag("Due soon", colour: "yellow"),
                        ]
                    })
            ),
            .if(
                !reviewsDue.isEmpty,
                GOVUK.table(
                    caption: "Plan reviews due", headers: ["Child", "Review on"],
                    rows: reviewsDue.map { episode in
                        [
                            GOVUK.link(episode.child.fullName, to: .plan(episode.id!)),
                            .text(Format.calendarDate(episode.planReviewOn ?? "")),
                        ]
                    })
            ),
            .h2(.class("govuk-heading-m"), .text("Your drafts")),
            drafts.isEmpty
                ? .p(.class("govuk-body"), .text("You have no draft assessments."))
                : .ul(
                    .class("govuk-list"),
                    .forEach(drafts) { row in
                        .li(
                            .a(
                                .class("govuk-link"), .href(SiteURL.editAssessment(episode: row.episode.id!).path),
                                .text("Continue the assessment for \(row.episode.child.fullName)")))
                    }),
            table("Your episodes", mine, empty: "You are not on the team of any CAF episode yet."),
            .if(
                coordinates,
                .group(
                    table(
                        "Every episode in your local authority", localAuthority, empty: "No episodes in your local authority yet."
                    ),
                    .p(.class("govuk-body"), GOVUK.link("Decisions not to share", to: .decisionsNotToShare)))
            ),
            .if(
                takesSafeguardingCalls,
                callsToLA.isEmpty
                    ? .p(.class("govuk-body"), .text("No safeguarding calls have been recorded for your local authority."))
                    : calls("Safeguarding calls to your local authority", callsToLA)
            )
        )
    }

    private func calls(_ caption: String, _ calls: [SafeguardingCall]) -> Node<HTML.BodyContext> {
        GOVUK.table(
            caption: caption, headers: ["Child", "Called", "By", "Follow-up due", "Status"],
            rows: calls.map { call in
                let state = call.followUpState()
                return [
                    GOVUK.link(call.child.fullName, to: .safeguardingCall(call.id!)),
                    .text(Format.dateTime(call.calledAt)), .text(call.caller.name), .text(Format.dateTime(call.followUpDue)),
                    GOVUK.tag(SafeguardingCallPage.label(state), colour: SafeguardingCallPage.colour(state)),
                ]
            })
    }

    private func table(_ caption: String, _ rows: [Row], empty: String) -> Node<HTML.BodyContext> {
        rows.isEmpty
            ? .group(.h2(.class("govuk-heading-m"), .text(caption)), .p(.class("govuk-body"), .text(empty)))
            : GOVUK.table(
                caption: caption, headers: ["Child", "Opened", "Lead professional", "Assessment"],
                rows: rows.map { row in
                    [
                        GOVUK.link(row.episode.child.fullName, to: .episode(row.episode.id!)),
                        .text(Format.date(row.episode.openedAt)),
                        .text(row.episode.leadProfessional?.name ?? "Not agreed yet"),
                        GOVUK.tag(
                            row.assessmentStatus == .completed ? "Completed" : "Draft",
                            colour: row.assessmentStatus == .completed ? "green" : "yellow"),
                    ]
                })
    }
}
