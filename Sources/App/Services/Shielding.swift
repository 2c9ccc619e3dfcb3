import CAFCore
import Fluent
import Vapor

/// Shielding hides a child's whereabouts from all but the coordinators and safeguarding staff
/// of the child's LA; anyone else reaches the family through the coordinator, or in a
/// safeguarding emergency overrides the shield with a reason, which goes on the LA's review
/// queue at once and lasts until they sign out.
enum Shielding {
    /// The one place that decides, per viewer, what of a child's whereabouts they see: every
    /// page, print view, DTO and message that renders any of them asks here. An override lasts
    /// as long as the sign-in it was taken with.
    static func shield(for child: Child, to signedIn: SignedIn, on db: any Database) async throws -> Shield {
        try await shields(for: [child], to: signedIn, on: db)[child.id!] ?? .closed
    }

    /// The decision for the child of an episode, for a response about it.
    static func shield(forEpisode episodeID: UUID, to signedIn: SignedIn, on db: any Database) async throws -> Shield {
        guard let episode = try await Episode.query(on: db).filter(\.$id == episodeID).with(\.$child).first() else {
            throw AppError.notFound("episode")
        }
        return try await shield(for: episode.child, to: signedIn, on: db)
    }

    /// The same decision for many children at once (search results, a worktray), in one query.
    static func shields(for children: [Child], to signedIn: SignedIn, on db: any Database) async throws -> [UUID: Shield] {
        let shielded = children.filter(\.shielded).map { $0.id! }
        let overridden: Set<UUID> =
            shielded.isEmpty || signedIn.credential == nil
            ? []
            : Set(
                try await ShieldOverride.query(on: db).filter(\.$child.$id ~~ shielded)
                    .filter(\.$practitioner.$id == signedIn.id).filter(\.$credential == signedIn.credential!).all()
                    .map(\.$child.id))
        return Dictionary(
            children.map { child in
                (
                    child.id!,
                    AccessPolicy.shield(
                        signedIn.actor, childLocalAuthorityID: child.$localAuthority.id, shielded: child.shielded,
                        overridden: overridden.contains(child.id!))
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    static func reason(_ text: String, saying what: String) throws -> String {
        let why = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count >= 10, why.count <= 2_000 else { throw AppError.invalid(field: "reason", what) }
        return why
    }

    /// Sets or lifts the shield (coordinators and safeguarding staff of the child's LA).
    static func set(_ shielded: Bool, childID: UUID, reason: String, by signedIn: SignedIn, on db: any Database)
        async throws -> Child
    {
        let child = try await Child.live(childID, on: db)
        try await Access.require(
            AccessPolicy.mayShield(signedIn.actor, childLocalAuthorityID: child.$localAuthority.id),
            else: "Only the coordinators and safeguarding staff of the child’s local authority shield a child.", .shieldChild,
            child: childID, detail: "not-allowed", by: signedIn, on: db)
        let why = try Self.reason(reason, saying: "Say why, in a sentence or two")
        return try await db.writeTransaction { db in
            // Who may see the whereabouts changes: a change to them opened before is refused.
            try await StateChange.lock(Child.schema, id: childID, on: db)
            let child = try await Child.live(childID, on: db)
            child.shielded = shielded
            (child.whereaboutsVersion, child.$whereaboutsUpdatedBy.id) = (child.whereaboutsVersion + 1, signedIn.id)
            child.whereaboutsUpdatedAt = Date()
            try await child.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .shieldChild, child: childID, detail: "shielded=\(shielded) reason=\(Audit.typed(why))")
            return child
        }
    }

    /// A safeguarding override: the whereabouts become visible to this person until the
    /// session or token ends, and the override is on the LA's review queue at once.
    static func override(childID: UUID, reason: String, by signedIn: SignedIn, on db: any Database)
        async throws -> ShieldOverride
    {
        try await Access.require(
            AccessPolicy.mayOverrideShield(signedIn.actor),
            else:
                "Only safeguarding staff override a shield. To reach the family, contact the coordinator of the child’s local authority.",
            .overrideShield, child: childID, detail: "role", by: signedIn, on: db)
        let child = try await Child.live(childID, on: db)
        guard child.shielded else {
            throw AppError(status: .conflict, code: "not-shielded", message: "This child’s whereabouts are not shielded")
        }
        guard let credential = signedIn.credential else { throw AppError.unauthenticated }
        let why = try Self.reason(reason, saying: "Say what the safeguarding emergency is, in a sentence or two")
        return try await db.writeTransaction { db in
            let override = ShieldOverride(child: child, practitionerID: signedIn.id, reason: why, credential: credential)
            try await override.create(on: db)
            try await Audit.record(on: db, by: signedIn, .overrideShield, child: childID, detail: "reason=\(Audit.typed(why))")
            return override
        }
    }
}

extension Shield {
    /// Someone who works with the child as this viewer may see them: "Amy Clarke, SENCo,
    /// Riverside Primary School", or behind the shield "Amy Clarke, SENCo (Education)".
    func person(_ practitioner: Practitioner?) -> String {
        guard let practitioner else { return "" }
        guard hidesWhereabouts else { return Format.person(practitioner) }
        let agency = practitioner.organisation.map { " (\($0.agencyType.title))" } ?? ""
        return [practitioner.name, practitioner.jobTitle].filter { !$0.isEmpty }.joined(separator: ", ") + agency
    }
}
