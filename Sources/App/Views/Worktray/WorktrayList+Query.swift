import Fluent
import Foundation

extension WorktrayRows {
    /// One list's rows: a page of them, or the worktray's first glimpse.
    static func read(_ list: WorktrayList, reading read: ListRead, for signedIn: SignedIn, on db: any Database)
        async throws -> WorktrayRows
    {
        switch list {
        case .episodes:
            .episodes(
                try await WorktrayEpisode.withStatuses(
                    try await Episodes.list(.mine, reading: read, by: signedIn, on: db), on: db))
        case .localAuthority:
            .episodes(
                try await WorktrayEpisode.withStatuses(
                    try await Episodes.list(.localAuthority, reading: read, by: signedIn, on: db), on: db))
        case .drafts: .drafts(try await Episodes.list(.drafts, reading: read, by: signedIn, on: db))
        case .actionsDue: .actions(try await ActionPlans.due(for: signedIn, reading: read, on: db))
        case .reviewsDue: .reviews(try await ActionPlans.reviewsDue(for: signedIn, reading: read, on: db))
        case .needingALead: .needingALead(try await Teams.needingALead(for: signedIn, reading: read, on: db))
        case .followUps: .calls(try await SafeguardingCalls.worktray(for: signedIn, openOnly: true, reading: read, on: db))
        case .safeguardingCalls:
            .calls(try await SafeguardingCalls.toLocalAuthority(for: signedIn, reading: read, on: db))
        }
    }
}

extension WorktrayEpisode {
    /// Each episode with its latest assessment version's status, read as three columns:
    /// every version's whole content made the worktray the slowest page by far (issue 16).
    static func withStatuses(_ episodes: Paged<Episode>, on db: any Database) async throws -> Paged<WorktrayEpisode> {
        let ids = episodes.rows.compactMap(\.id)
        var latest: [UUID: Assessment] = [:]
        if !ids.isEmpty {
            for assessment in try await Assessment.query(on: db).filter(\.$episode.$id ~~ ids)
                .field(\.$episode.$id).field(\.$version).field(\.$status).all()
            {
                let id = assessment.$episode.id
                if (latest[id]?.version ?? 0) < assessment.version { latest[id] = assessment }
            }
        }
        return episodes.map { WorktrayEpisode(episode: $0, assessmentStatus: latest[$0.id!]?.status) }
    }
}
