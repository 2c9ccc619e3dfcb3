import CAFCore
import Fluent
import Vapor

/// Where a child lives and who sees them day to day: what shielding hides.
struct Whereabouts {
    let address: String?
    let postcode: String?
    let school: String?
    let gpPractice: String?
    let contactPhone: String?
    /// What a change names in `If-Match`.
    let version: Int
    /// Every address recorded, newest first; the current one has no moved-out date.
    let history: [ChildAddress]

    init(_ child: Child, history: [ChildAddress]) {
        address = child.address
        postcode = child.postcode
        school = child.school
        gpPractice = child.gpPractice
        contactPhone = child.contactPhone
        version = child.whereaboutsVersion
        self.history = history
    }

    /// A change to the whereabouts, as typed. A new address or postcode starts a new line of
    /// the address history; the old line keeps its dates.
    struct Change: Sendable {
        var address: String
        var postcode: String
        /// ISO date the child moved to a new address, when known.
        var movedIn: String
        var school: String
        var gpPractice: String
        var contactPhone: String

        func problems() -> [FieldProblem] {
            var problems: [FieldProblem] = []
            if !postcode.trimmingCharacters(in: .whitespaces).isEmpty && Postcode.normalised(postcode) == nil {
                problems.append(.init(field: "postcode", message: "Enter a real UK postcode, for example CB1 2AB"))
            }
            if !movedIn.isEmpty && CalendarDate.parse(movedIn) == nil {
                problems.append(.init(field: "movedIn", message: "Enter the date they moved in as a real date"))
            }
            for (field, value, limit) in [
                ("address", address, 500), ("school", school, 200), ("gpPractice", gpPractice, 200),
                ("contactPhone", contactPhone, 40),
            ] where value.count > limit {
                problems.append(.init(field: field, message: "Use \(limit) characters or fewer"))
            }
            return problems
        }
    }

    /// Records a change: only by someone who may see the whereabouts, so no one writes over
    /// what is hidden from them.
    static let whoChanges =
        "Only whoever registered the child, their CAF team and the local authority’s coordinators change where the child lives. Tell one of them."

    /// Refuses, audited, whoever may not change where this child lives, or may not see it.
    static func requireChange(
        of child: Child, episodes: [Episode]? = nil, shield: Shield, by signedIn: SignedIn, on db: any Database
    ) async throws {
        try await Access.require(
            try await ChildIndex.mayChangeDetails(of: child, episodes: episodes, by: signedIn, on: db), else: whoChanges,
            .updateChildDetails, child: child.id, detail: "not-team", by: signedIn, on: db)
        try await Access.require(
            !shield.hidesWhereabouts,
            else: "This child’s whereabouts are shielded. Contact the coordinator of their local authority.",
            .updateChildDetails, child: child.id, detail: "shielded", by: signedIn, on: db)
    }

    /// Records a change made on version `basedOn` of the whereabouts (nil: 428); one made on
    /// an older version overwrites nothing (412 naming who changed them since, and when).
    static func update(
        _ childID: UUID, _ change: Change, basedOn: Int?, by signedIn: SignedIn, on db: any Database
    ) async throws -> Child {
        try await Access.requireIndex(.updateChildDetails, child: childID, by: signedIn, on: db)
        let read = try await Child.live(childID, on: db)
        try await requireChange(
            of: read, shield: try await Shielding.shield(for: read, to: signedIn, on: db), by: signedIn, on: db)
        let problems = change.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard let basedOn else { throw AppError.versionRequired }
        func clean(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        let postcode = clean(change.postcode).flatMap(Postcode.normalised)
        let address = clean(change.address)
        let movedIn = clean(change.movedIn) ?? CalendarDate.iso(Date())
        let (school, gpPractice, contactPhone) = (clean(change.school), clean(change.gpPractice), clean(change.contactPhone))
        return try await db.writeTransaction { db in
            try await StateChange.lock(Child.schema, id: childID, on: db)
            let child = try await Child.live(childID, on: db)
            guard child.whereaboutsVersion == basedOn else {
                throw AppError.stale(
                    "record of where the child lives", by: try await child.$whereaboutsUpdatedBy.get(on: db),
                    at: child.whereaboutsUpdatedAt, now: child.whereaboutsVersion)
            }
            if address != child.address || postcode != child.postcode, address != nil || postcode != nil {
                try await ChildAddress.query(on: db).filter(\.$child.$id == childID).filter(\.$movedOut == nil)
                    .set(\.$movedOut, to: movedIn).update()
                try await ChildAddress(
                    childID: childID, address: address ?? "", postcode: postcode, movedIn: movedIn, recordedByID: signedIn.id
                ).create(on: db)
            }
            child.address = address
            child.setPostcode(postcode)
            child.school = school
            child.gpPractice = gpPractice
            child.contactPhone = contactPhone
            (child.whereaboutsVersion, child.$whereaboutsUpdatedBy.id) = (child.whereaboutsVersion + 1, signedIn.id)
            child.whereaboutsUpdatedAt = Date()
            try await child.save(on: db)
            try await Audit.record(on: db, by: signedIn, .updateChildDetails, child: childID)
            return child
        }
    }
}
