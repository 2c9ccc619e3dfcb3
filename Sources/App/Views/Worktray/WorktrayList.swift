import CAFCore
import Foundation
import Plot

/// A worktray list that can outgrow one screen. The worktray shows each one's first page and
/// links to the whole list, paged at `/worktray/{list}`.
enum WorktrayList: String, CaseIterable, Sendable {
    case episodes
    case drafts
    case localAuthority = "local-authority"
    case actionsDue = "actions-due"
    case reviewsDue = "reviews-due"
    case needingALead = "needing-a-lead"
    case followUps = "follow-ups"
    case safeguardingCalls = "safeguarding-calls"

    var title: String {
        switch self {
        case .episodes: "Your episodes"
        case .drafts: "Your drafts"
        case .localAuthority: "Every episode in your local authority"
        case .actionsDue: "Actions due"
        case .reviewsDue: "Plan reviews due"
        case .needingALead: "Episodes with no lead professional after a TAC meeting"
        case .followUps: "Safeguarding follow-ups to send"
        case .safeguardingCalls: "Safeguarding calls to your local authority"
        }
    }

    /// The worktray's link to the whole list.
    var seeAll: String {
        switch self {
        case .episodes: "See all your episodes"
        case .drafts: "See all your drafts"
        case .localAuthority: "See every episode in your local authority"
        case .actionsDue: "See all actions due"
        case .reviewsDue: "See all plan reviews due"
        case .needingALead: "See all episodes with no lead professional"
        case .followUps: "See all follow-ups to send"
        case .safeguardingCalls: "See all safeguarding calls"
        }
    }

    /// What the list says when it holds nothing.
    var empty: String {
        switch self {
        case .episodes: "You are not on the team of any CAF episode yet."
        case .drafts: "You have no draft assessments."
        case .localAuthority: "No episodes in your local authority yet."
        case .actionsDue: "No actions are due within a week."
        case .reviewsDue: "No plan reviews are due within a week."
        case .needingALead: "Every episode that has met as a team has a lead professional."
        case .followUps: "Every safeguarding call has its written follow-up."
        case .safeguardingCalls: "No safeguarding calls have been recorded for your local authority."
        }
    }
}

/// An episode on a worktray, with its latest assessment's status.
struct WorktrayEpisode {
    let episode: Episode
    let assessmentStatus: AssessmentStatus?
}

/// One page of a worktray list, loaded.
enum WorktrayRows {
    /// Yours, or your LA's.
    case episodes(Paged<WorktrayEpisode>)
    case drafts(Paged<Episode>)
    case actions(Paged<PlanAction>)
    case reviews(Paged<Episode>)
    case needingALead(Paged<Episode>)
    case calls(Paged<SafeguardingCall>)

    /// Where the page stands in its list.
    var paging: any PageOfList {
        switch self {
        case .episodes(let paged): paged
        case .drafts(let paged), .reviews(let paged), .needingALead(let paged): paged
        case .actions(let paged): paged
        case .calls(let paged): paged
        }
    }
}
