import CAFCore
import Fluent
import SQLKit
import Vapor

extension ChildIndex {
    package struct Query: Sendable {
        package var name: String = ""
        /// An exact date of birth, or the start of a range with `bornTo`.
        package var dateOfBirth: String = ""
        package var bornTo: String = ""
        /// A full postcode or an outward code.
        package var postcode: String = ""
        /// An NHS number or a UPN, matched exactly.
        package var identifier: String = ""
        var page: Int = 1

        /// The most a search may type in each field: a name's words (five terms are used)
        /// and the longest date, postcode or identifier anyone writes. Checked before any
        /// work, so a huge term costs nothing.
        static let maxLengths = ["q": 200, "dob": 10, "dobTo": 10, "postcode": 10, "identifier": 20]
        /// The last page the result cap allows.
        static let maxPage = ChildIndex.resultCap / ChildIndex.pageSize

        /// Names what is wrong; empty when the search can run.
        func problems() -> [FieldProblem] {
            let fields = ["q": name, "dob": dateOfBirth, "dobTo": bornTo, "postcode": postcode, "identifier": identifier]
            // Code points, not characters: a letter with 100,000 combining marks is one character.
            let tooLong = fields.filter { $0.value.unicodeScalars.count > Self.maxLengths[$0.key]! }.keys.sorted().map {
                FieldProblem(field: $0, message: "Enter \(Self.maxLengths[$0]!) characters or fewer")
            }
            if !tooLong.isEmpty { return tooLong }
            var problems: [FieldProblem] = []
            let terms = NameMatch.terms(name)
            if name.trimmingCharacters(in: .whitespaces).isEmpty && dateOfBirth.isEmpty && bornTo.isEmpty && postcode.isEmpty
                && identifier.isEmpty
            {
                problems.append(
                    .init(field: "q", message: "Enter a name, a date of birth, a postcode or an identifier to search for"))
            }
            if !identifier.isEmpty && NHSNumber.normalised(identifier) == nil && UPN.normalised(identifier) == nil {
                problems.append(.init(field: "identifier", message: "Enter a real NHS number or Unique Pupil Number"))
            }
            if terms.isEmpty && !name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(field: "q", message: "Enter at least 2 letters of the name"))
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
            if !(1...Self.maxPage).contains(page) {
                problems.append(.init(field: "page", message: "Enter a page number from 1 to \(Self.maxPage)"))
            }
            return problems
        }

        package var filters: ChildFilters {
            ChildFilters(
                bornFrom: dateOfBirth.isEmpty ? nil : dateOfBirth,
                bornTo: bornTo.isEmpty ? (dateOfBirth.isEmpty ? nil : dateOfBirth) : bornTo,
                postcode: postcode.isEmpty ? nil : ChildIndex.postcodeFilter(postcode),
                nhsNumber: NHSNumber.normalised(identifier), upn: UPN.normalised(identifier))
        }

        /// What the audit log keeps of the search.
        var auditDetail: String {
            "q=\(Audit.typed(name)) dob=\(Audit.typed(dateOfBirth)) dobTo=\(Audit.typed(bornTo))"
                + " postcode=\(Audit.typed(postcode)) identifier=\(Audit.typed(identifier)) page=\(page)"
        }
    }

    /// A full postcode, normalised, or an outward code alone ("CB4").
    static func postcodeFilter(_ text: String) -> String? {
        if let full = Postcode.normalised(text) { return full }
        let outward = text.uppercased().filter { !$0.isWhitespace }
        return outward.wholeMatch(of: /[A-Z]{1,2}[0-9][A-Z0-9]?/) == nil ? nil : outward
    }

    package static func search(_ query: Query, by signedIn: SignedIn, on db: any Database) async throws -> ChildSearchResult {
        try await Access.requireIndex(.searchChildren, by: signedIn, on: db)
        let problems = query.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let terms = NameMatch.terms(query.name)
        var filters = query.filters
        // A search on a hidden field (the postcode) never finds a shielded child for someone
        // who may not see where they live.
        filters.shieldedVisibleIn = AccessPolicy.shieldingAuthority(signedIn.actor)
        // Read outside any transaction; only its audit event is written, in a short one of its
        // own: on SQLite a search that held the file while it read made every search queue.
        return try await search(query, terms: terms, filters: filters, by: signedIn, on: db)
    }

    private static func search(
        _ query: Query, terms: [String], filters: ChildFilters, by signedIn: SignedIn, on db: any Database
    ) async throws -> ChildSearchResult {
        let ranked: [Ranked]
        if terms.isEmpty {
            ranked = try await filters.children(limit: resultCap + 1, on: db.sql).map {
                Ranked(childID: $0, matchedName: nil, score: nil)
            }
        } else {
            ranked = rank(
                try await nameSearch(for: db).candidates(
                    terms: terms, filters: filters, limit: candidateLimit, enough: resultCap, on: db),
                terms: terms)
        }
        // Only the page shown is read in full.
        let shown = Array(ranked.prefix(resultCap).dropFirst((query.page - 1) * pageSize).prefix(pageSize))
        let children = Dictionary(
            uniqueKeysWithValues: try await Child.query(on: db).filter(\.$id ~~ shown.map(\.childID)).all().map { ($0.id!, $0) })
        let shields = try await Shielding.shields(for: Array(children.values), to: signedIn, on: db)
        let hits = shown.compactMap { found in
            children[found.childID].map { child in
                ChildSearchHit(child: child, matchedName: found.matchedName, shield: shields[child.id!] ?? .closed)
            }
        }
        try await Audit.record(
            on: db, by: signedIn, .searchChildren,
            detail: "\(query.auditDetail) results=\(hits.map { $0.child.id!.uuidString }.joined(separator: ","))",
            naming: hits.map { $0.child.id! })
        return ChildSearchResult(
            hits: hits, total: min(ranked.count, resultCap), capped: ranked.count > resultCap, page: query.page)
    }

    struct Ranked {
        let childID: UUID
        let matchedName: IndexName?
        let score: Double?
    }

    /// Scores each candidate name, keeps each child's best (on a tie, the current name rather
    /// than another), drops children no name matches, and orders the rest best first, then
    /// by the matched name.
    static func rank(_ candidates: [CandidateName], terms: [String]) -> [Ranked] {
        var scorer = NameMatch.Scorer(terms: terms)
        var best: [UUID: (score: Double, name: IndexName)] = [:]
        for candidate in candidates {
            guard let score = scorer.score(key: candidate.key) else { continue }
            if let kept = best[candidate.childID],
                (kept.score, kept.name.kind == .current ? 1 : 0) >= (score, candidate.name.kind == .current ? 1 : 0)
            {
                continue
            }
            best[candidate.childID] = (score, candidate.name)
        }
        return best.map { childID, found in
            (
                ranked: Ranked(
                    childID: childID, matchedName: found.name.kind == .current ? nil : found.name, score: found.score),
                sortName: "\(found.name.familyName)\u{0}\(found.name.givenName)\u{0}\(childID.uuidString)"
            )
        }
        .sorted { ($0.ranked.score ?? 0, $1.sortName) > ($1.ranked.score ?? 0, $0.sortName) }.map(\.ranked)
    }
}

extension ChildIndex.Query {
    /// An empty search, for the benchmarks to fill in.
    package static var empty: Self { Self() }
}
