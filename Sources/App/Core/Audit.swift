import CAFCore
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// What happened, in the audit log's words.
enum AuditAction: String, Sendable {
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signOut = "sign-out"
    case setUpTwoFactor = "set-up-two-factor"
    /// A person added or removed one of their security keys (WebAuthn).
    case addSecurityKey = "add-security-key"
    case removeSecurityKey = "remove-security-key"
    /// The holder chose a password: from a new account's link, a reset link, or their own.
    case changePassword = "change-password"
    /// A person ended their own sessions or tokens elsewhere.
    case endSessions = "end-sessions"
    /// Many failed sign-ins against one account within the window: its coordinators told.
    case signInBurst = "sign-in-burst"
    /// Someone asked for a forgotten-password link for a typed address.
    case requestPasswordReset = "request-password-reset"
    /// A person's requests within an hour reached the alert level: their coordinators told.
    case unusualVolume = "unusual-volume"
    /// A person's requests within an hour went past the limit: refused until the hour ends.
    case requestLimit = "request-limit"
    case searchChildren = "search-children"
    case registerChild = "register-child"
    case viewChild = "view-child"
    case recordChildName = "record-child-name"
    /// Someone outside the child's team proposed a correction to the child's name; a coordinator decided it.
    case proposeChildName = "propose-child-name"
    case decideChildName = "decide-child-name"
    case recordBirth = "record-birth"
    case mergeChildren = "merge-children"
    /// Aggregate figures only: no child's data, but who looked, and at what, is kept.
    case viewMeasures = "view-measures"
    case recordTime = "record-time"
    case updateChildDetails = "update-child-details"
    case recordInvolvement = "record-involvement"
    /// A sensitive service let one practitioner outside it see its involvement, or withdrew that.
    case discloseInvolvement = "disclose-involvement"
    case withdrawDisclosure = "withdraw-disclosure"
    case shieldChild = "shield-child"
    case overrideShield = "override-shield"
    case reviewShieldOverride = "review-shield-override"
    case openEpisode = "open-episode"
    case viewEpisode = "view-episode"
    case viewAssessment = "view-assessment"
    case saveAssessment = "save-assessment"
    case completeAssessment = "complete-assessment"
    case shareEpisode = "share-episode"
    case viewAudit = "view-audit"
    case recordPreAssessment = "record-pre-assessment"
    case recordSafeguardingCall = "record-safeguarding-call"
    case viewSafeguardingCall = "view-safeguarding-call"
    case recordFollowUp = "record-follow-up"
    case changeConsent = "change-consent"
    case recordConsentRefusal = "record-consent-refusal"
    /// A practitioner decided that sharing would do the child more harm, and said why.
    case recordDecisionNotToShare = "record-decision-not-to-share"
    case startReview = "start-review"
    case coordinateEpisode = "coordinate-episode"
    case addFamilyMember = "add-family-member"
    case scheduleMeeting = "schedule-meeting"
    case recordMeeting = "record-meeting"
    case changeLeadProfessional = "change-lead-professional"
    case addAction = "add-action"
    case updateAction = "update-action"
    case setPlanReview = "set-plan-review"
    case closeEpisode = "close-episode"
    case reopenEpisode = "reopen-episode"
    case decideReferral = "decide-referral"
    case requestAccess = "request-access"
    case decideAccessRequest = "decide-access-request"
    /// Account and organisation administration: creation, disabling, enabling.
    case administerAccounts = "administer-accounts"
    case breakGlass = "break-glass"
    case reviewBreakGlass = "review-break-glass"
    /// A coordinator's review queue read: the children it showed are named in the detail, so
    /// each child's own audit trail shows it.
    case viewReviewQueue = "view-review-queue"
}

enum AuditOutcome: String, Sendable {
    case allowed, denied, failed
}

