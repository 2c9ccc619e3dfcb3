import CAFCore
import Fluent
import Vapor

/// Decisions not to share. The duty to share information for safeguarding has one exception:
/// where sharing would be more detrimental to the child. Using it is a record, with a reason,
/// audited, and seen and counted by the coordinators of the child's LA.
enum SharingDecisions {
    struct New: Sendable {
        var withheld: String
        var withheldFrom: String
        var reason: String

        func problems() -> [FieldProblem] {
            var problems: [FieldProblem] = []
            for (field, text, limit, message) in [
                ("withheld", withheld, 1_000, "Say what you decided not to share"),
                ("withheldFrom", withheldFrom, 200, "Say who asked, or who would have been told"),
                ("reason", reason, 2_000, "Say why sharing would do the child more harm than not sharing"),
            ] {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty {
                    problems.append(.init(field: field, message: message))
                } else if trimmed.count > limit {
                    problems.append(.init(field: field, message: "Use \(limit) characters or fewer"))
                }
            }
            return problems
        }
    }

    static func record(_ new: New, childID: UUID, by signedIn: SignedIn, on db: any Database) async throws
        -> DecisionNotToShare
    {
        try await Access.requireIndex(.recordDecisionNotToShare, child: childID, by: signedIn, on: db)
        let child = try await Child.live(childID, on: db)
        let problems = new.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            let decision = DecisionNotToShare()
            decision.$child.id = childID
            decision.$localAuthority.id = child.$localAuthority.id
            decision.withheld = new.withheld.trimmingCharacters(in: .whitespacesAndNewlines)
            decision.withheldFrom = new.withheldFrom.trimmingCharacters(in: .whitespacesAndNewlines)
            decision.reason = new.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            decision.$decidedBy.id = signedIn.id
            decision.decidedAt = Date()
            try await decision.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordDecisionNotToShare, child: childID, detail: "decision=\(decision.id!)")
            return decision
        }
    }

    /// The LA's decisions for its coordinators, newest first (at most 200), with how many
    /// were made in the last 30 days; the read names each child in the audit.
    static func forCoordinator(_ signedIn: SignedIn, on db: any Database) async throws -> (
        decisions: [DecisionNotToShare], lastThirtyDays: Int
    ) {
        let la = try await Access.requireQueueAuthority(
            "decisions-not-to-share",
            refusal: "Decisions not to share are seen by the coordinators of the child’s local authority.", by: signedIn,
            on: db)
        let decisions = try await DecisionNotToShare.query(on: db).filter(\.$localAuthority.$id == la)
            .with(\.$child).with(\.$decidedBy) { $0.with(\.$organisation) }.sort(\.$decidedAt, .descending).limit(200).all()
        let since = Date().addingTimeInterval(-30 * 86_400)
        let recent = try await DecisionNotToShare.query(on: db).filter(\.$localAuthority.$id == la)
            .filter(\.$decidedAt >= since).count()
        try await Audit.queueRead("decision-not-to-share", children: decisions.map(\.$child.id), by: signedIn, on: db)
        return (decisions, recent)
    }
}
