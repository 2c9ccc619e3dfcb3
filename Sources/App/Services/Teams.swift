import CAFCore
import Fluent
import Vapor

/// The team around the child: family members, TAC meetings and attendance, and the lead
/// professional (one at a time, with every handover kept).
enum Teams {
    /// The practitioner a form chose by id; nil for anything else.
    static func practitioner(_ id: String, on db: any Database) async throws -> Practitioner? {
        guard let id = UUID(uuidString: id) else { return nil }
        return try await Practitioner.find(id, on: db)
    }

    struct Team {
        let familyMembers: [FamilyMember]
        let meetings: [TACMeeting]
        let leads: [LeadProfessionalTerm]
    }

    /// Everything about the team, for an episode already authorised to read.
    static func team(of episodeID: UUID, on db: any Database) async throws -> Team {
        Team(
            familyMembers: try await FamilyMember.query(on: db).filter(\.$episode.$id == episodeID).sort(\.$addedAt).all(),
            meetings: try await TACMeeting.query(on: db).filter(\.$episode.$id == episodeID).with(\.$invitations)
                .sort(\.$scheduledAt).all(),
            leads: try await LeadProfessionalTerm.query(on: db).filter(\.$episode.$id == episodeID).with(\.$practitioner)
                .sort(\.$startedAt).all())
    }

