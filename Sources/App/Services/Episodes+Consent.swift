import CAFCore
import Fluent
import SQLKit
import Vapor

extension Episodes {
    /// Shares the episode with a named practitioner, within the family's consent: on team
    /// version `basedOn` if given (412 if the team changed since), or the team as it is now
    /// (adding a member replaces nothing). With the team's version after it.
    static func share(_ id: UUID, withEmail email: String, basedOn: Int?, by signedIn: SignedIn, on db: any Database)
        async throws -> (EpisodeShare, Practitioner, teamVersion: Int)
    {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard !address.isEmpty else {
            throw AppError.invalid(field: "practitionerEmail", "Enter the practitioner’s e-mail address")
        }
        guard
            let target = try await Practitioner.query(on: db).filter(\.$email == address).with(\.$organisation).first(),
            !target.disabled, AccessPolicy.worksWithCases(target.roles)
        else {
            throw AppError.invalid(
                field: "practitionerEmail", "No practitioner who works with children has the e-mail address \(address)")
        }
        let authorised = try await Access.episode(id, .share(with: target.organisation?.agencyType), by: signedIn, on: db)
        let decidedOn = try await StateChange.teamVersion(sent: basedOn, read: authorised.episode, on: db)
        if let existing = try await EpisodeShare.query(on: db).filter(\.$episode.$id == id)
            .filter(\.$practitioner.$id == target.id!).first()
        {
            return (existing, target, decidedOn)
        }
        guard target.id != authorised.episode.$author.id else {
            throw AppError.invalid(field: "practitionerEmail", "\(target.name) already leads this episode’s team as its author")
        }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(id, on: db)
            let teamVersion = try await StateChange.changeTeam(of: id, basedOn: decidedOn, by: signedIn.id, on: db)
            let share = EpisodeShare(episodeID: id, practitionerID: target.id!, sharedByID: signedIn.id, sharedAt: Date())
            try await share.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .shareEpisode, child: authorised.child.id, episode: id,
                detail: "with=\(Audit.typed(target.email))")
            return (share, target, teamVersion)
        }
    }

    /// Records consent given again with a new scope, withdrawn, or overridden in the public
    /// interest. The latest decision governs access from this moment. Consent given again is
    /// made on team version `basedOn` (nil: 428), so it never undoes a withdrawal made
    /// meanwhile (412). A withdrawal, which only narrows, and an override, made in the public
    /// interest whatever the family said, stand on the team as it is now unless their writer
    /// names a version; either way each moves the team on, so a change decided before it is
    /// refused.
    static func changeConsent(
        _ id: UUID, _ change: ConsentChange, basedOn: Int?, by signedIn: SignedIn, on db: any Database
    ) async throws -> (Consent, teamVersion: Int) {
        let problems = change.problems()
        let authorised = try await Access.episode(id, .changeConsent(change.kind), by: signedIn, on: db)
        let decidedOn = basedOn == nil ? nil : try await StateChange.teamVersion(sent: basedOn, read: authorised.episode, on: db)
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard basedOn != nil || change.kind != .given else { throw AppError.versionRequired }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(id, on: db)
            let teamVersion = try await StateChange.changeTeam(of: id, basedOn: decidedOn, by: signedIn.id, on: db)
            let now = Date()
            let consent: Consent
            if change.kind == .given, let record = change.record {
                consent = Consent(episodeID: id, record: record, recordedByID: signedIn.id, recordedAt: now)
            } else {
                // After the consent as it stands now, not as read before the episode was held.
                let current = try await Access.latestConsent(of: id, on: db) ?? authorised.consent
                consent = Consent(change.kind, reason: change.reason, after: current, recordedByID: signedIn.id, recordedAt: now)
            }
            try await consent.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .changeConsent, child: authorised.child.id, episode: id,
                detail: "kind=\(change.kind.rawValue) basis=\(authorised.basis.rawValue) reason=\(Audit.typed(change.reason))")
            return (consent, teamVersion)
        }
    }

    /// A refusal keeps only its note: no episode, no assessment.
    static func refuse(childID: UUID, _ refusal: ConsentRefusal, by signedIn: SignedIn, on db: any Database)
        async throws -> ConsentRefusalRecord
    {
        try await Access.requireIndex(.recordConsentRefusal, child: childID, by: signedIn, on: db)
        _ = try await Child.live(childID, on: db)
        let problems = refusal.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            let record = ConsentRefusalRecord(childID: childID, refusal: refusal, recordedByID: signedIn.id)
            try await record.create(on: db)
            try await Audit.record(on: db, by: signedIn, .recordConsentRefusal, child: childID)
            return record
        }
    }
}
