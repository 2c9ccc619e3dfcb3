import CAFCore
import Fluent
import SQLKit
import Vapor

/// A child's index record as shown to any practitioner: basic details, who is involved,
/// and which CAF episodes exist and who leads them — never assessment content.
struct ChildRecord {
    let child: Child
    /// Every name the child is or was known by, the current one first.
    let names: [ChildName]
    let episodes: [Episode]
    /// Nil while the whereabouts are shielded from this reader.
    let whereabouts: Whereabouts?
    /// What of the whereabouts this reader sees: the contacts, team and services go through it.
    let shield: Shield
    /// Whom to ask about a shielded child: the LA's coordinators.
    let coordinators: [Practitioner]
    /// The services involved that this reader may see (sensitive ones only by their own
    /// staff and those the service disclosed them to).
    let services: [Involvement]
    /// Of those, the sensitive ones the reader's own service recorded: it says who else may see them.
    let disclosable: Set<UUID>

    /// Everyone on any episode's team, once each.
    var involved: [Practitioner] { episodes.involved }

    var openEpisode: Episode? { episodes.first { $0.status == .open } }
}

extension [Episode] {
    /// Everyone on these episodes' teams (author, lead professional, named shares), once each.
    var involved: [Practitioner] {
        var seen: Set<UUID> = []
        return flatMap { episode in
            [episode.author] + [episode.leadProfessional].compactMap { $0 } + episode.shares.map(\.practitioner)
        }.filter { seen.insert($0.id!).inserted }
    }
}

/// A name as search ranks it: read straight from `child_names`, without a model.
struct IndexName: Sendable {
    let kind: NameKind
    let givenName: String
    let familyName: String

    var fullName: String { "\(givenName) \(familyName)" }
}

/// One child a search found, with the other name that matched when it was not their own.
struct ChildSearchHit {
    let child: Child
    let matchedName: IndexName?
    /// What of the child's whereabouts the searcher may see.
    let shield: Shield
}

/// One page of a search's results, best first, from at most `ChildIndex.resultCap` in all.
package struct ChildSearchResult {
    let hits: [ChildSearchHit]
    let total: Int
    /// More children matched than the cap: the search should be narrowed.
    let capped: Bool
    let page: Int

    var pageCount: Int { max(1, (total + ChildIndex.pageSize - 1) / ChildIndex.pageSize) }
}

/// The child index: search, register, read basic details. Every use is audited.
package enum ChildIndex {
    static let pageSize = 20
    package static let resultCap = 200
    /// Name candidates fetched for `NameMatch` to decide on, beyond the cap it may reject.
    package static let candidateLimit = 250

    /// These children, in the order given (those gone left out): the possible duplicates a
    /// registration was refused for, which the refusal named.
    static func children(_ ids: [UUID], on db: any Database) async throws -> [Child] {
        let found = try await Child.query(on: db).filter(\.$id ~~ ids).all()
        return ids.compactMap { id in found.first { $0.id == id } }
    }

    /// Everyone on any of the child's episodes' teams: the index's involvements.
    static func involved(with childID: UUID, on db: any Database) async throws -> [Practitioner] {
        try await Episode.withTeam(on: db).filter(\.$child.$id == childID).all().involved
    }

    static func read(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> ChildRecord {
        try await Access.requireIndex(.viewChild, child: id, by: signedIn, on: db)
        let child = try await Child.live(id, withLocalAuthority: true, on: db)
        let episodes = try await Episode.withTeam(on: db, of: child).filter(\.$child.$id == id)
            .sort(\.$openedAt, .descending).all()
        let names = try await ChildName.query(on: db).filter(\.$child.$id == id).sort(\.$createdAt).all()
        let shield = try await Shielding.shield(for: child, to: signedIn, on: db)
        let visible = !shield.hidesWhereabouts
        let whereabouts =
            visible
            ? Whereabouts(
                child,
                history: try await ChildAddress.query(on: db).filter(\.$child.$id == id).sort(\.$createdAt, .descending).all())
            : nil
        let coordinators =
            visible
            ? []
            : try await Practitioner.enabled(in: child.$localAuthority.id, holdingAnyOf: [.coordinator], on: db)
                .filter { AccessPolicy.isCoordinator($0.roles) }
        let services = try await Involvements.visible(for: id, to: signedIn, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewChild, child: id, detail: visible && child.shielded ? "whereabouts" : "")
        return ChildRecord(
            child: child, names: names.filter { $0.kind == .current } + names.filter { $0.kind != .current }, episodes: episodes,
            whereabouts: whereabouts, shield: shield, coordinators: coordinators, services: services,
            disclosable: Set(
                services.filter {
                    $0.sensitive != nil
                        && AccessPolicy.mayDiscloseInvolvement(signedIn.actor, serviceOrganisationID: $0.$organisation.id)
                }.map { $0.id! }))
    }
}
