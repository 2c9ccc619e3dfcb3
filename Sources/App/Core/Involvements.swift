import CAFCore
import Fluent
import Vapor

/// Services involved with a child. Each is recorded by the service itself; a sensitive one
/// (sexual health, mental health, substance misuse) shows only to that service and to the
/// practitioners it names, and everyone else sees the rest of the record.
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

    /// The involvements this person may see: a sensitive one only by its service's own staff
    /// and those the service has disclosed it to.
    static func visible(for childID: UUID, to signedIn: SignedIn, on db: any Database) async throws -> [Involvement] {
        let involvements = try await Involvement.query(on: db).filter(\.$child.$id == childID).with(\.$organisation)
            .sort(\.$startedOn, .descending).all()
        let sensitive = involvements.filter { $0.sensitive != nil }.map { $0.id! }
        let disclosedToMe =
            sensitive.isEmpty
            ? []
            : Set(
                try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id ~~ sensitive)
                    .filter(\.$practitioner.$id == signedIn.id).filter(\.$withdrawnAt == nil).all()
                    .map(\.$involvement.id))
        return involvements.filter {
            AccessPolicy.maySeeInvolvement(
                signedIn.actor, serviceOrganisationID: $0.$organisation.id, sensitive: $0.sensitive,
                disclosedToActor: disclosedToMe.contains($0.id!))
        }
    }

    /// A sensitive involvement as its own service manages who else may see it.
    struct Disclosures {
        let involvement: Involvement
        let child: Child
        /// Standing disclosures, oldest first, with whom each names.
        let standing: [InvolvementDisclosure]
        /// The child's team outside the service who could be told: those the service is most
        /// often asked about.
        let candidates: [Practitioner]
    }

    /// Whom a sensitive involvement is disclosed to: for the service's own staff only, and a
    /// read of the child, so audited.
    static func disclosures(of involvementID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> Disclosures {
        let (involvement, child) = try await managed(involvementID, by: signedIn, on: db)
        let standing = try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id == involvementID)
            .filter(\.$withdrawnAt == nil).with(\.$practitioner) { $0.with(\.$organisation) }.sort(\.$recordedAt).all()
        let told = Set(standing.map(\.$practitioner.id))
        let team = try await Episode.withTeam(on: db).filter(\.$child.$id == child.id!).all().involved
        let candidates = team.filter { person in
            !told.contains(person.id!) && !person.disabled
                && AccessPolicy.mayBeToldOfInvolvement(actor(of: person), serviceOrganisationID: involvement.$organisation.id)
        }
        try await Audit.record(on: db, by: signedIn, .viewChild, child: child.id, detail: "involvement-disclosures")
        return Disclosures(involvement: involvement, child: child, standing: standing, candidates: candidates)
    }

    /// The service lets one practitioner outside it see its sensitive involvement, on the word
    /// the policy allows for that service (for sexual health, only the young person's).
    static func disclose(
        _ involvementID: UUID, to practitionerID: UUID?, agreedBy: DisclosureAgreement?, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> InvolvementDisclosure {
        let (involvement, child) = try await managed(involvementID, by: signedIn, on: db)
        guard let practitionerID,
            let recipient = try await Practitioner.query(on: db).filter(\.$id == practitionerID).with(\.$organisation)
                .first(), !recipient.disabled
        else { throw AppError.invalid(field: "practitionerId", "Choose who may see this involvement") }
        guard let agreedBy else {
            throw AppError.invalid(field: "agreedBy", "Say whose agreement the disclosure rests on")
        }
        if let problem = AccessPolicy.disclosureProblem(
            involvement.sensitive!, agreedBy: agreedBy, to: actor(of: recipient),
            serviceOrganisationID: involvement.$organisation.id)
        {
            throw AppError.invalid([problem])
        }
        return try await db.transaction { db in
            let standing = try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id == involvementID)
                .filter(\.$practitioner.$id == practitionerID).filter(\.$withdrawnAt == nil).first()
            if let standing {
                throw AppError(
                    status: .conflict, code: "already-disclosed",
                    message: "\(recipient.name) may already see this involvement", related: [standing.id!])
            }
            let disclosure = InvolvementDisclosure()
            disclosure.$involvement.id = involvementID
            disclosure.$practitioner.id = practitionerID
            disclosure.agreedBy = agreedBy
            disclosure.$recordedBy.id = signedIn.id
            disclosure.recordedAt = Date()
            try await disclosure.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .discloseInvolvement, child: child.id,
                detail: "involvement=\(involvementID.uuidString) to=\(practitionerID.uuidString) agreed-by=\(agreedBy.rawValue)")
            disclosure.$practitioner.value = recipient
            return disclosure
        }
    }

    /// The service withdraws a disclosure: from then on that practitioner no longer sees the
    /// involvement. The record stays, stamped with who withdrew it and when; withdrawing again
    /// changes nothing.
    static func withdraw(_ disclosureID: UUID, by signedIn: SignedIn, on db: any Database) async throws
        -> InvolvementDisclosure
    {
        try Access.requireIndex(signedIn)
        guard let found = try await InvolvementDisclosure.find(disclosureID, on: db) else {
            throw AppError.notFound("disclosure")
        }
        let (involvement, child) = try await managed(found.$involvement.id, by: signedIn, on: db)
        return try await db.transaction { db in
            let disclosure = try await InvolvementDisclosure.query(on: db).filter(\.$id == disclosureID)
                .with(\.$practitioner) { $0.with(\.$organisation) }.first()!
            guard disclosure.withdrawnAt == nil else { return disclosure }
            disclosure.withdrawnAt = Date()
            disclosure.$withdrawnBy.id = signedIn.id
            try await disclosure.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .withdrawDisclosure, child: child.id,
                detail: "involvement=\(involvement.id!.uuidString) from=\(disclosure.$practitioner.id.uuidString)")
            return disclosure
        }
    }

    /// A sensitive involvement the signed-in practitioner's service recorded, or an audited
    /// refusal.
    private static func managed(_ involvementID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (
        Involvement, Child
    ) {
        try Access.requireIndex(signedIn)
        guard
            let involvement = try await Involvement.query(on: db).filter(\.$id == involvementID).with(\.$organisation)
                .first()
        else { throw AppError.notFound("involvement") }
        let child = try await Child.live(involvement.$child.id, on: db)
        guard AccessPolicy.mayDiscloseInvolvement(signedIn.actor, serviceOrganisationID: involvement.$organisation.id)
        else {
            try await Audit.record(
                on: db, by: signedIn, .discloseInvolvement, child: child.id, outcome: .denied,
                detail: "involvement=\(involvementID.uuidString) not-the-service")
            throw AppError.forbidden("Only staff of the service that recorded an involvement say who else may see it.")
        }
        guard involvement.sensitive != nil else {
            throw AppError(
                status: .conflict, code: "not-sensitive",
                message: "This involvement is not sensitive: everyone who works with the child already sees it")
        }
        return (involvement, child)
    }

    private static func actor(of practitioner: Practitioner) -> Actor {
        SignedIn(practitioner: practitioner, organisation: practitioner.organisation).actor
    }
}
