import CAFCore
import Fluent
import SQLKit
import Vapor

extension ChildIndex {
    /// Children already in the index who may be this one: the same NHS number or UPN, or the
    /// same date of birth with a name that matches (any of their names, slips allowed).
    static func possibleDuplicates(of registration: ChildRegistration, on db: any Database) async throws -> [Child] {
        var ids: [UUID] = []
        for identifier in [registration.nhsNumber, registration.upn].compactMap({ $0 }) {
            let filters = ChildFilters(nhsNumber: NHSNumber.normalised(identifier), upn: UPN.normalised(identifier))
            ids += try await filters.children(limit: 10, on: db.sql)
        }
        let terms = NameMatch.terms("\(registration.givenName) \(registration.familyName)")
        if !terms.isEmpty {
            let sameBirthday = ChildFilters(bornFrom: registration.dateOfBirth, bornTo: registration.dateOfBirth)
            let candidates = try await nameSearch(for: db).candidates(
                terms: terms, filters: sameBirthday, limit: candidateLimit, on: db)
            // A first name alone is enough on the same birthday: surnames change.
            let given = NameMatch.terms(registration.givenName)
            let loose =
                given.isEmpty
                ? []
                : try await nameSearch(for: db).candidates(
                    terms: given, filters: sameBirthday, limit: candidateLimit, on: db)
            ids += rank(candidates + loose, terms: given.isEmpty ? terms : given).map(\.childID)
        }
        var seen: Set<UUID> = []
        let unique = ids.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return [] }
        let children = try await Child.query(on: db).filter(\.$id ~~ unique).all()
        return unique.compactMap { id in children.first { $0.id == id } }
    }

    /// Other records in the index that may be this child, for a coordinator to merge.
    static func possibleDuplicates(of child: Child, on db: any Database) async throws -> [Child] {
        let registration = ChildRegistration(
            givenName: child.givenName, familyName: child.familyName, dateOfBirth: child.dateOfBirth, gender: child.gender,
            postcode: child.postcode, nhsNumber: child.nhsNumber, upn: child.upn)
        return try await possibleDuplicates(of: registration, on: db).filter { $0.id != child.id }
    }

    /// Registers a child. Unless `notADuplicate`, a child who looks like one already in the
    /// index is refused with a 409 naming them, so the practitioner can open that record.
    static func register(
        _ registration: ChildRegistration, notADuplicate: Bool = false, by signedIn: SignedIn, on db: any Database
    ) async throws -> Child {
        try await Access.requireIndex(.registerChild, by: signedIn, on: db)
        // Where the child lives decides the LA; until addresses map to LAs, the registering
        // practitioner's LA stands in (PRODUCT.md: "the author's LA when that is unknown").
        guard let localAuthority = signedIn.actor.localAuthorityID else {
            try await Access.refuse(
                "Only staff of a local authority’s organisations can register a child.", .registerChild, detail: "no-la",
                by: signedIn, on: db)
        }
        let clean: ChildRegistration
        do { clean = try registration.validated(today: Date()) } catch { throw AppError.invalid(error.problems) }
        if !notADuplicate {
            let duplicates = try await possibleDuplicates(of: clean, on: db)
            if !duplicates.isEmpty {
                try await Audit.record(
                    on: db, by: signedIn, .registerChild, outcome: .denied,
                    detail: "possible duplicates=\(duplicates.map { $0.id!.uuidString }.joined(separator: ","))",
                    naming: duplicates.map { $0.id! })
                throw AppError(
                    status: .conflict, code: "possible-duplicate",
                    message: duplicates.count == 1
                        ? "This child may already be in the index: open that record, or confirm this is someone else"
                        : "\(duplicates.count) children in the index may be this one: open their records, or confirm this is someone else",
                    related: duplicates.map { $0.id! })
            }
        }
        return try await db.writeTransaction { db in
            let child = Child(clean, localAuthorityID: localAuthority, registeredByID: signedIn.id)
            try await child.create(on: db)
            try await ChildName(
                child: child, kind: .current, givenName: clean.givenName, familyName: clean.familyName,
                recordedByID: signedIn.id
            ).create(on: db)
            if let knownAs = clean.knownAs {
                try await ChildName(
                    child: child, kind: .knownAs, givenName: knownAs, familyName: clean.familyName,
                    recordedByID: signedIn.id
                ).create(on: db)
            }
            try await Audit.record(on: db, by: signedIn, .registerChild, child: child.id)
            return child
        }
    }

    /// Records another name: a known-as or previous name, or a new current name (the old one
    /// becomes a previous name, so searches still find the child by it). Nothing is removed.
    /// A name added, or, from someone who does not know the child, proposed.
    enum NameChange {
        case recorded(ChildName)
        case proposed(NameProposal)
    }

    /// Adds a name when the policy lets this person change the child's names; anyone else's
    /// becomes a proposal, with their reason, for the LA's coordinators to decide.
    static func addName(
        _ kind: NameKind, givenName: String, familyName: String, reason: String = "", to childID: UUID, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> NameChange {
        try await Access.requireIndex(.recordChildName, child: childID, by: signedIn, on: db)
        let given = givenName.trimmingCharacters(in: .whitespacesAndNewlines)
        let family = familyName.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if given.isEmpty { problems.append(.init(field: "givenName", message: "Enter the first name")) }
        if family.isEmpty { problems.append(.init(field: "familyName", message: "Enter the last name")) }
        for (field, name) in [("givenName", given), ("familyName", family)] where !name.isEmpty {
            if let problem = PersonName.problem(name) { problems.append(.init(field: field, message: problem)) }
        }
        let child = try await Child.live(childID, on: db)
        let mayChange = try await mayChangeDetails(of: child, by: signedIn, on: db)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !mayChange && (why.isEmpty || why.count > 1_000) {
            problems.append(
                .init(
                    field: "reason",
                    message: why.isEmpty
                        ? "Say how you know: the coordinator checks the correction before it is made"
                        : "Keep the reason to 1,000 characters or fewer"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard mayChange else {
            return .proposed(
                try await NameProposals.propose(
                    kind, givenName: given, familyName: family, reason: why, for: child, by: signedIn, on: db))
        }
        return try await db.writeTransaction { db in
            let name = try await record(kind, givenName: given, familyName: family, of: child, by: signedIn, on: db)
            try await Audit.record(on: db, by: signedIn, .recordChildName, child: childID, detail: kind.rawValue)
            return .recorded(name)
        }
    }

    /// Whether this person changes the child's names, birth and whereabouts themselves
    /// (`AccessPolicy.mayChangeDetails`), from the child's episodes with their teams (loaded here
    /// unless a record read has them) under each open one's consent now.
    static func mayChangeDetails(of child: Child, episodes: [Episode]? = nil, by signedIn: SignedIn, on db: any Database)
        async throws -> Bool
    {
        func decide(_ open: [EpisodeFacts]) -> Bool {
            AccessPolicy.mayChangeDetails(
                signedIn.actor, childLocalAuthorityID: child.$localAuthority.id,
                registeredChild: child.$registeredBy.id == signedIn.id, openEpisodes: open)
        }
        // Whoever registered the child, or coordinates its LA, needs no team loaded.
        if decide([]) { return true }
        var all = episodes ?? []
        if episodes == nil { all = try await Episode.withTeam(on: db, of: child).filter(\.$child.$id == child.id!).all() }
        var open: [EpisodeFacts] = []
        for episode in all where episode.status == .open { open.append(try await Access.facts(of: episode, on: db)) }
        return decide(open)
    }

    /// Stores a name; a new current name first turns the old one into a previous name.
    static func record(
        _ kind: NameKind, givenName: String, familyName: String, of child: Child, by signedIn: SignedIn, on db: any Database
    ) async throws -> ChildName {
        if kind == .current {
            try await ChildName.query(on: db).filter(\.$child.$id == child.id!).filter(\.$kind == .current)
                .set(\.$kind, to: .previous).update()
            child.givenName = givenName
            child.familyName = familyName
            try await child.save(on: db)
        }
        let name = ChildName(child: child, kind: kind, givenName: givenName, familyName: familyName, recordedByID: signedIn.id)
        try await name.create(on: db)
        return name
    }

    /// Records an unborn baby's birth: the date of birth replaces the expected date of
    /// delivery, and a first name, when given, becomes the current name ("Unborn baby" is
    /// kept as a previous name, so searches still find the child by it).
    static func recordBirth(
        of childID: UUID, dateOfBirth: String, givenName: String, by signedIn: SignedIn, on db: any Database
    ) async throws -> Child {
        try await Access.requireIndex(.recordBirth, child: childID, by: signedIn, on: db)
        let given = givenName.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if let problem = CalendarDate.dateOfBirthProblem(dateOfBirth, today: Date()) {
            problems.append(.init(field: "dateOfBirth", message: problem))
        }
        if !given.isEmpty, let problem = PersonName.problem(given) {
            problems.append(.init(field: "givenName", message: problem))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let child = try await Child.live(childID, on: db)
        try await Access.require(
            try await mayChangeDetails(of: child, by: signedIn, on: db),
            else:
                "Only whoever registered the baby, the child’s CAF team and the local authority’s coordinators record the birth. Tell the coordinator.",
            .recordBirth, child: childID, detail: "not-team", by: signedIn, on: db)
        guard child.unborn else {
            throw AppError(status: .conflict, code: "already-born", message: "This child’s birth is already recorded")
        }
        return try await db.writeTransaction { db in
            child.unborn = false
            child.dateOfBirth = dateOfBirth
            try await child.save(on: db)
            try await ChildName.query(on: db).filter(\.$child.$id == childID).set(\.$dateOfBirth, to: dateOfBirth).update()
            if !given.isEmpty {
                _ = try await record(.current, givenName: given, familyName: child.familyName, of: child, by: signedIn, on: db)
            }
            try await Audit.record(on: db, by: signedIn, .recordBirth, child: childID)
            return child
        }
    }
}
