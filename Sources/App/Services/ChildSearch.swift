import CAFCore
import Fluent
import Foundation
import SQLKit

/// What a search is narrowed by besides the name: fields on the child's own row.
package struct ChildFilters: Sendable {
    /// ISO dates compare correctly as text.
    var bornFrom: String?
    var bornTo: String?
    /// A full postcode, or just its outward code ("CB4").
    var postcode: String?
    var nhsNumber: String?
    var upn: String?
    /// The LA whose shielded children a postcode search may still find (the searcher
    /// coordinates or safeguards it); everyone else's postcode searches skip shielded children.
    var shieldedVisibleIn: UUID?

    /// Conditions on the child's row (`c`); the birth date is asked of the name (`n`) instead
    /// when searching names, where it is repeated so both are one table's indexes.
    func conditions(onNames: Bool = false) -> [SQLQueryString] {
        var conditions = childConditions
        let born: SQLQueryString = onNames ? "n.date_of_birth" : "c.date_of_birth"
        if let bornFrom { conditions.append("\(born) >= \(bind: bornFrom)") }
        if let bornTo { conditions.append("\(born) <= \(bind: bornTo)") }
        return conditions
    }

    /// The conditions that need the child's own row.
    var childConditions: [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let postcode {
            conditions.append(
                postcode.contains(" ") ? "c.postcode = \(bind: postcode)" : "c.postcode_district = \(bind: postcode)")
            conditions.append(
                shieldedVisibleIn.map { "(c.shielded = \(false) OR c.local_authority_id = \(bind: $0))" }
                    ?? "c.shielded = \(false)")
        }
        if let nhsNumber { conditions.append("c.nhs_number = \(bind: nhsNumber)") }
        if let upn { conditions.append("c.upn = \(bind: upn)") }
        return conditions
    }

    /// Children matching the filters alone, in name order.
    package func query(limit: Int) -> SQLQueryString {
        "SELECT c.id AS child_id FROM children c WHERE \((conditions() + ["c.merged_into_id IS NULL"]).joined(separator: " AND "))"
            + " ORDER BY c.family_name, c.given_name, c.id LIMIT \(literal: limit)"
    }

    func children(limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw(query(limit: limit)).all().map { try $0.decode(column: "child_id", as: UUID.self) }
    }
}

/// One name that may match, as the candidate query returns it, so ranking reads nothing more.
struct CandidateName: Sendable {
    let childID: UUID
    let name: IndexName
    /// `NameMatch.key` of the name.
    let key: String
}

/// Finds the names that may match every term, best first, through the database's own
/// trigram index. `NameMatch` then decides and ranks, the same on each database.
package protocol NameSearch: Sendable {
    /// Run first in the same transaction, to tune the index for this query.
    var setUp: SQLQueryString? { get }
    /// The candidate names (`child_id`, `kind`, `given_name`, `family_name`, `name_key`),
    /// best first, at most `limit`. When names spelt exactly already hold more than `enough`
    /// children, the rest may be left unsought: they could only rank below a full page.
    func query(terms: [String], filters: ChildFilters, limit: Int, enough: Int?) -> SQLQueryString
}

extension NameSearch {
    /// The columns each candidate query returns, from `child_names n`.
    static var nameColumns: SQLQueryString { "n.child_id, n.kind, n.given_name, n.family_name, n.name_key" }

    func candidates(terms: [String], filters: ChildFilters, limit: Int, enough: Int? = nil, on db: any Database)
        async throws -> [CandidateName]
    {
        let statement = query(terms: terms, filters: filters, limit: limit, enough: enough)
        @Sendable func run(on db: any Database) async throws -> [CandidateName] {
            try await db.sql.raw(statement).all().map { row in
                CandidateName(
                    childID: try row.decode(column: "child_id", as: UUID.self),
                    name: IndexName(
                        kind: NameKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .previous,
                        givenName: try row.decode(column: "given_name", as: String.self),
                        familyName: try row.decode(column: "family_name", as: String.self)),
                    key: try row.decode(column: "name_key", as: String.self))
            }
        }
        // A setting made with SET LOCAL needs the query on the same connection, in a transaction.
        guard let setUp else { return try await run(on: db) }
        return try await db.writeTransaction { db in
            try await db.sql.raw(setUp).run()
            return try await run(on: db)
        }
    }
}

