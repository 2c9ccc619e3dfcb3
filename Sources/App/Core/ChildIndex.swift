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

/// One child a search found, with the other name that matched when it was not their own.
struct ChildSearchHit {
    let child: Child
    let matchedName: ChildName?
    let score: Double?
}

/// One page of a search's results, best first, from at most `ChildIndex.resultCap` in all.
struct ChildSearchResult {
    let hits: [ChildSearchHit]
    let total: Int
    /// More children matched than the cap: the search should be narrowed.
    let capped: Bool
    let page: Int

    var pageCount: Int { max(1, (total + ChildIndex.pageSize - 1) / ChildIndex.pageSize) }
}

/// The child index: search, register, read basic details. Every use is audited.
enum ChildIndex {
    static let pageSize = 20
    static let resultCap = 200
    /// Name candidates fetched for `NameMatch` to decide on, beyond the cap it may reject.
    static let candidateLimit = 400

    struct Query: Sendable {
        var name: String = ""
        /// An exact date of birth, or the start of a range with `bornTo`.
        var dateOfBirth: String = ""
        var bornTo: String = ""
        /// A full postcode or an outward code.
        var postcode: String = ""
        /// An NHS number or a UPN, matched exactly.
        var identifier: String = ""
        var page: Int = 1

        /// Names what is wrong; empty when the search can run.
        func problems() -> [FieldProblem] {
            var problems: [FieldProblem] = []
            let terms = NameMatch.terms(name)
            if terms.isEmpty && dateOfBirth.isEmpty && bornTo.isEmpty && postcode.isEmpty && identifier.isEmpty {
                problems.append(
                    .init(field: "q", message: "Enter a name, a date of birth, a postcode or an identifier to search for"))
            }
            if !identifier.isEmpty && NHSNumber.normalised(identifier) == nil && UPN.normalised(identifier) == nil {
                problems.append(.init(field: "identifier", message: "Enter a real NHS number or Unique Pupil Number"))
            }
            if terms.contains(where: { $0.filter(\.isLetter).count < 2 }) {
                problems.append(.init(field: "q", message: "Enter at least 2 letters of each name"))
            } else if terms.contains(where: { $0.contains("*") && NameMatch.wildcardFragments($0).isEmpty }) {
                problems.append(.init(field: "q", message: "Put at least 2 letters before or after a *, for example Sm*th"))
            }
            for (field, date) in [("dob", dateOfBirth), ("dobTo", bornTo)] where !date.isEmpty && CalendarDate.parse(date) == nil
            {
                problems.append(.init(field: field, message: "Enter the date of birth as a real date, for example 2015-03-27"))
            }
            if !bornTo.isEmpty && dateOfBirth > bornTo {
                problems.append(.init(field: "dobTo", message: "The end of the date range must be on or after its start"))
            }
            if !postcode.isEmpty && ChildIndex.postcodeFilter(postcode) == nil {
                problems.append(
                    .init(
                        field: "postcode",
                        message: "Enter a real UK postcode or the first part of one, for example CB4 or CB4 1AA"))
            }
            if page < 1 { problems.append(.init(field: "page", message: "Enter a page number of 1 or more")) }
            return problems
        }

        var filters: ChildFilters {
            ChildFilters(
                bornFrom: dateOfBirth.isEmpty ? nil : dateOfBirth,
                bornTo: bornTo.isEmpty ? (dateOfBirth.isEmpty ? nil : dateOfBirth) : bornTo,
                postcode: postcode.isEmpty ? nil : ChildIndex.postcodeFilter(postcode),
                nhsNumber: NHSNumber.normalised(identifier), upn: UPN.normalised(identifier))
        }

        /// What the audit log keeps of the search.
        var auditDetail: String {
            "q=\(name) dob=\(dateOfBirth) dobTo=\(bornTo) postcode=\(postcode) identifier=\(identifier) page=\(page)"
        }
    }

    /// A full postcode, normalised, or an outward code alone ("CB4").
    static func postcodeFilter(_ text: String) -> String? {
        if let full = Postcode.normalised(text) { return full }
        let outward = text.uppercased().filter { !$0.isWhitespace }
        return outward.wholeMatch(of: /[A-Z]{1,2}[0-9][A-Z0-9]?/) == nil ? nil : outward
    }

