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
        try await Access.requireIndex(.recordInvolvement, child: childID, by: signedIn, on: db)
        guard let organisation = signedIn.organisation else {
            try await Access.refuse(
                "Only staff of a service can record its involvement.", .recordInvolvement, child: childID,
                detail: "no-organisation", by: signedIn, on: db)
        }
        _ = try await Child.live(childID, on: db)
        let problems = new.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
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
                detail: "involvement=\(involvement.id!.uuidString)" + (new.sensitive.map { " sensitive=\($0.rawValue)" } ?? ""))
            return involvement
        }
    }

    /// The involvements this person may see: a sensitive one only by its service's own staff
    /// and those the service has disclosed it to.
    static func visible(for childID: UUID, to signedIn: SignedIn, on db: any Database) async throws -> [Involvement] {
        try await seen(
            Involvement.query(on: db).filter(\.$child.$id == childID).with(\.$organisation).sort(\.$startedOn, .descending)
                .all(), by: signedIn, on: db)
    }

    /// Of these involvements, those this person may see. A disclosure counts while it stands
    /// and its practitioner still works where they did when it was made.
    static func seen(_ involvements: [Involvement], by signedIn: SignedIn, on db: any Database) async throws -> [Involvement] {
        let sensitive = involvements.filter { $0.sensitive != nil }.map { $0.id! }
        let disclosedToMe: Set<UUID> =
            sensitive.isEmpty || signedIn.organisation == nil
            ? []
            : Set(
                try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id ~~ sensitive)
                    .filter(\.$practitioner.$id == signedIn.id).filter(\.$organisation.$id == signedIn.organisation!.id!)
                    .filter(\.$withdrawnAt == nil).all()
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
        /// Standing disclosures, oldest first, with whom each names (only those who still work
        /// where they did when it was made: the others see nothing, and are not listed).
        let standing: [InvolvementDisclosure]
        /// The child's team outside the service who could be told: those the service is most
        /// often asked about.
        let candidates: [Practitioner]
        /// What of the child's whereabouts the reader sees (the team's organisations among them).
        let shield: Shield
    }

    /// A disclosure made or withdrawn, with the shield its reader sees the child through.
    struct Disclosed {
        let disclosure: InvolvementDisclosure
        let shield: Shield
    }

    /// Whom a sensitive involvement is disclosed to: for the service's own staff only, and a
    /// read of the child, so audited.
    static func disclosures(of involvementID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> Disclosures {
        let (involvement, child, shield) = try await managed(involvementID, by: signedIn, on: db)
        let standing = try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id == involvementID)
            .filter(\.$withdrawnAt == nil).with(\.$practitioner) { $0.with(\.$organisation) }.sort(\.$recordedAt).all()
            .filter { $0.practitioner.$organisation.id == $0.$organisation.id }
        let told = Set(standing.map(\.$practitioner.id))
        let candidates = try await team(of: child, on: db).filter { person in
            !told.contains(person.id!) && !person.disabled
                && AccessPolicy.mayBeToldOfInvolvement(
                    actor(of: person), serviceOrganisationID: involvement.$organisation.id, onChildsTeam: true)
        }
        try await Audit.record(
            on: db, by: signedIn, .viewChild, child: child.id, detail: "involvement=\(involvementID.uuidString) disclosures")
        return Disclosures(
            involvement: involvement, child: child, standing: standing, candidates: candidates, shield: shield)
    }

    /// The service lets one practitioner outside it see its sensitive involvement, on the word
    /// the policy allows for that service (for sexual health, only the young person's).
    static func disclose(
        _ involvementID: UUID, to practitionerID: UUID?, agreedBy: DisclosureAgreement?, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> Disclosed {
        let (involvement, child, shield) = try await managed(involvementID, by: signedIn, on: db)
        guard let practitionerID,
            let recipient = try await Practitioner.query(on: db).filter(\.$id == practitionerID).with(\.$organisation)
                .first(), !recipient.disabled
        else { throw AppError.invalid(field: "practitionerId", "Choose who may see this involvement") }
        guard let agreedBy else {
            throw AppError.invalid(field: "agreedBy", "Say whose agreement the disclosure rests on")
        }
        guard recipient.$organisation.id != nil else {
            throw AppError.invalid(field: "practitionerId", "Choose someone on the child’s team who works with children")
        }
        let onTeam = try await team(of: child, on: db).contains { $0.id == practitionerID }
        if let problem = AccessPolicy.disclosureProblem(
            involvement.sensitive!, agreedBy: agreedBy, to: actor(of: recipient),
            serviceOrganisationID: involvement.$organisation.id, onChildsTeam: onTeam)
        {
            try await Audit.record(
                on: db, by: signedIn, .discloseInvolvement, child: child.id, outcome: .denied,
                detail: "involvement=\(involvementID.uuidString) to=\(practitionerID.uuidString) \(problem.field)")
            throw AppError.invalid([problem])
        }
        let alreadyDisclosed = AppError(
            status: .conflict, code: "already-disclosed", message: "\(recipient.name) may already see this involvement")
        do {
            return try await store(involvement, child: child, to: recipient, agreedBy: agreedBy, by: signedIn, on: db, shield)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyDisclosed  // a second submission that raced the first
        }
    }

    private static func store(
        _ involvement: Involvement, child: Child, to recipient: Practitioner, agreedBy: DisclosureAgreement,
        by signedIn: SignedIn, on db: any Database, _ shield: Shield
    ) async throws -> Disclosed {
        let (involvementID, practitionerID) = (involvement.id!, recipient.id!)
        return try await db.writeTransaction { db in
            if let standing = try await InvolvementDisclosure.query(on: db).filter(\.$involvement.$id == involvementID)
                .filter(\.$practitioner.$id == practitionerID).filter(\.$withdrawnAt == nil).first()
            {
                guard standing.$organisation.id != recipient.$organisation.id else {
                    throw AppError(
                        status: .conflict, code: "already-disclosed",
                        message: "\(recipient.name) may already see this involvement", related: [standing.id!])
                }
                // Given while they worked elsewhere, so no longer in force: closed, and given anew.
                (standing.withdrawnAt, standing.$withdrawnBy.id) = (Date(), signedIn.id)
                try await standing.save(on: db)
            }
            let disclosure = InvolvementDisclosure()
            disclosure.$involvement.id = involvementID
            disclosure.$practitioner.id = practitionerID
            disclosure.$organisation.id = recipient.$organisation.id!
            disclosure.agreedBy = agreedBy
            disclosure.$recordedBy.id = signedIn.id
            disclosure.recordedAt = Date()
            try await disclosure.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .discloseInvolvement, child: child.id,
                detail: "involvement=\(involvementID.uuidString) to=\(practitionerID.uuidString) agreed-by=\(agreedBy.rawValue)")
            disclosure.$practitioner.value = recipient
            return Disclosed(disclosure: disclosure, shield: shield)
        }
    }

    /// The service withdraws a disclosure: from then on that practitioner no longer sees the
    /// involvement. The record stays, stamped with who withdrew it and when; withdrawing again
    /// changes nothing.
    static func withdraw(_ disclosureID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> Disclosed {
        try await Access.requireIndex(.withdrawDisclosure, by: signedIn, on: db)
        guard let found = try await InvolvementDisclosure.find(disclosureID, on: db) else {
            throw AppError.notFound("disclosure")
        }
        let (involvement, child, shield) = try await managed(found.$involvement.id, by: signedIn, on: db)
        return try await db.writeTransaction { db in
            // Held first: of withdrawals at once one withdraws; the rest find it withdrawn.
            try await StateChange.lock(InvolvementDisclosure.schema, id: disclosureID, on: db)
            let disclosure = try await InvolvementDisclosure.query(on: db).filter(\.$id == disclosureID)
                .with(\.$practitioner) { $0.with(\.$organisation) }.first()!
            guard disclosure.withdrawnAt == nil else { return Disclosed(disclosure: disclosure, shield: shield) }
            disclosure.withdrawnAt = Date()
            disclosure.$withdrawnBy.id = signedIn.id
            try await disclosure.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .withdrawDisclosure, child: child.id,
                detail: "involvement=\(involvement.id!.uuidString) from=\(disclosure.$practitioner.id.uuidString)")
            return Disclosed(disclosure: disclosure, shield: shield)
        }
    }

    /// A sensitive involvement the signed-in practitioner's service recorded, or an audited
    /// refusal.
    private static func managed(_ involvementID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (
        Involvement, Child, Shield
    ) {
        try await Access.requireIndex(.discloseInvolvement, by: signedIn, on: db)
        guard
            let involvement = try await Involvement.query(on: db).filter(\.$id == involvementID).with(\.$organisation)
                .first()
        else { throw AppError.notFound("involvement") }
        let child = try await Child.live(involvement.$child.id, on: db)
        try await Access.require(
            AccessPolicy.mayDiscloseInvolvement(signedIn.actor, serviceOrganisationID: involvement.$organisation.id),
            else: "Only staff of the service that recorded an involvement say who else may see it.", .discloseInvolvement,
            child: child.id, detail: "involvement=\(involvementID.uuidString) not-the-service", by: signedIn, on: db)
        guard involvement.sensitive != nil else {
            throw AppError(
                status: .conflict, code: "not-sensitive",
                message: "This involvement is not sensitive: everyone who works with the child already sees it")
        }
        return (involvement, child, try await Shielding.shield(for: child, to: signedIn, on: db))
    }

    /// Everyone on the child's CAF teams: those a service may tell.
    private static func team(of child: Child, on db: any Database) async throws -> [Practitioner] {
        try await Episode.withTeam(on: db, of: child).filter(\.$child.$id == child.id!).all().involved
    }

    private static func actor(of practitioner: Practitioner) -> Actor {
        SignedIn(practitioner: practitioner, organisation: practitioner.organisation).actor
    }
}
