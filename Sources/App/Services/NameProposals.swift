import CAFCore
import Fluent
import SQLKit
import Vapor

/// Corrections to a child's name from outside the child's team: proposed with a reason, decided
/// by a coordinator of the child's LA, and only then made. A name is how everyone finds the
/// child, so no one who does not know the child changes it on their word alone.
enum NameProposals {
    /// One pending proposal a person a child: asking again (a refreshed page, a second try)
    /// answers with the one already waiting, so the coordinator's queue is not flooded.
    static func propose(
        _ kind: NameKind, givenName: String, familyName: String, reason: String, for child: Child, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> NameProposal {
        try await db.writeTransaction { db in
            // The child's row held first: of proposals sent at once (a double click), one is made
            // and the others find it waiting.
            try await StateChange.lock(Child.schema, id: child.id!, on: db)
            if let waiting = try await NameProposal.query(on: db).filter(\.$child.$id == child.id!)
                .filter(\.$proposedBy.$id == signedIn.id).filter(\.$decision == .pending).first()
            {
                return waiting
            }
            let proposal = NameProposal()
            proposal.$child.id = child.id!
            proposal.$localAuthority.id = child.$localAuthority.id
            proposal.kind = kind
            (proposal.givenName, proposal.familyName, proposal.reason) = (givenName, familyName, reason)
            proposal.$proposedBy.id = signedIn.id
            proposal.proposedAt = Date()
            proposal.decision = .pending
            proposal.decisionNote = ""
            try await proposal.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .proposeChildName, child: child.id, detail: "proposal=\(proposal.id!) kind=\(kind.rawValue)"
            )
            return proposal
        }
    }

    /// Undecided proposals for the coordinators of the signed-in person's LA, oldest first; the
    /// read is audited, naming each child.
    /// With `refusingOthers` anyone but a coordinator is refused (the API's queue); without,
    /// they get an empty queue (the worktray shows every queue it may).
    static func queue(for signedIn: SignedIn, refusingOthers: Bool = false, on db: any Database) async throws
        -> [NameProposal]
    {
        guard
            let la = try await Access.queueAuthority(
                "name-proposal", refusal: "Name corrections are decided by coordinators.", refusing: refusingOthers,
                by: signedIn, on: db)
        else { return [] }
        let proposals = try await NameProposal.query(on: db).filter(\.$localAuthority.$id == la)
            .filter(\.$decision == .pending).with(\.$child).with(\.$proposedBy) { $0.with(\.$organisation) }
            .sort(\.$proposedAt).limit(200).all()
        try await Audit.queueRead("name-proposal", children: proposals.map(\.$child.id), by: signedIn, on: db)
        return proposals
    }

    /// One proposal, for the coordinators of the child's LA only; the refusal audited.
    static func find(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> NameProposal {
        guard
            let proposal = try await NameProposal.query(on: db).filter(\.$id == id).with(\.$child)
                .with(\.$proposedBy, { $0.with(\.$organisation) }).first()
        else { throw AppError.notFound("name proposal") }
        try await Access.require(
            AccessPolicy.mayDecideNameProposal(signedIn.actor, childLocalAuthorityID: proposal.$localAuthority.id),
            else: "Only the coordinators of the child’s local authority decide name corrections.", .decideChildName,
            child: proposal.$child.id, detail: "proposal=\(id)", by: signedIn, on: db)
        return proposal
    }

    /// Accepting makes the name (as if the coordinator had added it); refusing says why. Either
    /// way the proposal is kept with the decision.
    static func decide(_ id: UUID, accept: Bool, note: String, by signedIn: SignedIn, on db: any Database) async throws
        -> NameProposal
    {
        let proposal = try await find(id, by: signedIn, on: db)
        guard proposal.decision == .pending else {
            throw AppError(status: .conflict, code: "already-decided", message: "This correction has already been decided")
        }
        let why = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard accept || !why.isEmpty, why.count <= 1_000 else {
            throw AppError.invalid(
                field: "note", why.isEmpty ? "Say why the correction is refused" : "Keep the note to 1,000 characters or fewer")
        }
        let decision: NameProposal.Decision = accept ? .accepted : .refused
        return try await db.writeTransaction { db in
            // Only a pending proposal changes, and the UPDATE says whether it changed it: of two
            // decisions at once exactly one wins.
            let now = Date()
            let decided = try await db.sql.raw(
                """
                UPDATE name_proposals SET decision = \(bind: decision.rawValue), decided_by_id = \(bind: signedIn.id),
                    decided_at = \(bind: now), decision_note = \(bind: why)
                WHERE id = \(bind: id) AND decision = 'pending' RETURNING id
                """
            ).all()
            guard !decided.isEmpty else {
                throw AppError(status: .conflict, code: "already-decided", message: "This correction has already been decided")
            }
            // Read inside the decision, so a merge that landed first sends the name to the record kept.
            let child = try await Child.live(proposal.$child.id, on: db)
            if accept {
                _ = try await ChildIndex.record(
                    proposal.kind, givenName: proposal.givenName, familyName: proposal.familyName, of: child, by: signedIn, on: db
                )
                try await Audit.record(
                    on: db, by: signedIn, .recordChildName, child: child.id, detail: "\(proposal.kind.rawValue) proposal=\(id)")
            }
            (proposal.decision, proposal.$decidedBy.id, proposal.decidedAt, proposal.decisionNote) = (
                decision, signedIn.id, now, why
            )
            try await Audit.record(
                on: db, by: signedIn, .decideChildName, child: child.id, detail: "proposal=\(id) decision=\(decision.rawValue)")
            return proposal
        }
    }
}