    static func search(_ query: Query, by signedIn: SignedIn, on db: any Database) async throws -> ChildSearchResult {
        try Access.requireIndex(signedIn)
        let problems = query.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let terms = NameMatch.terms(query.name)
        let ids =
            terms.isEmpty
            ? try await query.filters.children(limit: resultCap + 1, on: db as! any SQLDatabase)
            : try await nameSearch(for: db).candidates(terms: terms, filters: query.filters, limit: candidateLimit, on: db)
        let hits = try await rank(ids, terms: terms, on: db)
        let start = (query.page - 1) * pageSize
        let page = Array(hits.prefix(resultCap).dropFirst(start).prefix(pageSize))
        try await Audit.record(
            on: db, by: signedIn, .searchChildren,
            detail: "\(query.auditDetail) results=\(page.map { $0.child.id!.uuidString }.joined(separator: ","))")
        return ChildSearchResult(hits: page, total: min(hits.count, resultCap), capped: hits.count > resultCap, page: query.page)
    }

    /// Scores each candidate by its best-matching name, drops those no name matches, and
    /// orders the rest best first, then by name.
    static func rank(_ ids: [UUID], terms: [String], on db: any Database) async throws -> [ChildSearchHit] {
        guard !ids.isEmpty else { return [] }
        let children = try await Child.query(on: db).filter(\.$id ~~ ids).all()
        let names = Dictionary(grouping: try await ChildName.query(on: db).filter(\.$child.$id ~~ ids).all(), by: \.$child.id)
        let hits: [ChildSearchHit] = children.compactMap { child in
            guard !terms.isEmpty else { return ChildSearchHit(child: child, matchedName: nil, score: nil) }
            let scored = (names[child.id!] ?? []).compactMap { name in
                NameMatch.score(terms: terms, name: name.fullName).map { (score: $0, name: name) }
            }
            guard
                let best = scored.max(by: {
                    ($0.score, $0.name.kind != .current ? 0 : 1) < ($1.score, $1.name.kind != .current ? 0 : 1)
                })
            else { return nil }
            return ChildSearchHit(child: child, matchedName: best.name.kind == .current ? nil : best.name, score: best.score)
        }
        return hits.sorted {
            ($0.score ?? 0, $1.child.familyName, $1.child.givenName, $1.child.id!.uuidString)
                > ($1.score ?? 0, $0.child.familyName, $0.child.givenName, $0.child.id!.uuidString)
        }
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
            try await ChildName(
                childID: child.id!, kind: .current, givenName: clean.givenName, familyName: clean.familyName,
                recordedByID: signedIn.id
            ).create(on: db)
            if let knownAs = clean.knownAs {
                try await ChildName(
                    childID: child.id!, kind: .knownAs, givenName: knownAs, familyName: clean.familyName,
                    recordedByID: signedIn.id
                ).create(on: db)
            }
            try await Audit.record(on: db, by: signedIn, .registerChild, child: child.id)
            return child
        }
    }

    /// Records another name: a known-as or previous name, or a new current name (the old one
    /// becomes a previous name, so searches still find the child by it). Nothing is removed.
    static func addName(
        _ kind: NameKind, givenName: String, familyName: String, to childID: UUID, by signedIn: SignedIn, on db: any Database
    ) async throws -> ChildName {
        try Access.requireIndex(signedIn)
        let given = givenName.trimmingCharacters(in: .whitespacesAndNewlines)
        let family = familyName.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if given.isEmpty { problems.append(.init(field: "givenName", message: "Enter the first name")) }
        if family.isEmpty { problems.append(.init(field: "familyName", message: "Enter the last name")) }
        for (field, name) in [("givenName", given), ("familyName", family)] where name.count > 100 {
            problems.append(.init(field: field, message: "Names must be 100 characters or fewer"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard let child = try await Child.find(childID, on: db) else { throw AppError.notFound("child") }
        return try await db.transaction { db in
            if kind == .current {
                try await ChildName.query(on: db).filter(\.$child.$id == childID).filter(\.$kind == .current)
                    .set(\.$kind, to: .previous).update()
                child.givenName = given
                child.familyName = family
                child.nameKey = NameMatch.key("\(given) \(family)")
                try await child.save(on: db)
            }
            let name = ChildName(childID: childID, kind: kind, givenName: given, familyName: family, recordedByID: signedIn.id)
            try await name.create(on: db)
            try await Audit.record(on: db, by: signedIn, .recordChildName, child: childID, detail: kind.rawValue)
            return name
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
        let names = try await ChildName.query(on: db).filter(\.$child.$id == id).sort(\.$createdAt).all()
        try await Audit.record(on: db, by: signedIn, .viewChild, child: id)
        return ChildRecord(
            child: child, names: names.filter { $0.kind == .current } + names.filter { $0.kind != .current }, episodes: episodes)
    }
}
