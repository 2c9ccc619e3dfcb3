import CAFCore
import Fluent
import Vapor

/// A child's index record as shown to any practitioner: basic details, who is involved,
/// and which CAF episodes exist and who leads them — never assessment content.
struct ChildRecord {
    let child: Child
    let episodes: [Episode]

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

/// The child index: search, register, read basic details. Every use is audited.
enum ChildIndex {
    static let resultLimit = 50

    struct Query: Sendable {
        var name: String = ""
        var dateOfBirth: String = ""
        /// An NHS number or a UPN, matched exactly.
        var identifier: String = ""

        /// Names what is wrong, or nil when the search can run.
        func problems() -> [FieldProblem] {
            var problems: [FieldProblem] = []
            let name = self.name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty && dateOfBirth.isEmpty && identifier.isEmpty {
                problems.append(.init(field: "q", message: "Enter a name, a date of birth or an identifier to search for"))
            }
            if !identifier.isEmpty && NHSNumber.normalised(identifier) == nil && UPN.normalised(identifier) == nil {
                problems.append(.init(field: "identifier", message: "Enter a real NHS number or Unique Pupil Number"))
            }
            if !name.isEmpty && name.count < 2 {
                problems.append(.init(field: "q", message: "Enter at least 2 letters of the name"))
            }
            if !dateOfBirth.isEmpty && CalendarDate.parse(dateOfBirth) == nil {
                problems.append(.init(field: "dob", message: "Enter the date of birth as a real date, for example 2015-03-27"))
            }
            return problems
        }
    }

    static func search(_ query: Query, by signedIn: SignedIn, on db: any Database) async throws -> [Child] {
        try Access.requireIndex(signedIn)
        let problems = query.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        var builder = Child.query(on: db)
        for term in query.name.lowercased().split(whereSeparator: \.isWhitespace) {
            builder = builder.filter(\.$nameKey ~~ String(term))
        }
        if !query.dateOfBirth.isEmpty { builder = builder.filter(\.$dateOfBirth == query.dateOfBirth) }
        if let nhs = NHSNumber.normalised(query.identifier) {
            builder = builder.filter(\.$nhsNumber == nhs)
        } else if let upn = UPN.normalised(query.identifier) {
            builder = builder.filter(\.$upn == upn)
        }
        let results = try await builder.sort(\.$familyName).sort(\.$givenName).limit(resultLimit).all()
        try await Audit.record(
            on: db, by: signedIn, .searchChildren,
            detail:
                "q=\(query.name) dob=\(query.dateOfBirth) identifier=\(query.identifier) results=\(results.compactMap(\.id?.uuidString).joined(separator: ","))"
        )
        return results
    }

    static func register(_ registration: ChildRegistration, by signedIn: SignedIn, on db: any Database) async throws -> Child {
        try Access.requireIndex(signedIn)
        let clean: ChildRegistration
        do { clean = try registration.validated(today: Date()) } catch { throw AppError.invalid(error.problems) }
        // Where the child lives decides the LA; until addresses map to LAs, the registering
        // practitioner's LA stands in (PRODUCT.md: "the author's LA when that is unknown").
        guard let localAuthority = signedIn.actor.localAuthorityID else {
            throw AppError.forbidden("Only staff of a local authority’s organisations can register a child.")
        }
        return try await db.transaction { db in
            let child = Child(clean, localAuthorityID: localAuthority, registeredByID: signedIn.id)
            try await child.create(on: db)
            try await Audit.record(on: db, by: signedIn, .registerChild, child: child.id)
            return child
        }
    }

    /// Everyone on any of the child's episodes' teams: the index's involvements.
    static func involved(with childID: UUID, on db: any Database) async throws -> [Practitioner] {
        try await Episode.withTeam(on: db).filter(\.$child.$id == childID).all().involved
    }

    static func read(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> ChildRecord {
        try Access.requireIndex(signedIn)
        guard let child = try await Child.query(on: db).filter(\.$id == id).with(\.$localAuthority).first() else {
            throw AppError.notFound("child")
        }
        let episodes = try await Episode.withTeam(on: db).filter(\.$child.$id == id)
            .sort(\.$openedAt, .descending).all()
        try await Audit.record(on: db, by: signedIn, .viewChild, child: id)
        return ChildRecord(child: child, episodes: episodes)
    }
}
