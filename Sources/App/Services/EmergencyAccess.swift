import CAFCore
import Fluent
import SQLKit
import Vapor

/// Access taken in an emergency, for a stated reason, that opens what would otherwise stay
/// closed: a break-glass grant (an episode) or a shield override (a child's whereabouts). Each
/// goes on the review queue of the coordinators of the child's LA at once and is reviewed once.
/// One queue, one find, one review and one page serve every kind.
protocol EmergencyAccess: Model where IDValue == UUID {
    static var kind: EmergencyAccessKind { get }
    /// The column `takenAt` is stored in, for the queue's order.
    static var takenAtKey: FieldKey { get }
    /// The query with what the queue and the page show: the holder with their organisation,
    /// and the child.
    static func withDetails(_ query: QueryBuilder<Self>) -> QueryBuilder<Self>
    var practitioner: Practitioner { get }
    var child: Child { get }
    var episodeID: UUID? { get }
    var localAuthorityID: UUID { get }
    var reason: String { get }
    var takenAt: Date { get }
    /// When it stops opening anything by itself, if that is a time (an override instead ends
    /// with the sign-in it was taken with).
    var until: Date? { get }
    var reviewedAt: Date? { get }
    var reviewNote: String { get }
}

/// What differs between the kinds of emergency access: names, the audit action, the page.
enum EmergencyAccessKind: String, Sendable {
    case breakGlass = "break-glass"
    case shieldOverride = "shield-override"

    /// "Review break-glass access", "Review a shield override".
    var title: String {
        switch self {
        case .breakGlass: "Review break-glass access"
        case .shieldOverride: "Review a shield override"
        }
    }

    var noun: String {
        switch self {
        case .breakGlass: "break-glass access"
        case .shieldOverride: "shield override"
        }
    }

    var reviewAction: AuditAction {
        switch self {
        case .breakGlass: .reviewBreakGlass
        case .shieldOverride: .reviewShieldOverride
        }
    }

    /// The audit detail naming one: "grant=…", "override=…".
    func detail(_ id: UUID) -> String {
        switch self {
        case .breakGlass: "grant=\(id)"
        case .shieldOverride: "override=\(id)"
        }
    }

    var question: String {
        switch self {
        case .breakGlass: "Was the access justified? What follows?"
        case .shieldOverride: "Was the override justified? What follows?"
        }
    }

    func page(_ id: UUID) -> SiteURL {
        switch self {
        case .breakGlass: .breakGlassGrant(id)
        case .shieldOverride: .shieldOverrideReview(id)
        }
    }

    func mayReview(_ actor: Actor, localAuthorityID: UUID) -> Bool {
        switch self {
        case .breakGlass: AccessPolicy.mayReviewBreakGlass(actor, localAuthorityID: localAuthorityID)
        case .shieldOverride: AccessPolicy.mayReviewShieldOverride(actor, childLocalAuthorityID: localAuthorityID)
        }
    }
}

/// The queue, find and review every kind of emergency access shares.
enum EmergencyAccessReviews {
    /// The longest review note kept.
    static let noteLimit = 2_000
    /// The most a queue shows at once, oldest first (the rest follow as these are reviewed).
    static let queueLimit = 200

    /// Those not yet reviewed in the coordinator's LA, oldest first; the read is audited on
    /// each child shown. With `refusingOthers` anyone else is refused (the API's queue);
    /// without, they get an empty queue (a worktray that shows every queue it may).
    static func queue<Item: EmergencyAccess>(
        _: Item.Type, for signedIn: SignedIn, refusingOthers: Bool = false, on db: any Database
    ) async throws -> [Item] {
        guard
            let la = try await Access.queueAuthority(
                Item.kind.rawValue, refusal: "The \(Item.kind.noun) review queue is for coordinators.",
                refusing: refusingOthers, by: signedIn, on: db)
        else { return [] }
        let items = try await Item.withDetails(Item.query(on: db)).filter("local_authority_id", .equal, la)
            .filter(.path(["reviewed_at"], schema: Item.schema), .equal, .null).sort(Item.takenAtKey).limit(queueLimit)
            .all()
        try await Audit.queueRead(Item.kind.rawValue, children: items.map { $0.child.id! }, by: signedIn, on: db)
        return items
    }

