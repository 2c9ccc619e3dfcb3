import CAFCore
import Fluent
import Foundation
import SQLKit

/// What a search is narrowed by besides the name: fields on the child's own row.
struct ChildFilters: Sendable {
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

    var conditions: [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let bornFrom { conditions.append("c.date_of_birth >= \(bind: bornFrom)") }
        if let bornTo { conditions.append("c.date_of_birth <= \(bind: bornTo)") }
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
    func query(limit: Int) -> SQLQueryString {
        "SELECT c.id AS child_id FROM children c WHERE \(conditions.joined(separator: " AND "))"
            + " ORDER BY c.family_name, c.given_name, c.id LIMIT \(literal: limit)"
    }

    func children(limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw(query(limit: limit)).all().map { try $0.decode(column: "child_id", as: UUID.self) }
    }
}

/// Finds the children one of whose names may match every term, best first, through the
/// database's own trigram index. `NameMatch` then decides and ranks, the same on each database.
protocol NameSearch: Sendable {
    /// Run first in the same transaction, to tune the index for this query.
    var setUp: SQLQueryString? { get }
    /// The candidates' ids (`child_id`), best first, at most `limit`.
    func query(terms: [String], filters: ChildFilters, limit: Int) -> SQLQueryString
}

extension NameSearch {
    func candidates(terms: [String], filters: ChildFilters, limit: Int, on db: any Database) async throws -> [UUID] {
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            if let setUp { try await sql.raw(setUp).run() }
            return try await sql.raw(query(terms: terms, filters: filters, limit: limit)).all().map {
                try $0.decode(column: "child_id", as: UUID.self)
            }
        }
    }
}

extension ChildIndex {
    static func nameSearch(for db: any Database) -> any NameSearch {
        (db as! any SQLDatabase).dialect.name == "postgresql" ? PostgresNameSearch() : SQLiteNameSearch()
    }
}

/// pg_trgm: each term must be word-similar to the name (`<%`, GIN-indexed), or one of its
/// words must match the wildcard pattern; candidates are ordered by summed word similarity.
struct PostgresNameSearch: NameSearch {
    /// Low enough that "smtih" (two of its six trigrams in "smith") still finds Smith.
    let setUp: SQLQueryString? = "SET LOCAL pg_trgm.word_similarity_threshold = 0.3"

    func query(terms: [String], filters: ChildFilters, limit: Int) -> SQLQueryString {
        let matches: [SQLQueryString] = terms.map { term in
            guard term.contains("*") else { return "\(bind: term) <% n.name_key" }
            // The pattern as a whole word, first, last, middle or alone: anchored like this,
            // pg_trgm can look up even two-letter fragments ("  s", " sm", "th ").
            let word = term.replacingOccurrences(of: "*", with: "%")
            let patterns = [word, word + " %", "% " + word, "% " + word + " %"].map {
                "n.name_key LIKE \(bind: $0)" as SQLQueryString
            }
            return "(\(patterns.joined(separator: " OR ")))"
        }
        let similarity: [SQLQueryString] = terms.map { term in
            term.contains("*") ? "1" : "word_similarity(\(bind: term), n.name_key)"
        }
        return "SELECT n.child_id AS child_id, max(\(similarity.joined(separator: " + "))) AS score"
            + " FROM child_names n JOIN children c ON c.id = n.child_id"
            + " WHERE \((matches + filters.conditions).joined(separator: " AND "))"
            + " GROUP BY n.child_id ORDER BY score DESC, n.child_id LIMIT \(literal: limit)"
    }
}

/// FTS5's trigram tokenizer over each name with its words wrapped in `_`: a term must share
/// a trigram with the name (all of a wildcard's fragments); candidates are ordered by bm25.
struct SQLiteNameSearch: NameSearch {
    let setUp: SQLQueryString? = nil

    func query(terms: [String], filters: ChildFilters, limit: Int) -> SQLQueryString {
        let match: String = terms.map { term in
            let parts =
                term.contains("*")
                ? NameMatch.wildcardFragments(term).map { "\"\($0)\"" }.joined(separator: " AND ")
                : NameMatch.marked(term).map { "\"\($0)\"" }.joined(separator: " OR ")
            return "(\(parts))"
        }.joined(separator: " AND ")
        return "SELECT n.child_id AS child_id, min(s.rank) AS score"
            + " FROM child_name_search s JOIN child_names n ON n.id = s.name_id JOIN children c ON c.id = n.child_id"
            + " WHERE \((["s.words MATCH \(bind: match)"] + filters.conditions).joined(separator: " AND "))"
            + " GROUP BY n.child_id ORDER BY score, n.child_id LIMIT \(literal: limit)"
    }
}
