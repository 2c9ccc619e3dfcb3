import CAFCore
import Foundation
import Plot

/// A worktray list's rows: on the worktray (its first page, with a link to the rest) and on
/// the list's own pages.
enum WorktraySection {
    /// A glimpse of `list` for the worktray: its first page, what it says when empty (only
    /// for the lists everyone has), and a link to the whole list when there is more.
    static func first(_ list: WorktrayList, _ rows: WorktrayRows, showEmpty: Bool = false) -> Node<HTML.BodyContext> {
        let paging = rows.paging
        if paging.isEmpty {
            guard showEmpty else { return .empty }
            return .group(.h2(.class("govuk-heading-m"), .text(list.title)), .p(.class("govuk-body"), .text(list.empty)))
        }
        return .group(
            table(rows, caption: list.title),
            .if(
                paging.isPartial,
                .p(
                    .class("govuk-body"),
                    GOVUK.link(list.seeAll, to: .worktrayList(list))))
        )
    }

    /// The rows as a table (drafts as a list of links), under `caption`.
    static func table(_ rows: WorktrayRows, caption: String) -> Node<HTML.BodyContext> {
        switch rows {
        case .episodes(let paged): episodes(paged.rows, caption: caption)
        case .drafts(let paged):
            .group(
                .h2(.class("govuk-heading-m"), .text(caption)),
                .ul(
                    .class("govuk-list"),
                    .forEach(paged.rows) { episode in
                        .li(
                            .a(
                                .class("govuk-link"), .href(SiteURL.editAssessment(episode: episode.id!).path),
                                .text("Continue the assessment for \(episode.child.fullName)")))
                    }))
        case .actions(let paged):
            GOVUK.table(
                caption: caption, headers: ["Child", "Action", "Due", ""],
                rows: paged.rows.map { action in
                    [
                        GOVUK.link(action.episode.child.fullName, to: .plan(action.$episode.id)), .text(action.description),
                        .text(Format.calendarDate(action.dueOn)),
                        action.isOverdue() ? GOVUK.tag("Overdue", colour: "red") : GOVUK.tag("Due soon", colour: "yellow"),
                    ]
                })
        case .reviews(let paged):
            GOVUK.table(
                caption: caption, headers: ["Child", "Review on"],
                rows: paged.rows.map { episode in
                    [
                        GOVUK.link(episode.child.fullName, to: .plan(episode.id!)),
                        .text(Format.calendarDate(episode.planReviewOn ?? "")),
                    ]
                })
        case .needingALead(let paged):
            GOVUK.table(
                caption: caption, headers: ["Child", "Opened"],
                rows: paged.rows.map { episode in
                    [GOVUK.link(episode.child.fullName, to: .team(episode.id!)), .text(Format.date(episode.openedAt))]
                })
        case .calls(let paged):
            GOVUK.table(
                caption: caption, headers: ["Child", "Called", "By", "Follow-up due", "Status"],
                rows: paged.rows.map { call in
                    let state = call.followUpState()
                    return [
                        GOVUK.link(call.child.fullName, to: .safeguardingCall(call.id!)),
                        .text(Format.dateTime(call.calledAt)), .text(call.caller.name), .text(Format.dateTime(call.followUpDue)),
                        GOVUK.tag(SafeguardingCallPage.label(state), colour: SafeguardingCallPage.colour(state)),
                    ]
                })
        }
    }

    private static func episodes(_ rows: [WorktrayEpisode], caption: String) -> Node<HTML.BodyContext> {
        GOVUK.table(
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

/// One page of a worktray list, with GOV.UK pagination.
struct WorktrayListPage {
    let list: WorktrayList
    let rows: WorktrayRows

    func render(_ context: PageContext) -> HTML {
        let paging = rows.paging
        let first = paging.page.offset + 1
        return Layout.page(
            paging.pageCount > 1 ? "\(list.title) (page \(paging.page.number) of \(paging.pageCount))" : list.title, context,
            back: .home,
            .h1(.class("govuk-heading-l"), .text(list.title)),
            paging.isEmpty
                ? .p(
                    .class("govuk-body"),
                    .text(
                        paging.total == 0
                            ? list.empty
                            : "There is no page \(paging.page.number): the list has \(paging.pageCount == 1 ? "one page" : "\(paging.pageCount) pages")."
                    ))
                : .group(
                    .p(
                        .class("govuk-body"),
                        .text(
                            "Showing \(Format.count(first)) to \(Format.count(paging.page.offset + paging.count)) of \(Format.count(paging.total))"
                        )),
                    WorktraySection.table(rows, caption: "Page \(paging.page.number) of \(paging.pageCount)")),
            Pagination.links(paging, to: .worktrayList(list))
        )
    }
}