    static func addFamilyMember(
        to episodeID: UUID, name: String, relationship: String, by signedIn: SignedIn, on db: any Database
    ) async throws -> FamilyMember {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        var problems: [FieldProblem] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "name", message: "Enter the family member’s name"))
        }
        if relationship.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "relationship", message: "Enter their relationship to the child"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            let member = FamilyMember(episodeID: episodeID, name: name, relationship: relationship, addedByID: signedIn.id)
            try await member.create(on: db)
            try await Audit.record(on: db, by: signedIn, .addFamilyMember, child: authorised.child.id, episode: episodeID)
            return member
        }
    }

    /// Plans a meeting and invites the chosen team members (practitioners and family).
    static func scheduleMeeting(
        for episodeID: UUID, _ plan: MeetingPlan, inviting invitees: Set<UUID>, by signedIn: SignedIn, on db: any Database
    ) async throws -> TACMeeting {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        var problems = plan.problems()
        let practitioners = teamPractitioners(authorised.episode).filter { invitees.contains($0.id!) }
        let family = try await FamilyMember.query(on: db).filter(\.$episode.$id == episodeID).all()
            .filter { invitees.contains($0.id!) }
        if practitioners.count + family.count != invitees.count {
            problems.append(.init(field: "invitees", message: "Invite only people on the team around the child"))
        } else if invitees.isEmpty {
            problems.append(.init(field: "invitees", message: "Choose who to invite"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            let meeting = TACMeeting(episodeID: episodeID, plan: plan, createdByID: signedIn.id)
            try await meeting.create(on: db)
            for practitioner in practitioners {
                try await TACInvitation(meetingID: meeting.id!, practitioner: practitioner).create(on: db)
            }
            for member in family { try await TACInvitation(meetingID: meeting.id!, familyMember: member).create(on: db) }
            try await Audit.record(
                on: db, by: signedIn, .scheduleMeeting, child: authorised.child.id, episode: episodeID,
                detail: "meeting=\(meeting.id!) invited=\(invitees.count)")
            return meeting
        }
    }

    /// Records that a meeting was held: who came, the minutes and the decisions.
    /// Records who came, the minutes and the decisions, on the version the writer read
    /// (`basedOn`; nil: 428); recorded by someone else since, nothing is saved (412).
    static func recordMeeting(
        _ meetingID: UUID, of episodeID: UUID, _ record: MeetingRecord, basedOn: Int?, by signedIn: SignedIn,
        on db: any Database
    ) async throws -> TACMeeting {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        let meeting = try await meeting(meetingID, of: episodeID, on: db)
        guard meeting.scheduledAt <= Date().addingTimeInterval(3600) else {
            throw AppError.invalid(field: "meeting", "A meeting can be recorded once it has taken place")
        }
        let problems = record.problems(invitees: meeting.invitations.compactMap(\.id))
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard let basedOn else { throw AppError.versionRequired }
        return try await db.writeTransaction { db in
            try await StateChange.requireOpen(episodeID, on: db)
            try await StateChange.lock(TACMeeting.schema, id: meetingID, on: db)
            let meeting = try await self.meeting(meetingID, of: episodeID, on: db)
            guard meeting.version == basedOn else {
                let by = try await meeting.$updatedBy.get(on: db)
                throw AppError.stale("meeting’s record", by: by, at: meeting.updatedAt, now: meeting.version)
            }
            for invitation in meeting.invitations {
                invitation.attendance = record.attendance[invitation.id!] ?? invitation.attendance
                try await invitation.save(on: db)
            }
            meeting.held = true
            meeting.minutes = record.minutes
            meeting.decisions = record.decisions
            meeting.recordedAt = Date()
            (meeting.version, meeting.$updatedBy.id, meeting.updatedAt) = (meeting.version + 1, signedIn.id, Date())
            try await meeting.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordMeeting, child: authorised.child.id, episode: episodeID,
                detail: "meeting=\(meetingID)")
            return meeting
        }
    }

    /// Makes `email`'s practitioner the lead professional, ending the current lead's term: on
    /// team version `basedOn` (nil: 428), so a lead agreed meanwhile is never replaced unseen
    /// (412).
    static func changeLead(
        of episodeID: UUID, to email: String, _ change: LeadProfessionalChange, meetingID: UUID?, basedOn: Int?,
        by signedIn: SignedIn, on db: any Database
    ) async throws -> (LeadProfessionalTerm, teamVersion: Int) {
        let authorised = try await Access.episode(episodeID, .coordinate, by: signedIn, on: db)
        let episode = authorised.episode
        let decidedOn = try await StateChange.teamVersion(sent: basedOn, read: episode, on: db)
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard
            let target = try await Practitioner.query(on: db).filter(\.$email == address).with(\.$organisation).first(),
            !target.disabled, AccessPolicy.worksWithCases(target.roles), target.organisation != nil
        else {
            throw AppError.invalid(
                field: "practitionerEmail", "No practitioner who works with children has the e-mail address \(address)")
        }
        var problems = change.problems(
            hasCurrentLead: episode.leadProfessional != nil, byCoordinator: authorised.basis == .coordinator)
        if target.id == episode.$leadProfessional.id {
            problems.append(.init(field: "practitionerEmail", message: "\(target.name) is already the lead professional"))
        }
        let isTeam = teamPractitioners(episode).contains { $0.id == target.id }
        if !isTeam && !Access.facts(of: authorised).consent.coversSharing(with: target.organisation?.agencyType) {
            problems.append(
                .init(
                    field: "practitionerEmail",
                    message: "The family’s consent does not cover sharing with \(target.name)’s service"))
        }
        if let meetingID {
            let meeting = try await self.meeting(meetingID, of: episodeID, on: db)
            if !meeting.held {
                problems.append(.init(field: "meetingId", message: "Record the meeting before agreeing a lead at it"))
            }
        } else if change.basis == .agreedAtMeeting {
            problems.append(.init(field: "meetingId", message: "Say at which TAC meeting the lead professional was agreed"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard basedOn != nil else { throw AppError.versionRequired }
        return try await db.writeTransaction { db in
            // Changes at once take turns: the first moves the team on, the rest find it moved.
            try await StateChange.requireOpen(episodeID, on: db)
            let teamVersion = try await StateChange.changeTeam(
                of: episodeID, basedOn: decidedOn, by: signedIn.id, on: db)
            let now = Date()
            for current in try await LeadProfessionalTerm.query(on: db).filter(\.$episode.$id == episodeID)
                .filter(\.$endedAt == nil).all()
            {
                current.endedAt = now
                try await current.save(on: db)
            }
            let term = LeadProfessionalTerm(
                episodeID: episodeID, practitioner: target, change: change, meetingID: meetingID, assignedByID: signedIn.id,
                at: now)
            try await term.create(on: db)
            episode.$leadProfessional.id = target.id
            try await episode.save(on: db)
            let shared =
                try await EpisodeShare.query(on: db).filter(\.$episode.$id == episodeID)
                .filter(\.$practitioner.$id == target.requireID()).count() > 0
            if !isTeam && !shared {
                try await EpisodeShare(episodeID: episodeID, practitionerID: target.id!, sharedByID: signedIn.id, sharedAt: now)
                    .create(on: db)
            }
            try await Audit.record(
                on: db, by: signedIn, .changeLeadProfessional, child: authorised.child.id, episode: episodeID,
                detail: "lead=\(Audit.typed(target.email)) basis=\(change.basis.rawValue)")
            return (term, teamVersion)
        }
    }

    /// Open episodes of the coordinator's LA with a TAC meeting held but no lead
    /// professional: theirs to resolve, oldest first. Refused to anyone else.
    static func needingALead(for signedIn: SignedIn, reading read: ListRead, on db: any Database) async throws -> Paged<Episode> {
        guard let localAuthorityID = AccessPolicy.coordinatedAuthority(signedIn.actor) else {
            try await Access.refuse(
                "Only a coordinator sees the episodes of their local authority that need a lead professional.", .viewEpisode,
                detail: "needing-a-lead-list", by: signedIn, on: db)
        }
        return try await Episode.query(on: db)
            .join(TACMeeting.self, on: \Episode.$id == \TACMeeting.$episode.$id)
            .filter(TACMeeting.self, \.$held == true)
            .filter(\.$localAuthority.$id == localAuthorityID).filter(\.$status == .open)
            .filter(\.$leadProfessional.$id == nil)
            .unique().fields(for: Episode.self)
            .with(\.$child).sort(\.$openedAt).sort(\.$id).paged(read)
    }

    /// A meeting with its episode, for anyone who may read the episode.
    static func meeting(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (AuthorisedEpisode, TACMeeting) {
        guard let found = try await TACMeeting.query(on: db).filter(\.$id == id).with(\.$invitations).first() else {
            throw AppError.notFound("meeting")
        }
        let (authorised, _) = try await Episodes.read(found.$episode.id, by: signedIn, on: db)
        return (authorised, found)
    }

    /// TAC meetings this person is invited to that are not yet recorded as held: coming up,
    /// or waiting for their attendance to be recorded.
    static func meetingsToAttend(for signedIn: SignedIn, on db: any Database) async throws -> [TACMeeting] {
        try await TACMeeting.query(on: db)
            .join(TACInvitation.self, on: \TACMeeting.$id == \TACInvitation.$meeting.$id)
            .filter(TACInvitation.self, \.$practitioner.$id == signedIn.id)
            .filter(\.$held == false)
            .fields(for: TACMeeting.self)
            .with(\.$episode) { $0.with(\.$child) }
            .sort(\.$scheduledAt).limit(50).all()
    }

    static func teamPractitioners(_ episode: Episode) -> [Practitioner] { [episode].involved }

    private static func meeting(_ id: UUID, of episodeID: UUID, on db: any Database) async throws -> TACMeeting {
        guard
            let meeting = try await TACMeeting.query(on: db).filter(\.$id == id).filter(\.$episode.$id == episodeID)
                .with(\.$invitations).first()
        else { throw AppError.notFound("meeting") }
        return meeting
    }
}
