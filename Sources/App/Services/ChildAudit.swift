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
        let shown = try await withoutHiddenServices(events, by: signedIn, on: db)
        return naming(only: Set([child.id!] + merged), in: shown)
    }

    /// A search or queue read names every child it showed; in this child's trail only this
    /// child (and records merged into it) is named, the others counted, so a reader does not
    /// learn, say, which other child a searched postcode found. The stored entries are
    /// unchanged: these copies are for display.
    static func naming(only these: Set<UUID>, in events: [AuditEvent]) -> [AuditEvent] {
        let pattern = try! NSRegularExpression(
            pattern: "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
        return events.map { event in
            guard event.childID == nil || !these.contains(event.childID!) else { return event }
            let detail = event.detail as NSString
            var others = 0
            var shown = event.detail
            for match in pattern.matches(in: event.detail, range: NSRange(location: 0, length: detail.length)).reversed() {
                let id = detail.substring(with: match.range)
                guard let uuid = UUID(uuidString: id), !these.contains(uuid) else { continue }
                others += 1
                shown = (shown as NSString).replacingCharacters(in: match.range, with: "another child")
            }
            guard others > 0 else { return event }
            let copy = AuditEvent()
            (copy.id, copy.sequence, copy.occurredAt, copy.actorID) = (event.id, event.sequence, event.occurredAt, event.actorID)
            (copy.actorEmail, copy.actorRoles, copy.action, copy.childID) = (
                event.actorEmail, event.actorRoles, event.action, event.childID
            )
            (copy.episodeID, copy.outcome, copy.detail, copy.detailDigest, copy.namedChildren) = (
                event.episodeID, event.outcome, shown, event.detailDigest, event.namedChildren
            )
            return copy
        }
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