/// The one audit path. Callers pass the database of the transaction that makes the
/// change, so the entry commits (or rolls back) with it.
package enum Audit {
    /// Text someone typed (a reason, a search, a name), made safe to keep in a detail
    /// (ASVS V7.3.1). A trail is filtered by what an entry's detail says (`involvement=` and
    /// `sensitive=`), and a detail lists ids. So typed text keeps `%`, `=`, control, separator
    /// and format characters only percent-encoded, and the hyphens of anything shaped like an
    /// id likewise: it can add no field, and pass for no id the entry lists. Everything else,
    /// markup included, is kept as typed; pages escape it.
    static func typed(_ text: String) -> String {
        var kept = ""
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            if scalar == "%" || scalar == "="
                || [.control, .format, .lineSeparator, .paragraphSeparator].contains(category)
            {
                kept += String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
            } else {
                kept.unicodeScalars.append(scalar)
            }
        }
        var result = kept
        // Matched code point by code point: a combining mark after an id must not hide it
        // from this check and leave it whole for anything that reads code points.
        for match in kept.matches(of: idShape.matchingSemantics(.unicodeScalar)).reversed() {
            result.replaceSubrange(match.range, with: kept[match.range].replacingOccurrences(of: "-", with: "%2D"))
        }
        return result
    }

    nonisolated(unsafe) private static let idShape = #/(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/#

    /// Writes one entry. `naming` lists the other children it is about (those a search
    /// returned, those a queue showed): each child's trail finds it by them (`audit_children`).
    static func record(
        on db: any Database, by actor: SignedIn?, email: String? = nil, _ action: AuditAction, child: UUID? = nil,
        episode: UUID? = nil, outcome: AuditOutcome = .allowed, detail: String = "", naming children: [UUID] = []
    ) async throws {
        let event = AuditEvent()
        // Millisecond precision: what the seal covers, on every database.
        event.occurredAt = Date(timeIntervalSince1970: Double(AuditFormat.milliseconds(Date())) / 1000)
        event.actorID = actor?.practitioner.id
        // A typed address (a failed sign-in's) is kept to the longest an e-mail address can be,
        // encoded like any typed text, so no line break or bidi override disguises it.
        event.actorEmail = actor?.practitioner.email ?? Audit.typed(String((email ?? "").prefix(254)))
        event.actorRoles = actor?.practitioner.roleStorage ?? ""
        event.action = action.rawValue
        event.childID = child
        event.episodeID = episode
        event.outcome = outcome.rawValue
        event.detail = detail
        event.namedChildren = AuditFormat.named(Set(children))
        try await append(event, on: db)
    }

    /// A review queue that showed children: one entry naming each (a queue showing none
    /// reveals nothing and is not recorded).
    static func queueRead(_ queue: String, children: [UUID], by signedIn: SignedIn, on db: any Database) async throws {
        guard !children.isEmpty else { return }
        let shown = Set(children).map(\.uuidString).sorted()
        try await record(
            on: db, by: signedIn, .viewReviewQueue, detail: "\(queue) queue: \(shown.joined(separator: ","))",
            naming: children)
    }

    /// Writes the event in one statement: inside the caller's transaction if there is one,
    /// else on its own, never waiting on another request's event (the sealer links events
    /// later, `AuditSealer`) and, on SQLite, holding the file only while it runs. The database
    /// numbers it (a sequence on PostgreSQL, which also stamps the writing transaction's id; on
    /// SQLite, whose writers take turns, one more than the last) and indexes the children it
    /// names (`audit_children`, by trigger: `SealAuditLog`).
    private static func append(_ event: AuditEvent, on db: any Database) async throws {
        let sql = db.sql
        let id = UUID()
        var columns = [
            "id", "occurred_at", "actor_id", "actor_email", "actor_roles", "action", "child_id", "episode_id", "outcome",
            "detail", "detail_digest", "named_children",
        ]
        var values: [any SQLExpression] = [
            SQLBind(id), SQLBind(event.occurredAt), SQLBind(event.actorID), SQLBind(event.actorEmail),
            SQLBind(event.actorRoles), SQLBind(event.action), SQLBind(event.childID), SQLBind(event.episodeID),
            SQLBind(event.outcome), SQLBind(event.detail), SQLBind(AuditFormat.digest(ofDetail: event.detail)),
            SQLBind(event.namedChildren),
        ]
        if sql.dialect.name != "postgresql" {
            columns.append("sequence")
            values.append(
                SQLSubquery.select {
                    $0.column(
                        SQLBinaryExpression(
                            SQLFunction(
                                "COALESCE", args: SQLFunction("MAX", args: SQLColumn("sequence")), SQLLiteral.numeric("0")),
                            .add, SQLLiteral.numeric("1"))
                    ).from("audit_events")
                })
        }
        try await sql.insert(into: AuditEvent.schema).columns(columns).values(values).run()
    }

    /// Everything recorded about one child (its episodes, and the searches and queues that
    /// showed it), oldest first: each by an index, never by reading entries' text.
    static func events(forChildren childIDs: [UUID], episodeIDs: [UUID], on db: any Database) async throws -> [AuditEvent] {
        try await trail(forChildren: childIDs, episodeIDs: episodeIDs, on: db.sql).all()
            .map(AuditSealer.event(from:))
    }

    /// How many events a child's trail holds, read as `events` reads them: what
    /// `ecaf-dev bench-audit` times at national size.
    package static func trailLength(forChildren childIDs: [UUID], episodeIDs: [UUID], on db: any Database) async throws
        -> Int
    {
        try await events(forChildren: childIDs, episodeIDs: episodeIDs, on: db).count
    }

    /// The statement `events` runs: the ids from three indexes (events about the child, the
    /// searches and queues naming it, events about its episodes), then those events by their
    /// key, so its cost grows with the child's own trail, not with the log
    /// (`aChildsTrailIsReadByIndexesNotAScanOfTheLog`). One statement: a child named in a
    /// hundred thousand searches reads like any other.
    /// The trail's statement as an expression, to time or explain.
    package static func trailStatement(forChildren childIDs: [UUID], episodeIDs: [UUID], on sql: any SQLDatabase)
        -> any SQLExpression
    {
        trail(forChildren: childIDs, episodeIDs: episodeIDs, on: sql).query
    }

    static func trail(forChildren childIDs: [UUID], episodeIDs: [UUID], on sql: any SQLDatabase) -> SQLSelectBuilder {
        let children = SQLKit.SQLList(childIDs.map { SQLBind($0) })
        var sources: [SQLQueryString] = [
            "SELECT id FROM audit_events WHERE child_id IN (\(children))",
            "SELECT event_id FROM audit_children WHERE child_id IN (\(children))",
        ]
        if !episodeIDs.isEmpty {
            sources.append("SELECT id FROM audit_events WHERE episode_id IN (\(SQLKit.SQLList(episodeIDs.map { SQLBind($0) })))")
        }
        return sql.select().columns(AuditSealer.eventColumns.map { SQLColumn($0) }).from(AuditEvent.schema)
            .where(SQLQueryString("id IN (\(sources.joined(separator: " UNION ")))")).orderBy("sequence")
    }
}