    /// One, for the coordinators of the child's LA only; anyone else is refused, audited.
    static func find<Item: EmergencyAccess>(_: Item.Type, _ id: UUID, by signedIn: SignedIn, on db: any Database)
        async throws -> Item
    {
        let item = try await loaded(Item.self, id, on: db)
        try await Access.require(
            Item.kind.mayReview(signedIn.actor, localAuthorityID: item.localAuthorityID),
            else: "Only the coordinators of the child’s local authority review a \(Item.kind.noun).", Item.kind.reviewAction,
            child: item.child.id, episode: item.episodeID, detail: Item.kind.detail(id), by: signedIn, on: db)
        return item
    }

    /// One, shown to a coordinator: found as above, and the read audited on its child.
    static func read<Item: EmergencyAccess>(_: Item.Type, _ id: UUID, by signedIn: SignedIn, on db: any Database)
        async throws -> Item
    {
        let item = try await find(Item.self, id, by: signedIn, on: db)
        try await Audit.record(
            on: db, by: signedIn, .viewReviewQueue, child: item.child.id, episode: item.episodeID,
            detail: Item.kind.detail(id))
        return item
    }

    /// Records the review once: one conditional UPDATE, so of two reviews at once exactly one
    /// is kept and the other is told it came second.
    static func review<Item: EmergencyAccess>(
        _: Item.Type, _ id: UUID, note: String, by signedIn: SignedIn, on db: any Database
    ) async throws -> Item {
        let item = try await find(Item.self, id, by: signedIn, on: db)
        let alreadyReviewed = AppError(
            status: .conflict, code: "already-reviewed", message: "This \(Item.kind.noun) has already been reviewed")
        guard item.reviewedAt == nil else { throw alreadyReviewed }
        let finding = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !finding.isEmpty else { throw AppError.invalid(field: "note", "Record what the review found") }
        guard finding.count <= noteLimit else {
            throw AppError.invalid(field: "note", "Keep the review to \(noteLimit) characters or fewer")
        }
        try await db.writeTransaction { db in
            let reviewed = try await db.sql.raw(
                """
                UPDATE \(ident: Item.schema) SET reviewed_by_id = \(bind: signedIn.id), reviewed_at = \(bind: Date()),
                    review_note = \(bind: finding)
                WHERE id = \(bind: id) AND reviewed_at IS NULL RETURNING id
                """
            ).all()
            guard !reviewed.isEmpty else { throw alreadyReviewed }
            try await Audit.record(
                on: db, by: signedIn, Item.kind.reviewAction, child: item.child.id, episode: item.episodeID,
                detail: Item.kind.detail(id))
        }
        return try await loaded(Item.self, id, on: db)
    }

    /// One with what its page and its response show, loaded.
    static func loaded<Item: EmergencyAccess>(_: Item.Type, _ id: UUID, on db: any Database) async throws -> Item {
        guard let item = try await Item.withDetails(Item.query(on: db)).filter(.id, .equal, id).first() else {
            throw AppError.notFound(Item.kind.noun)
        }
        return item
    }
}

extension BreakGlassGrant: EmergencyAccess {
    static var kind: EmergencyAccessKind { .breakGlass }
    static var takenAtKey: FieldKey { "granted_at" }
    static func withDetails(_ query: QueryBuilder<BreakGlassGrant>) -> QueryBuilder<BreakGlassGrant> {
        query.with(\.$practitioner) { $0.with(\.$organisation) }.with(\.$episode) { $0.with(\.$child) }
    }
    var child: Child { episode.child }
    var episodeID: UUID? { $episode.id }
    var localAuthorityID: UUID { $localAuthority.id }
    var takenAt: Date { grantedAt }
    var until: Date? { expiresAt }
}

extension ShieldOverride: EmergencyAccess {
    static var kind: EmergencyAccessKind { .shieldOverride }
    static var takenAtKey: FieldKey { "taken_at" }
    static func withDetails(_ query: QueryBuilder<ShieldOverride>) -> QueryBuilder<ShieldOverride> {
        query.with(\.$practitioner) { $0.with(\.$organisation) }.with(\.$child)
    }
    var episodeID: UUID? { nil }
    var localAuthorityID: UUID { $localAuthority.id }
    var until: Date? { nil }
}
