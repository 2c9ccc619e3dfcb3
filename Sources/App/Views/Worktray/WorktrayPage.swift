import CAFCore
import Foundation
import Plot

/// The home page: the episodes this person works on, drafts first.
struct WorktrayPage {
    let signedIn: SignedIn
    /// The first page of each list this person's worktray shows.
    let lists: [WorktrayList: WorktrayRows]
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

    /// A list's first page; `showEmpty` for the lists that say so when they hold nothing.
    private func section(_ list: WorktrayList, showEmpty: Bool = false) -> Node<HTML.BodyContext> {
        guard let rows = lists[list] else { return .empty }
        return WorktraySection.first(list, rows, showEmpty: showEmpty)
    }

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Your worktray", context,
            .h1(.class("govuk-heading-l"), .text("Your worktray")),
            .if(
                !signedIn.practitioner.hasSecondFactor,
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
            section(.followUps),
            section(.needingALead),
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
            section(.actionsDue),
            section(.reviewsDue),
            section(.drafts, showEmpty: true),
            section(.episodes, showEmpty: true),
            .if(
                lists[.localAuthority] != nil,
                .group(
                    section(.localAuthority, showEmpty: true),
                    .p(.class("govuk-body"), GOVUK.link("Decisions not to share", to: .decisionsNotToShare)))
            ),
            section(.safeguardingCalls, showEmpty: true)
        )
    }
}
