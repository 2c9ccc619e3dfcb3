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
    /// Nil while the whereabouts are shielded from this reader.
    let whereabouts: Whereabouts?
    /// What of the whereabouts this reader sees: the contacts, team and services go through it.
    let shield: Shield
    /// Whom to ask about a shielded child: the LA's coordinators.
    let coordinators: [Practitioner]
    /// The services involved that this reader may see (sensitive ones only by their own
    /// staff and those the service disclosed them to).
    let services: [Involvement]
    /// Of those, the sensitive ones the reader's own service recorded: it says who else may see them.
    let disclosable: Set<UUID>

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

/// A name as search ranks it: read straight from `child_names`, without a model.
struct IndexName: Sendable {
    let kind: NameKind
    let givenName: String
    let familyName: String

    var fullName: String { "\(givenName) \(familyName)" }
}

/// One child a search found, with the other name that matched when it was not their own.
struct ChildSearchHit {
    let child: Child
    let matchedName: IndexName?
    /// What of the child's whereabouts the searcher may see.
    let shield: Shield
}

/// One page of a search's results, best first, from at most `ChildIndex.resultCap` in all.
package struct ChildSearchResult {
    let hits: [ChildSearchHit]
    let total: Int
    /// More children matched than the cap: the search should be narrowed.
    let capped: Bool
    let page: Int

    var pageCount: Int { max(1, (total + ChildIndex.pageSize - 1) / ChildIndex.pageSize) }
}

/// The child index: search, register, read basic details. Every use is audited.
package enum ChildIndex {
    static let pageSize = 20
    package static let resultCap = 200
    /// Name candidates fetched for `NameMatch` to decide on, beyond the cap it may reject.
    package static let candidateLimit = 250

    /// These children, in the order given (those gone left out): the possible duplicates a
    /// registration was refused for, which the refusal named.
    static func children(_ ids: [UUID], on db: any Database) async throws -> [Child] {
        let found = try await Child.query(on: db).filter(\.$id ~~ ids).all()
        return ids.compactMap { id in found.first { $0.id == id } }
    }

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
            ranked = try await filters.children(limit: resultCap + 1, on: db as! any SQLDatabase).map {
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

    /// Children already in the index who may be this one: the same NHS number or UPN, or the
    /// same date of birth with a name that matches (any of their names, slips allowed).
    static func possibleDuplicates(of registration: ChildRegistration, on db: any Database) async throws -> [Child] {
        var ids: [UUID] = []
        for identifier in [registration.nhsNumber, registration.upn].compactMap({ $0 }) {
            let filters = ChildFilters(nhsNumber: NHSNumber.normalised(identifier), upn: UPN.normalised(identifier))
            ids += try await filters.children(limit: 10, on: db as! any SQLDatabase)
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

    /// Everyone on any of the child's episodes' teams: the index's involvements.
    static func involved(with childID: UUID, on db: any Database) async throws -> [Practitioner] {
        try await Episode.withTeam(on: db).filter(\.$child.$id == childID).all().involved
    }

    static func read(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> ChildRecord {
        try await Access.requireIndex(.viewChild, child: id, by: signedIn, on: db)
        let child = try await Child.live(id, withLocalAuthority: true, on: db)
        let episodes = try await Episode.withTeam(on: db, of: child).filter(\.$child.$id == id)
            .sort(\.$openedAt, .descending).all()
        let names = try await ChildName.query(on: db).filter(\.$child.$id == id).sort(\.$createdAt).all()
        let shield = try await Shielding.shield(for: child, to: signedIn, on: db)
        let visible = !shield.hidesWhereabouts
        let whereabouts =
            visible
            ? Whereabouts(
                child,
                history: try await ChildAddress.query(on: db).filter(\.$child.$id == id).sort(\.$createdAt, .descending).all())
            : nil
        let coordinators =
            visible
            ? []
            : try await Practitioner.query(on: db).join(
                Organisation.self, on: \Practitioner.$organisation.$id == \Organisation.$id
            )
            .filter(Organisation.self, \.$localAuthority.$id == child.$localAuthority.id).filter(\.$disabled == false)
            .all().filter { AccessPolicy.isCoordinator($0.roles) }
        let services = try await Involvements.visible(for: id, to: signedIn, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewChild, child: id, detail: visible && child.shielded ? "whereabouts" : "")
        return ChildRecord(
            child: child, names: names.filter { $0.kind == .current } + names.filter { $0.kind != .current }, episodes: episodes,
            whereabouts: whereabouts, shield: shield, coordinators: coordinators, services: services,
            disclosable: Set(
                services.filter {
                    $0.sensitive != nil
                        && AccessPolicy.mayDiscloseInvolvement(signedIn.actor, serviceOrganisationID: $0.$organisation.id)
                }.map { $0.id! }))
    }
}

extension ChildIndex.Query {
    /// An empty search, for the benchmarks to fill in.
    package static var empty: Self { Self() }
}
