import CAFCore
import Fluent
import Vapor

/// The phone-first safeguarding path: the LA's numbers first, then the call recorded and
/// its written follow-up tracked until it is sent.
enum SafeguardingCalls {
    /// The child and the LA whose children's social care to ring.
    static func contacts(for childID: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (Child, LocalAuthority) {
        try await Access.requireIndex(.recordSafeguardingCall, child: childID, by: signedIn, on: db)
        let child = try await Child.live(childID, withLocalAuthority: true, on: db)
        return (child, child.localAuthority)
    }

    /// The page with the child's LA's social care numbers names the child: a read, audited.
    static func showContacts(for childID: UUID, by signedIn: SignedIn, on db: any Database) async throws
        -> (Child, LocalAuthority)
    {
        let found = try await contacts(for: childID, by: signedIn, on: db)
        try await Audit.record(on: db, by: signedIn, .viewChild, child: childID, detail: "safeguarding numbers")
        return found
    }

    static func record(
        _ record: SafeguardingCallRecord, childID: UUID, episodeID: UUID?, preAssessmentID: UUID?, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> SafeguardingCall {
        let (child, localAuthority) = try await contacts(for: childID, by: signedIn, on: db)
        if let episodeID {
            let episode = try await Access.episode(episodeID, .read, by: signedIn, on: db)
            guard episode.child.id == childID else {
                throw AppError.invalid(field: "episodeId", "That episode is not this child’s")
            }
        }
        if let preAssessmentID {
            guard let checklist = try await PreAssessment.find(preAssessmentID, on: db), checklist.$child.id == childID else {
                throw AppError.invalid(field: "preAssessmentId", "That checklist is not this child’s")
            }
        }
        let problems = record.problems(now: Date())
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            let call = SafeguardingCall(
                record, childID: child.id!, episodeID: episodeID, preAssessmentID: preAssessmentID, callerID: signedIn.id,
                localAuthority: localAuthority)
            try await call.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordSafeguardingCall, child: child.id, episode: episodeID,
                detail: "advice=\(record.advice.rawValue) reference=\(Audit.typed(record.reference))")
            return call
        }
    }

    static func read(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> SafeguardingCall {
        let call = try await find(id, on: db)
        try await Access.require(
            AccessPolicy.mayReadSafeguardingCall(
                signedIn.actor, callerID: call.$caller.id, localAuthorityID: call.$localAuthority.id),
            else:
                "Safeguarding calls are seen only by the caller and the coordinators and safeguarding staff of the child’s local authority.",
            .viewSafeguardingCall, child: call.$child.id, detail: "call=\(id)", by: signedIn, on: db)
        try await Audit.record(on: db, by: signedIn, .viewSafeguardingCall, child: call.$child.id, detail: "call=\(id)")
        return call
    }

    static func recordFollowUp(_ id: UUID, sentAt: Date, by signedIn: SignedIn, on db: any Database) async throws
        -> SafeguardingCall
    {
        let call = try await find(id, on: db)
        try await Access.require(
            Access.mayRecordFollowUp(call, by: signedIn),
            else: "Only the caller or the local authority’s coordinator can record the written follow-up.", .recordFollowUp,
            child: call.$child.id, detail: "call=\(id)", by: signedIn, on: db)
        guard sentAt >= call.calledAt, sentAt <= Date().addingTimeInterval(5 * 60) else {
            throw AppError.invalid(field: "sentAt", "The follow-up must be sent after the call and not in the future")
        }
        guard call.followUpSentAt == nil else { return call }
        let recorded = AppError(status: .conflict, code: "follow-up-recorded", message: "The follow-up is recorded")
        do {
            return try await db.writeTransaction { db in
                // Recorded once: the first time recorded stands, whoever else records it at once.
                try await StateChange.apply(
                    "follow_up_sent_at = \(bind: sentAt)", to: SafeguardingCall.schema, id: id,
                    while: "follow_up_sent_at IS NULL", or: recorded, on: db)
                call.followUpSentAt = sentAt
                try await Audit.record(on: db, by: signedIn, .recordFollowUp, child: call.$child.id, detail: "call=\(id)")
                return call
            }
        } catch let error as AppError where error.code == recorded.code {
            return try await find(id, on: db)
        }
    }

    /// Calls for a worktray: the person's own calls, and for coordinators and safeguarding
    /// staff every call made to their LA; newest first.
    static func worktray(for signedIn: SignedIn, openOnly: Bool, reading read: ListRead, on db: any Database) async throws
        -> Paged<SafeguardingCall>
    {
        try await Access.requireIndex(.viewSafeguardingCall, by: signedIn, on: db)
        let query = SafeguardingCall.query(on: db).with(\.$child).with(\.$localAuthority)
            .with(\.$caller) { $0.with(\.$organisation) }
        if let la = AccessPolicy.coordinatedAuthority(signedIn.actor) ?? AccessPolicy.safeguardedAuthority(signedIn.actor) {
            query.group(.or) { $0.filter(\.$caller.$id == signedIn.id).filter(\.$localAuthority.$id == la) }
        } else {
            query.filter(\.$caller.$id == signedIn.id)
        }
        if openOnly { query.filter(\.$followUpSentAt == nil) }
        return try await query.sort(\.$calledAt, .descending).sort(\.$id).paged(read)
    }

    /// Every call made to the LA this person safeguards or coordinates (with their own),
    /// newest first; refused to anyone else.
    static func toLocalAuthority(for signedIn: SignedIn, reading read: ListRead, on db: any Database) async throws
        -> Paged<SafeguardingCall>
    {
        guard AccessPolicy.safeguardedAuthority(signedIn.actor) ?? AccessPolicy.coordinatedAuthority(signedIn.actor) != nil
        else {
            try await Access.refuse(
                "Only safeguarding staff and coordinators see every call to their local authority.", .viewSafeguardingCall,
                detail: "local-authority-calls", by: signedIn, on: db)
        }
        return try await worktray(for: signedIn, openOnly: false, reading: read, on: db)
    }

    private static func find(_ id: UUID, on db: any Database) async throws -> SafeguardingCall {
        guard
            let call = try await SafeguardingCall.query(on: db).filter(\.$id == id)
                .with(\.$child).with(\.$localAuthority).with(\.$caller, { $0.with(\.$organisation) }).first()
        else { throw AppError.notFound("safeguarding call") }
        return call
    }
}
