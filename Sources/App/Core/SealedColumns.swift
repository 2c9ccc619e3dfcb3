import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A column whose values are kept sealed (`SecretKeys`), each bound to its column and row.
struct SealedColumn: Sendable {
    let table: String
    let column: String
    /// Values are kept sealed only while this column is null (a message, until it is sent).
    var whileNull: String? = nil

    var name: String { "\(table).\(column)" }

    /// What a value is bound to: so a value copied to another row, or another column (an
    /// assessment into the outbox, to be mailed), opens for none.
    func context(_ row: UUID) -> String { "\(name):\(row.uuidString)" }

    func seal(_ plain: String, row: UUID, keys: SecretKeys) throws -> String {
        try keys.seal(plain, context: context(row))
    }

    /// Only a sealed value opens: one in clear here was written around eCAF.
    func open(_ stored: String, row: UUID, keys: SecretKeys) throws -> String {
        try keys.open(stored, context: context(row))
    }

    static let totpSecret = SealedColumn(table: "practitioners", column: "totp_secret")
    static let outboxBody = SealedColumn(table: "outbox_messages", column: "body", whileNull: "sent_at")
    static let assessmentContent = SealedColumn(table: "assessments", column: "content")
    static let checklistAnswers = SealedColumn(table: "pre_assessments", column: "answers")
    static let checklistReason = SealedColumn(table: "pre_assessments", column: "reason")
    static let partRevision = SealedColumn(table: "assessment_part_revisions", column: "content")
    static let passwordPepper = SealedColumn(table: PasswordPepper.schema, column: "pepper")

    /// Every column sealed at rest: the secrets, and what practitioners write about a child
    /// and family. What the index searches (names, dates of birth, postcodes) stays clear:
    /// a deployment's encrypted volumes protect it (docs/data.md).
    static let all = [
        totpSecret, outboxBody, assessmentContent, checklistAnswers, checklistReason, partRevision, passwordPepper,
    ]
}

/// At start-up, before serving, every sealed column is brought under the current key: values
/// sealed under a key being rotated out or in version 1's form, and, the first time a column
/// is sealed, values stored in clear by the release before. In order:
/// 1. the canary (a known value sealed under the key of the last start) must open with a key
///    given, or nothing is touched: a wrong key would seal values beyond the right one's reach;
/// 2. no value may name a key not given (a rotation left half done);
/// 3. each column, a page of rows at a time, each row replaced only if unchanged meanwhile;
///    then it is marked sealed, and a value in clear found there later stops the start, naming
///    the row, rather than being taken as eCAF's (it was written around eCAF);
/// 4. the canary, sealed again under the current key.
/// The release before reads no sealed value: stop every instance of it before starting this.
/// Without a key (a command run without ECAF_SECRETS_KEY) nothing is touched.
enum SecretSealing {
    static let state = "sealing_state"
    static let canaryContext = "sealing_state.canary"

    static func sealAll(_ app: Application) async throws {
        guard let keys = app.secrets else { return }
        let sql = app.db.sql
        if let canary = try await value("canary", on: sql) {
            guard let sealed = SecretKeys.Sealed(canary), (try? keys.open(sealed, context: canaryContext)) != nil else {
                throw WrongKey()
            }
        }
        for column in SealedColumn.all { try await requireKnownKeys(column, keys, on: sql) }
        for column in SealedColumn.all {
            let marked = "sealed:\(column.name)"
            let complete = try await value(marked, on: sql) != nil
            try await seal(column, keys, on: sql, clearAllowed: !complete)
            if !complete { try await store(marked, "", on: sql) }
        }
        try await store("canary", try keys.seal("eCAF", context: canaryContext), on: sql)
    }

    /// Refuses the start if a value names a key not given (text in clear that merely looks
    /// sealed is not counted).
    static func requireKnownKeys(_ sealed: SealedColumn, _ keys: SecretKeys, on sql: any SQLDatabase) async throws {
        let column = sealed.column
        let known = ([keys.current] + keys.older).flatMap { key in [1, 2].map { SecretKeys.prefix(key, version: $0) } }
        var after: UUID? = nil
        while true {
            let from: SQLQueryString = after.map { "AND id > \(bind: $0)" } ?? ""
            let rows = try await sql.raw(
                """
                SELECT id, \(ident: column) AS value FROM \(ident: sealed.table)
                WHERE substr(\(ident: column), 1, 3) IN ('v1:', 'v2:')
                AND substr(\(ident: column), 1, \(literal: keys.sealedPrefix.count)) NOT IN (\(binds: known)) \(from)
                ORDER BY id LIMIT 500
                """
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            for row in rows where SecretKeys.Sealed(try row.decode(column: "value", as: String.self)) != nil {
                throw UnknownKey(column: sealed.name, row: try row.decode(column: "id", as: UUID.self))
            }
        }
    }

    /// Seals again what is not sealed under the current key, `pageSize` rows at a time.
    static func seal(
        _ sealed: SealedColumn, _ keys: SecretKeys, on sql: any SQLDatabase, clearAllowed: Bool, pageSize: Int = 500
    ) async throws {
        let (table, column) = (sealed.table, sealed.column)
        var after: UUID? = nil
        while true {
            let from: SQLQueryString = after.map { "AND id > \(bind: $0)" } ?? ""
            let only: SQLQueryString = sealed.whileNull.map { "AND \(ident: $0) IS NULL" } ?? ""
            let rows = try await sql.raw(
                """
                SELECT id, \(ident: column) AS value FROM \(ident: table)
                WHERE \(ident: column) IS NOT NULL AND \(ident: column) <> '' \(only)
                AND substr(\(ident: column), 1, \(literal: keys.sealedPrefix.count)) <> \(bind: keys.sealedPrefix) \(from)
                ORDER BY id LIMIT \(literal: pageSize)
                """
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let stored = try row.decode(column: "value", as: String.self)
                let plain: String
                if let value = SecretKeys.Sealed(stored) {
                    plain = try keys.open(value, context: value.version == 1 ? id.uuidString : sealed.context(id))
                } else {
                    guard clearAllowed else { throw ClearValue(column: sealed.name, row: id) }
                    plain = stored
                }
                try await sql.raw(
                    """
                    UPDATE \(ident: table) SET \(ident: column) = \(bind: try sealed.seal(plain, row: id, keys: keys))
                    WHERE id = \(bind: id) AND \(ident: column) = \(bind: stored)
                    """
                ).run()
            }
        }
    }

    private static func value(_ name: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("SELECT value FROM \(ident: state) WHERE name = \(bind: name)").first()?
            .decode(column: "value", as: String.self)
    }

    private static func store(_ name: String, _ value: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO \(ident: state) (name, value) VALUES (\(bind: name), \(bind: value))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """
        ).run()
    }

    struct WrongKey: Error, CustomStringConvertible {
        var description: String {
            "ECAF_SECRETS_KEY is not the key this database was last started with, nor is any key in ECAF_SECRETS_OLD_KEYS: set that key, or put it in ECAF_SECRETS_OLD_KEYS to rotate"
        }
    }

    struct UnknownKey: Error, CustomStringConvertible {
        let column: String
        let row: UUID
        var description: String {
            "\(column) of row \(row) is sealed under a key eCAF was not given: set it in ECAF_SECRETS_OLD_KEYS"
        }
    }

    struct ClearValue: Error, CustomStringConvertible {
        let column: String
        let row: UUID
        var description: String {
            "\(column) of row \(row) holds text in clear where eCAF writes only sealed values: it was written around eCAF. Check it; to have eCAF seal it, delete the row 'sealed:\(column)' from sealing_state and start again"
        }
    }
}
