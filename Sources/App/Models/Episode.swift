import CAFCore
import Fluent
import Foundation

/// One CAF episode for one child: from the decision to assess until closure.
package final class Episode: Model, @unchecked Sendable {
    package static let schema = "episodes"

    enum Status: String, Codable, Sendable { case open, closed }

    @ID(key: .id) package var id: UUID?
    @Parent(key: "child_id") var child: Child
    /// The LA where the child lived when the episode opened; its coordinators are this LA's.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Parent(key: "author_id") var author: Practitioner
    @OptionalParent(key: "lead_professional_id") var leadProfessional: Practitioner?
    @Enum(key: "status") var status: Status
    @Field(key: "opened_at") var openedAt: Date
    /// When the action plan is next reviewed (ISO calendar date).
    @OptionalField(key: "plan_review_on") var planReviewOn: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalEnum(key: "closure_reason") var closureReason: ClosureReason?
    @Field(key: "closure_note") var closureNote: String
    /// Social care's handover note when they stepped a case down into a CAF.
    @OptionalField(key: "step_down_note") var stepDownNote: String?
    @Children(for: \.$episode) var shares: [EpisodeShare]
    /// One more with each change to who is in the team, who leads it or the consent: a change
    /// names the version it was made on.
    @Field(key: "team_version") var teamVersion: Int
    @OptionalParent(key: "team_updated_by_id") var teamUpdatedBy: Practitioner?
    @OptionalField(key: "team_updated_at") var teamUpdatedAt: Date?
    /// One more with each review date set: a date is set on the version its writer read.
    @Field(key: "plan_review_version") var planReviewVersion: Int
    @OptionalParent(key: "plan_review_updated_by_id") var planReviewUpdatedBy: Practitioner?
    @OptionalField(key: "plan_review_updated_at") var planReviewUpdatedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    package var properties: [any AnyProperty] {
        [
            $id, $child, $localAuthority, $author, $leadProfessional, $status, $openedAt, $planReviewOn, $closedAt,
            $closureReason, $closureNote, $stepDownNote, $shares, $teamVersion, $teamUpdatedBy, $teamUpdatedAt,
            $planReviewVersion, $planReviewUpdatedBy, $planReviewUpdatedAt,
        ]
    }
    package init() {}
    init(childID: UUID, localAuthorityID: UUID, authorID: UUID, openedAt: Date) {
        self.$child.id = childID
        self.$localAuthority.id = localAuthorityID
        self.$author.id = authorID
        self.status = .open
        self.openedAt = openedAt
        self.closureNote = ""
        self.teamVersion = 1
        self.planReviewVersion = 1
    }
}

/// A practitioner the episode was shared with by name (within consent).
final class EpisodeShare: Model, @unchecked Sendable {
    static let schema = "episode_shares"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Parent(key: "shared_by_id") var sharedBy: Practitioner
    @Field(key: "shared_at") var sharedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $episode, $practitioner, $sharedBy, $sharedAt] }
    init() {}
    init(episodeID: UUID, practitionerID: UUID, sharedByID: UUID, sharedAt: Date) {
        self.$episode.id = episodeID
        self.$practitioner.id = practitionerID
        self.$sharedBy.id = sharedByID
        self.sharedAt = sharedAt
    }
}

extension Episode {
    /// Episodes with the child and the whole team loaded (author, lead professional,
    /// named shares, each with their organisation): what access decisions and contact
    /// details need.
    /// A child already loaded (a child's own page) is not loaded again.
    static func withTeam(on db: any Database, of child: Child? = nil) -> QueryBuilder<Episode> {
        let query = query(on: db)
        query.add(loader: TeamLoader(known: child))
        return query
    }

    /// Loads the episodes' children, shares and team in three statements, where Fluent's
    /// eager loads took seven, or nine with shares: every read of an episode or a child
    /// loads a team (issue 16).
    struct TeamLoader: EagerLoader {
        let known: Child?

        func run(models: [Episode], on database: any Database) -> EventLoopFuture<Void> {
            database.eventLoop.makeFutureWithTask { try await load(models, on: database) }
        }

        func anyRun(models: [any AnyModel], on database: any Database) -> EventLoopFuture<Void> {
            run(models: models.compactMap { $0 as? Episode }, on: database)
        }

        func load(_ episodes: [Episode], on db: any Database) async throws {
            guard !episodes.isEmpty else { return }
            var children = known.map { [$0.id!: $0] } ?? [:]
            let unknown = Set(episodes.map(\.$child.id)).subtracting(children.keys)
            if !unknown.isEmpty {
                for child in try await Child.query(on: db).filter(\.$id ~~ unknown).all() { children[child.id!] = child }
            }
            let shares = try await EpisodeShare.query(on: db).filter(\.$episode.$id ~~ episodes.map { $0.id! }).all()
            let team = try await Practitioner.withOrganisation(
                Set(episodes.map(\.$author.id) + episodes.compactMap(\.$leadProfessional.id) + shares.map(\.$practitioner.id)),
                on: db)
            func member(_ id: UUID) throws -> Practitioner {
                guard let practitioner = team[id] else {
                    throw FluentError.missingParent(from: "episodes", to: "practitioners", key: "team", id: id.uuidString)
                }
                return practitioner
            }
            for share in shares { share.$practitioner.value = try member(share.$practitioner.id) }
            for episode in episodes {
                guard let child = children[episode.$child.id] else {
                    throw FluentError.missingParent(
                        from: "episodes", to: "children", key: "child_id", id: episode.$child.id.uuidString)
                }
                episode.$child.value = child
                episode.$author.value = try member(episode.$author.id)
                episode.$leadProfessional.value = .some(try episode.$leadProfessional.id.map(member))
                episode.$shares.value = shares.filter { $0.$episode.id == episode.id }
            }
        }
    }
}