extension ChildIndex {
    package static func nameSearch(for db: any Database) -> any NameSearch {
        db.sql.dialect.name == "postgresql" ? PostgresNameSearch() : SQLiteNameSearch()
    }
}

/// PostgreSQL, in one statement: each term first finds the words it may mean in the
/// `name_words` dictionary (trigram-indexed: exact, prefix, wildcard, one or two slips), then
/// names holding a word for every term come from the GIN index over each name's words.
/// Names with every term spelt exactly come first; neither tier sorts, so a common name
/// stops at the limit rather than reading every row that has it.
struct PostgresNameSearch: NameSearch {
    /// Low, because the dictionary is small and the slips are checked after: "smtih" shares
    /// only two of its trigrams with "smith".
    let setUp: SQLQueryString? = "SET LOCAL pg_trgm.similarity_threshold = 0.15"

    func query(terms: [String], filters: ChildFilters, limit: Int, enough: Int?) -> SQLQueryString {
        var lookups: [SQLQueryString] = terms.enumerated().map { index, term in
            "t\(unsafeRaw: String(index)) AS (SELECT coalesce(array_agg(word), '{}') AS words FROM name_words WHERE "
                + Self.wordCondition(term) + ")"
        }
        let join: SQLQueryString = filters.childConditions.isEmpty ? "" : " JOIN children c ON c.id = n.child_id"
        let narrowed = filters.conditions(onNames: true)
        let fuzzy: [SQLQueryString] = terms.indices.map { "n.words && (SELECT words FROM t\(unsafeRaw: String($0)))" }
        var tiers: [SQLQueryString] = []
        var sought = fuzzy + narrowed
        if !terms.contains(where: { $0.contains("*") }) {
            // Materialised, so the fuzzy tier can first ask how many children it found.
            lookups.append(
                "exact AS MATERIALIZED (SELECT \(Self.nameColumns) FROM child_names n\(join) WHERE "
                    + (["n.words @> \(bind: terms)"] + narrowed).joined(separator: " AND ") + " LIMIT \(literal: limit))")
            tiers.append("(SELECT * FROM exact)")
            if let enough {
                sought.append("(SELECT count(DISTINCT child_id) FROM exact) <= \(literal: enough)")
            }
        }
        tiers.append(
            "(SELECT \(Self.nameColumns) FROM child_names n\(join) WHERE "
                + sought.joined(separator: " AND ") + " LIMIT \(literal: limit))")
        return "WITH " + lookups.joined(separator: ", ") + " SELECT * FROM ("
            + tiers.joined(separator: " UNION ALL ") + ") AS found LIMIT \(literal: limit)"
    }

    /// The words a term may mean: a superset of what `NameMatch` accepts, found through the
    /// dictionary's trigram index.
    static func wordCondition(_ term: String) -> SQLQueryString {
        if term.contains("*") { return "word LIKE \(bind: term.replacingOccurrences(of: "*", with: "%"))" }
        let prefix = term + "%"
        return "(word % \(bind: term) OR word LIKE \(bind: prefix)) AND (word LIKE \(bind: prefix)"
            + " OR levenshtein_less_equal(word, \(bind: term), 2) <= 2 OR similarity(word, \(bind: term)) >= 0.45)"
    }
}

/// FTS5's trigram tokenizer over each name with its words wrapped in `_`: a term must share
/// a trigram with the name (all of a wildcard's fragments); candidates are ordered by bm25.
struct SQLiteNameSearch: NameSearch {
    let setUp: SQLQueryString? = nil

    func query(terms: [String], filters: ChildFilters, limit: Int, enough: Int?) -> SQLQueryString {
        let match: String = terms.map { term in
            let parts =
                term.contains("*")
                ? NameMatch.wildcardFragments(term).map { "\"\($0)\"" }.joined(separator: " AND ")
                : NameMatch.marked(term).map { "\"\($0)\"" }.joined(separator: " OR ")
            return "(\(parts))"
        }.joined(separator: " AND ")
        return "SELECT \(Self.nameColumns)"
            + " FROM child_name_search s JOIN child_names n ON n.id = s.name_id JOIN children c ON c.id = n.child_id"
            + " WHERE \((["s.words MATCH \(bind: match)"] + filters.conditions(onNames: true)).joined(separator: " AND "))"
            + " ORDER BY s.rank, n.child_id LIMIT \(literal: limit)"
    }
}
