import CAFCore
import Vapor

struct TeamAPIController {
    /// GET /api/v1/episodes/{id}/team
    func team(req: Request) async throws -> Response {
        let (authorised, _) = try await Episodes.read(try req.id("episode"), by: try req.signedIn, on: req.db)
        let team = try await Teams.team(of: authorised.id, on: req.db)
        let shield = authorised.shield
        let response = try TeamDTO(
            episodeId: authorised.id, teamVersion: authorised.episode.teamVersion,
            practitioners: Teams.teamPractitioners(authorised.episode).map { ContactDTO($0, shield: shield) },
            familyMembers: team.familyMembers.map(FamilyMemberDTO.init),
            meetings: team.meetings.map { MeetingDTO($0, shield: shield) },
            leadProfessionals: team.leads.map { LeadProfessionalTermDTO($0, shield: shield) }
        ).json()
        return response.tagged(authorised.episode.teamVersion)
    }

    /// POST /api/v1/episodes/{id}/family-members
    func addFamilyMember(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(FamilyMemberRequest.self)
        let member = try await Teams.addFamilyMember(
            to: id, name: body.name, relationship: body.relationship, by: try req.signedIn, on: req.db)
        return try FamilyMemberDTO(member).json(.created)
    }

    /// POST /api/v1/episodes/{id}/meetings
    func scheduleMeeting(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(MeetingRequest.self)
        let signedIn = try req.signedIn
        let invitees: Set<UUID>
        if let chosen = body.invitees {
            invitees = Set(chosen)
        } else {
            let (authorised, _) = try await Episodes.read(id, by: signedIn, on: req.db)
            let family = try await Teams.team(of: id, on: req.db).familyMembers
            invitees = Set(Teams.teamPractitioners(authorised.episode).compactMap(\.id) + family.compactMap(\.id))
        }
        let meeting = try await Teams.scheduleMeeting(
            for: id, MeetingPlan(scheduledAt: body.scheduledAt, place: body.place), inviting: invitees, by: signedIn, on: req.db)
        let (authorised, loaded) = try await Teams.meeting(meeting.id!, by: signedIn, on: req.db)
        return try MeetingDTO(loaded, shield: authorised.shield).json(.created)
    }

    /// PUT /api/v1/episodes/{id}/meetings/{meetingId}/attendance
    func recordAttendance(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let meetingID = try req.id("meeting", parameter: "meetingId")
        let body = try await req.decodeJSON(AttendanceRequest.self)
        let signedIn = try req.signedIn
        _ = try await Teams.recordMeeting(
            meetingID, of: id, body.record, basedOn: try req.recordVersion(), by: signedIn, on: req.db)
        let (authorised, loaded) = try await Teams.meeting(meetingID, by: signedIn, on: req.db)
        let response = try MeetingDTO(loaded, shield: authorised.shield).json()
        return response.tagged(loaded.version)
    }

    /// POST /api/v1/episodes/{id}/lead-professional
    func changeLead(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(LeadProfessionalRequest.self)
        let signedIn = try req.signedIn
        let (term, teamVersion) = try await Teams.changeLead(
            of: id, to: body.practitionerEmail,
            LeadProfessionalChange(basis: body.basis, handoverNote: body.handoverNote ?? ""), meetingID: body.meetingId,
            basedOn: try req.recordVersion(), by: signedIn, on: req.db)
        let shield = try await Shielding.shield(forEpisode: id, to: signedIn, on: req.db)
        return try LeadProfessionalTermDTO(term, shield: shield).json(.created).tagged(teamVersion)
    }
}

extension TeamAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.team(.pattern).pattern, use: team)
        routes.post(APIURL.familyMembers(.pattern).pattern, use: addFamilyMember)
        routes.post(APIURL.meetings(.pattern).pattern, use: scheduleMeeting)
        routes.put(APIURL.meetingAttendance(episode: .pattern, meeting: .pattern).pattern, use: recordAttendance)
        routes.post(APIURL.leadProfessional(.pattern).pattern, use: changeLead)
    }
}
