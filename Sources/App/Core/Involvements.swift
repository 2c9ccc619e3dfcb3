import CAFCore
import Fluent
import Vapor

/// Services involved with a child. Each is recorded by the service itself; a sensitive one
/// (sexual health, mental health, substance misuse) shows only to that service and to the
/// teams the child's consent covers, and everyone else sees the rest of the record.
enum Involvements {
    struct New: Sendable {
        var service: String
        var role: String
        var practitionerName: String
        var startedOn: String
        var endedOn: String
        var sensitive: SensitiveService?

        func problems() -> [FieldProblem] {
            var problems: [FieldProblem] = []
            for (field, value, message) in [
                ("service", service, "Enter the service, for example School nursing"),
                ("role", role, "Enter what the service does for the child"),
                ("practitionerName", practitionerName, "Enter who works with the child"),
            ] where value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 200 {
                problems.append(.init(field: field, message: value.count > 200 ? "Use 200 characters or fewer" : message))
            }
            if CalendarDate.parse(startedOn) == nil {
                problems.append(.init(field: "startedOn", message: "Enter the date the involvement started"))
            }
            if !endedOn.isEmpty && (CalendarDate.parse(endedOn) == nil || endedOn < startedOn) {
                problems.append(.init(field: "endedOn", message: "Enter an end date on or after the start"))
            }
            return problems
        }
    }

    /// Recorded by the signed-in practitioner's organisation, which is the service.
    static func record(_ new: New, childID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> Involvement {
        try Access.requireIndex(signedIn)
        guard let organisation = signedIn.organisation else {
            throw AppError.forbidden("Only staff of a service can record its involvement.")
        }
        _ = try await Child.live(childID, on: db)
        let problems = new.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.transaction { db in
            let involvement = Involvement()
            involvement.$child.id = childID
            involvement.$organisation.id = organisation.id!
            involvement.service = new.service.trimmingCharacters(in: .whitespaces)
            involvement.role = new.role.trimmingCharacters(in: .whitespaces)
            involvement.practitionerName = new.practitionerName.trimmingCharacters(in: .whitespaces)
            involvement.startedOn = new.startedOn
            involvement.endedOn = new.endedOn.isEmpty ? nil : new.endedOn
            involvement.sensitive = new.sensitive
            involvement.$recordedBy.id = signedIn.id
            try await involvement.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordInvolvement, child: childID,
                detail: new.sensitive.map { "sensitive=\($0.rawValue)" } ?? "")
            return involvement
        }
    }

    /// The involvements this person may see, given the child's episodes (whose teams the
    /// consent covers).
    static func visible(
        for childID: UUID, episodes: [Episode], to signedIn: SignedIn, on db: any Database
    ) async throws -> [Involvement] {
        let onATeam = episodes.involved.contains { $0.id == signedIn.id }
        return try await Involvement.query(on: db).filter(\.$child.$id == childID).with(\.$organisation)
            .sort(\.$startedOn, .descending).all()
            .filter {
                AccessPolicy.maySeeInvolvement(
                    signedIn.actor, serviceOrganisationID: $0.$organisation.id, sensitive: $0.sensitive, consentCovers: onATeam)
            }
    }
}
