import CAFCore
import Fluent
import Vapor

/// Reading a child's audit trail, for pages and the API alike.
enum ChildAudit {
    static func child(childID: String?, episodeID: String?, on db: any Database) async throws -> Child {
        if let text = childID {
            guard let id = UUID(uuidString: text) else { throw AppError.notFound("child") }
            return try await Child.live(id, on: db)
        }
        if let text = episodeID {
            guard let id = UUID(uuidString: text),
                let episode = try await Episode.query(on: db).filter(\.$id == id).with(\.$child).first()
            else { throw AppError.notFound("episode") }
            return episode.child
        }
        throw AppError.invalid(field: "childId", "Give childId (or episodeId) to say whose audit trail to read")
    }

    static func read(_ child: Child, by signedIn: SignedIn, on db: any Database) async throws -> [AuditEvent] {
        try await Access.requireAudit(of: child, by: signedIn, on: db)
        let episodeIDs = try await Episode.query(on: db).filter(\.$child.$id == child.id!).all().compactMap(\.id)
        // Records merged into this one keep their own events.
        let merged = try await Child.query(on: db).filter(\.$mergedInto.$id == child.id!).all().compactMap(\.id)
        let events = try await Audit.events(forChildren: [child.id!] + merged, episodeIDs: episodeIDs, on: db)
        try await Audit.record(on: db, by: signedIn, .viewAudit, child: child.id)
        return try await withoutHiddenServices(events, by: signedIn, on: db)
    }

    /// Entries about a sensitive service (its recording, who it told, who read whom it told)
    /// reveal it: they are left out for a reader who may not see that service. An entry from
    /// before entries named their involvement, marked only `sensitive=`, is left out for all.
    static func withoutHiddenServices(_ events: [AuditEvent], by signedIn: SignedIn, on db: any Database) async throws
        -> [AuditEvent]
    {
        func involvement(_ event: AuditEvent) -> UUID? {
            guard let range = event.detail.range(of: "involvement=") else { return nil }
            return UUID(uuidString: String(event.detail[range.upperBound...].prefix(36)))
        }
        let named = Set(events.compactMap(involvement))
        let involvements =
            named.isEmpty ? [] : try await Involvement.query(on: db).filter(\.$id ~~ Array(named)).all()
        let seen = Set(try await Involvements.seen(involvements, by: signedIn, on: db).compactMap(\.id))
        let hidden = Set(involvements.filter { $0.sensitive != nil }.compactMap(\.id)).subtracting(seen)
        return events.filter { event in
            guard let id = involvement(event) else { return !event.detail.contains("sensitive=") }
            return !hidden.contains(id)
        }
    }
}
