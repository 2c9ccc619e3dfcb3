import CAFCore
import Vapor

/// Team-around-the-child pages: members, meetings and attendance, the lead professional.
struct TeamController {
    func show(req: Request) async throws -> Response {
        try await page(req, notice: nil).render(PageContext(req)).response()
    }

    func addFamilyMember(req: Request) async throws -> Response {
        let form = FormFields(req)
        return try await respond(req, form: form, notice: "Family member added") { signedIn, id in
            _ = try await Teams.addFamilyMember(
                to: id, name: form["name"], relationship: form["relationship"], by: signedIn, on: req.db)
        }
    }

    func scheduleMeeting(req: Request) async throws -> Response {
        let form = FormFields(req)
        return try await respond(req, form: form, notice: "Meeting planned") { signedIn, id in
            guard
                let at = Format.londonDate(
                    day: form["scheduledAt-day"], month: form["scheduledAt-month"], year: form["scheduledAt-year"],
                    time: form["scheduledAtTime"])
            else {
                throw AppError.invalid(field: "scheduledAt", "Enter the meeting’s date and time, for example 2 12 2026 and 15:30")
            }
            _ = try await Teams.scheduleMeeting(
                for: id, MeetingPlan(scheduledAt: at, place: form["place"]),
                inviting: Set(form.all("invitees[]").compactMap { UUID(uuidString: $0) }), by: signedIn, on: req.db)
        }
    }

    func changeLead(req: Request) async throws -> Response {
        let form = FormFields(req)
        return try await respond(req, form: form, notice: "Lead professional saved") { signedIn, id in
            // A team member is chosen by id, so the page never carries their e-mail address (which
            // can say where a shielded child is seen); anyone else by the address typed.
            let other = form["otherEmail"].trimmingCharacters(in: .whitespaces)
            let chosen = try await Teams.practitioner(form["practitionerId"], on: req.db)
            let email = other.isEmpty ? chosen?.email ?? "" : other
            guard !email.isEmpty else { throw AppError.invalid(field: "practitionerId", "Choose who will lead") }
            do {
                _ = try await Teams.changeLead(
                    of: id, to: email,
                    LeadProfessionalChange(
                        basis: LeadProfessionalBasis(rawValue: form["basis"]) ?? .agreedAtMeeting,
                        handoverNote: form["handoverNote"]),
                    meetingID: UUID(uuidString: form["meetingId"]), basedOn: Int(form["teamVersion"]) ?? 0, by: signedIn,
                    on: req.db)
            } catch let error as AppError {
                guard other.isEmpty, let chosen else { throw error.renaming("practitionerEmail", to: "otherEmail") }
                throw error.renaming("practitionerEmail", to: "practitionerId", hiding: (email, chosen.name))
            }
        }
    }

    func meeting(req: Request) async throws -> Response {
        var page = try await meetingPage(req)
        if page.mayRecord && !page.meeting.held {
            page.editingSession = try await TimeSpent.startEditing(
                .meetings, episode: page.authorised.id, by: try req.signedIn, on: req.db)
        }
        return page.render(PageContext(req)).response()
    }

    func recordMeeting(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let form = FormFields(req)
        var page = try await meetingPage(req)
        try await TimeSpent.mark(form["editingSession"], ping: false, by: signedIn, on: req.db)
        page.editingSession = UUID(uuidString: form["editingSession"])
        var attendance: [UUID: Attendance] = [:]
        for invitation in page.meeting.invitations {
            attendance[invitation.id!] =
                Attendance(rawValue: form["attendance.\(invitation.id!.uuidString.lowercased())"]) ?? .invited
        }
        do {
            _ = try await Teams.recordMeeting(
                page.meeting.id!, of: page.authorised.id,
                MeetingRecord(attendance: attendance, minutes: form["minutes"], decisions: form["decisions"]),
                basedOn: Int(form["version"]) ?? 0, by: signedIn, on: req.db)
            return req.redirect(to: SiteURL.meeting(page.meeting.id!).path)
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            // Recorded by someone else meanwhile: shown above the form, what was typed kept.
            page.problems = error.problems.isEmpty ? [FieldProblem(field: "minutes", message: error.message)] : error.problems
            page.typed = form.values
            if error.status == .preconditionFailed {
                // The record as it is now (this page was read before the attempt).
                page = MeetingPage(
                    authorised: page.authorised, meeting: try await Teams.meeting(page.meeting.id!, by: signedIn, on: req.db).1,
                    mayRecord: page.mayRecord, problems: page.problems, typed: page.typed,
                    editingSession: page.editingSession, resending: true)
            }
            return page.render(PageContext(req)).response(error.status == .preconditionFailed ? .conflict : error.status)
        }
    }

    private func meetingPage(_ req: Request) async throws -> MeetingPage {
        let signedIn = try req.signedIn
        let (authorised, found) = try await Teams.meeting(try req.id("meeting"), by: signedIn, on: req.db)
        return MeetingPage(
            authorised: authorised, meeting: found,
            mayRecord: Access.may(.coordinate, authorised, by: signedIn))
    }

    /// Runs a change and shows the team page again: with a notice, or with the problems
    /// and what was typed.
    private func respond(
        _ req: Request, form: FormFields, notice: String, _ change: (SignedIn, UUID) async throws -> Void
    ) async throws -> Response {
        do {
            try await change(try req.signedIn, try req.id("episode"))
            return try await page(req, notice: notice).render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            // The team as it is now, what was typed kept; a change made meanwhile (only a
            // lead's can be) is named above it.
            var page = try await page(req, notice: nil)
            let stale = error.status == .preconditionFailed
            page.problems = stale ? [FieldProblem(field: "practitionerId", message: error.message)] : error.problems
            page.typed = form.values
            // Shown the change made meanwhile, the writer decides again on the team as it is
            // now; after any other problem the form keeps the version it was opened at.
            if stale { page.typed["teamVersion"] = nil }
            return page.render(PageContext(req)).response(stale ? .conflict : .unprocessableEntity)
        }
    }

    private func page(_ req: Request, notice: String?) async throws -> TeamPage {
        let signedIn = try req.signedIn
        let (authorised, _) = try await Episodes.read(try req.id("episode"), by: signedIn, on: req.db)
        return TeamPage(
            authorised: authorised, team: try await Teams.team(of: authorised.id, on: req.db),
            practitioners: Teams.teamPractitioners(authorised.episode),
            mayCoordinate: Access.may(.coordinate, authorised, by: signedIn),
            isCoordinator: authorised.basis == .coordinator, notice: notice)
    }
}

extension TeamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.team(.pattern).pattern, use: show)
        routes.post(SiteURL.familyMembers(.pattern).pattern, use: addFamilyMember)
        routes.post(SiteURL.meetings(.pattern).pattern, use: scheduleMeeting)
        routes.post(SiteURL.leadProfessional(.pattern).pattern, use: changeLead)
        routes.get(SiteURL.meeting(.pattern).pattern, use: meeting)
        routes.post(SiteURL.meeting(.pattern).pattern, use: recordMeeting)
    }
}
