import CAFCore
import Vapor

/// Episode pages: the episode, its assessment form and read-only view, and sharing.
struct EpisodeController {
    /// The episode; someone outside its team is told whom to contact and may ask to join.
    func show(req: Request) async throws -> Response {
        do {
            return try await page(req).render(PageContext(req)).response()
        } catch let error as AppError where error.denial == .notInTeam {
            // The refusal, audited by Access, shown with the way to ask to join.
            return JoinTeamPage(episodeID: try req.id("episode"), message: error.message).render(PageContext(req)).response(
                error.status)
        }
    }

    func share(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let id = try req.id("episode")
        let form = FormFields(req)
        let email = form["practitionerEmail"]
        let openedAt = Int(form["teamVersion"]) ?? 0
        do {
            let (_, practitioner, _) = try await Episodes.share(id, withEmail: email, basedOn: openedAt, by: signedIn, on: req.db)
            var page = try await page(req)
            page.notice = "Shared with \(practitioner.name)"
            return page.render(PageContext(req)).response()
        } catch let error as AppError
            where !error.problems.isEmpty || error.status == .forbidden || error.status == .preconditionFailed
        {
            var page = try await page(req)
            page.shareEmail = email
            if error.status != .preconditionFailed { page.openedAtTeamVersion = openedAt }
            page.problems = error.problems.isEmpty ? [.init(field: "practitionerEmail", message: error.message)] : error.problems
            return page.render(PageContext(req)).response(error.status == .preconditionFailed ? .conflict : error.status)
        }
    }

    /// One form posts every consent change; `kind` says which.
    func changeConsent(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let id = try req.id("episode")
        let form = FormFields(req)
        let kind = ConsentKind(rawValue: form["kind"]) ?? .given
        var change = ConsentChange(kind: kind, reason: form["\(kind.rawValue)-reason"])
        if kind == .given {
            guard let current = try await Access.latestConsent(of: id, on: req.db) else { throw AppError.notFound("episode") }
            change.record = ConsentRecord(
                givenBy: current.givenBy, name: current.name, relationship: current.relationship, method: current.method,
                scope: ConsentScope(
                    store: true, shareWithAgencyTypes: Set(form.all("shareWithAgencyTypes[]").compactMap(AgencyType.init))))
        }
        do {
            // A withdrawal or an override stands whatever changed since the page was opened;
            // consent given again is made on the team as the page showed it.
            _ = try await Episodes.changeConsent(
                id, change, basedOn: kind == .given ? Int(form["teamVersion"]) ?? 0 : nil, by: signedIn, on: req.db)
            var page = try await page(req)
            page.notice =
                switch kind {
                case .given: "What may be shared has changed"
                case .withdrawn: "Consent withdrawal recorded: sharing has stopped and the record is frozen"
                case .override: "Override recorded: this episode may be shared in the public interest"
                }
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            var page = try await page(req)
            let stale = error.status == .preconditionFailed
            page.problems =
                stale
                ? [FieldProblem(field: "\(kind.rawValue)-reason", message: error.message)]
                : error.problems.map { FieldProblem(field: "\(kind.rawValue)-\($0.field)", message: $0.message) }
            page.consentReasons[kind] = form["\(kind.rawValue)-reason"]
            if !stale { page.openedAtTeamVersion = Int(form["teamVersion"]) }
            return page.render(PageContext(req)).response(stale ? .conflict : .unprocessableEntity)
        }
    }

    func edit(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let (authorised, assessment) = try await Episodes.assessment(of: try req.id("episode"), by: signedIn, on: req.db)
        // Someone who may only read it (or a completed version) is shown it to read: only its
        // writers are shown to each other as writing.
        guard assessment.status == .draft, Access.may(.write, authorised, by: signedIn) else {
            return req.redirect(to: SiteURL.assessment(episode: authorised.id).path)
        }
        let session = try await TimeSpent.startEditing(
            .assessmentWriting, episode: authorised.id, assessment: assessment.id, by: signedIn, on: req.db)
        var page = AssessmentFormPage(
            authorised: authorised, assessment: assessment, content: try assessment.content(try req.secrets),
            revisions: assessment.revisions, editingSession: session)
        page.othersEditing = try await TimeSpent.othersEditing(try assessment.requireID(), besides: signedIn, on: req.db)
        return page.render(PageContext(req)).response()
    }

    /// Saves on the revisions the form was opened at. Saved since by someone else where this
    /// person wrote too, the form comes back merged (409): their words and these side by side,
    /// on the new revisions, nothing saved until it is sent again.
    func save(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let id = try req.id("episode")
        let form = FormFields(req)
        let content = AssessmentContent(fields: form.values)
        let complete = form["intent"] == "complete"
        // A form without its revisions (opened before they were kept) is treated as stale.
        let basedOn = AssessmentRevisions(etag: form["revisions"]) ?? AssessmentRevisions(version: 0)
        let editingSession = UUID(uuidString: form["editingSession"])
        try await TimeSpent.mark(form["editingSession"], ping: false, by: signedIn, on: req.db)
        do {
            _ = try await Episodes.saveAssessment(
                of: id, content: content, basedOn: basedOn, complete: complete, by: signedIn, keys: try req.secrets,
                on: req.db)
            return req.redirect(to: complete ? SiteURL.assessment(episode: id).path : SiteURL.episode(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            let (authorised, assessment) = try await Episodes.assessment(of: id, by: signedIn, on: req.db)
            return AssessmentFormPage(
                authorised: authorised, assessment: assessment, content: content, revisions: basedOn,
                problems: error.problems.map { Self.formField($0, content) }, editingSession: editingSession
            ).render(PageContext(req)).response(.unprocessableEntity)
        } catch let conflict as AssessmentConflict {
            let (authorised, assessment) = try await Episodes.assessment(of: id, by: signedIn, on: req.db)
            let merge = AssessmentMerge(
                base: conflict.base, mine: authorised.shield.content(content), theirs: conflict.saved)
            var page = AssessmentFormPage(
                authorised: authorised, assessment: assessment, content: merge.merged, revisions: conflict.revisions,
                editingSession: editingSession)
            page.conflict = (conflict.changes, merge.conflicts)
            return page.render(PageContext(req)).response(.conflict)
        }
    }

    func recordTime(req: Request) async throws -> Response {
        let form = FormFields(req)
        let entry = TimeEntry(
            activity: Activity(rawValue: form["time-activity"]),
            minutes: Int(form["time-minutes"].trimmingCharacters(in: .whitespaces)),
            on: form["time-on"].isEmpty ? CalendarDate.iso(Date()) : form["time-on"].trimmingCharacters(in: .whitespaces))
        do {
            _ = try await TimeSpent.record(entry, on: try req.id("episode"), by: try req.signedIn, on: req.db)
            var page = try await page(req)
            page.notice = "Time recorded"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await page(req)
            page.problems = error.problems.map { FieldProblem(field: "time-\($0.field)", message: $0.message) }
            page.typedTime = ["time-activity", "time-minutes", "time-on"].reduce(into: [:]) { $0[$1] = form[$1] }
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    /// POST /editing-sessions/{id}/ping: the form is being worked on. Answers who else is
    /// writing the assessment now, for the script to show.
    func ping(req: Request) async throws -> Response {
        let session = req.parameters.get("id") ?? ""
        let signedIn = try req.signedIn
        // Who else is writing, asked first: a writer of an assessment who may no longer write
        // it (the episode closed, consent withdrawn, no longer its lead) is refused before the
        // ping marks them as writing.
        let others = try await TimeSpent.othersEditing(session: session, by: signedIn, on: req.db)
        try await TimeSpent.mark(session, ping: true, field: FormFields(req)["field"], by: signedIn, on: req.db)
        guard let others else { return Response(status: .noContent) }
        return try Presence(
            othersEditing: others.map(\.name), text: EditingPresence.text(others), parts: EditingPresence.byPart(others)
        ).json()
    }

    /// The ping's answer: who else is writing, the sentence above the form, and each part's.
    struct Presence: Encodable {
        let othersEditing: [String]
        let text: String
        let parts: [String: String]
    }

    func close(req: Request) async throws -> Response {
        let form = FormFields(req)
        return try await respond(req, prefix: "close", notice: "Episode closed") { signedIn, id in
            guard let reason = ClosureReason(rawValue: form["close-reason"]) else {
                throw AppError.invalid(field: "reason", "Choose why the episode is closing")
            }
            _ = try await Closures.close(id, EpisodeClosure(reason: reason, note: form["close-note"]), by: signedIn, on: req.db)
        }
    }

    func reopen(req: Request) async throws -> Response {
        let form = FormFields(req)
        return try await respond(req, prefix: "reopen", notice: "Episode reopened") { signedIn, id in
            _ = try await Closures.reopen(id, reason: form["reopen-reason"], by: signedIn, on: req.db)
        }
    }

    /// Runs a change, then shows the episode with a notice, or with the problems named
    /// for the form they came from.
    private func respond(
        _ req: Request, prefix: String, notice: String, _ change: (SignedIn, UUID) async throws -> Void
    ) async throws -> Response {
        do {
            try await change(try req.signedIn, try req.id("episode"))
            var page = try await page(req)
            page.notice = notice
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await page(req)
            page.problems = error.problems.map { FieldProblem(field: "\(prefix)-\($0.field)", message: $0.message) }
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    /// The whole episode on one page, for printing on A4.
    func print(req: Request) async throws -> Response {
        let (authorised, assessment) = try await Episodes.read(try req.id("episode"), by: try req.signedIn, on: req.db)
        let id = authorised.id
        return EpisodePrintPage(
            authorised: authorised, assessment: assessment, content: try assessment.content(try req.secrets),
            consentHistory: authorised.consentHistory, team: try await Teams.team(of: id, on: req.db),
            practitioners: Teams.teamPractitioners(authorised.episode),
            actions: try await ActionPlans.actions(of: id, on: req.db),
            referrals: try await Closures.referrals(of: id, on: req.db),
            reopenings: try await Closures.reopenings(of: id, on: req.db)
        ).render(PageContext(req)).response()
    }

    func startReview(req: Request) async throws -> Response {
        let id = try req.id("episode")
        _ = try await Episodes.startReview(of: id, by: try req.signedIn, keys: try req.secrets, on: req.db)
        return req.redirect(to: SiteURL.editAssessment(episode: id).path)
    }

    func compare(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let id = try req.id("episode")
        let (authorised, before, after) = try await Episodes.compare(
            id, from: try req.assessmentVersion("from"), to: try req.assessmentVersion("to"), by: signedIn, on: req.db)
        let versions = try await Episodes.versionList(of: id, on: req.db)
        return ComparisonPage(
            authorised: authorised, versions: versions, before: before, after: after,
            comparison: LevelComparison(from: try before.content(try req.secrets), to: try after.content(try req.secrets))
        ).render(PageContext(req)).response()
    }

    func read(req: Request) async throws -> Response {
        let (authorised, assessment) = try await Episodes.assessment(
            of: try req.id("episode"), version: try req.assessmentVersion("version"), by: try req.signedIn, on: req.db)
        return AssessmentPage(authorised: authorised, assessment: assessment, content: try assessment.content(try req.secrets))
            .render(PageContext(req)).response()
    }

    private func page(_ req: Request) async throws -> EpisodePage {
        let signedIn = try req.signedIn
        let (authorised, assessment) = try await Episodes.read(try req.id("episode"), by: signedIn, on: req.db)
        let frozen = authorised.consent.kind == .withdrawn || authorised.episode.status == .closed
        let mayWrite = !frozen && Access.may(.write, authorised, by: signedIn)
        // Sharing names a practitioner whose agency the form does not yet know: it is offered
        // to whoever may change the consent, and the share itself is decided per agency.
        let changesConsent =
            authorised.episode.status == .open && Access.may(.changeConsent(.withdrawn), authorised, by: signedIn)
        return EpisodePage(
            authorised: authorised, assessment: assessment,
            versions: try await Episodes.versionList(of: authorised.id, on: req.db),
            consentHistory: authorised.consentHistory,
            mayWrite: mayWrite, mayShare: !frozen && changesConsent, mayChangeConsent: changesConsent,
            mayOverride: Access.may(.changeConsent(.override), authorised, by: signedIn),
            mayClose: Access.may(.coordinate, authorised, by: signedIn),
            mayReopen: Access.may(.reopen, authorised, by: signedIn),
            mayRecordTime: Access.may(.recordTime, authorised, by: signedIn),
            referrals: try await Closures.referrals(of: authorised.id, on: req.db),
            harmConcerns: try assessment.content(try req.secrets).harmConcerns)
    }

    /// Maps CAFCore's API-style field names ("elements[3].needs") onto the form's names.
    static func formField(_ problem: FieldProblem, _ content: AssessmentContent) -> FieldProblem {
        guard problem.field.hasPrefix("elements["), let close = problem.field.firstIndex(of: "]"),
            let index = Int(problem.field[problem.field.index(problem.field.startIndex, offsetBy: 9)..<close]),
            content.elements.indices.contains(index)
        else { return problem }
        let part = problem.field[problem.field.index(after: close)...].dropFirst()
        return FieldProblem(field: "\(part).\(content.elements[index].code)", message: problem.message)
    }
}

extension EpisodeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.episode(.pattern).pattern, use: show)
        routes.post(SiteURL.shareEpisode(.pattern).pattern, use: share)
        routes.post(SiteURL.episodeConsent(.pattern).pattern, use: changeConsent)
        routes.post(SiteURL.startReview(.pattern).pattern, use: startReview)
        routes.post(SiteURL.closeEpisode(.pattern).pattern, use: close)
        routes.get(SiteURL.printEpisode(.pattern).pattern, use: print)
        routes.post(SiteURL.reopenEpisode(.pattern).pattern, use: reopen)
        routes.get(SiteURL.comparison(.pattern).pattern, use: compare)
        routes.get(SiteURL.editAssessment(episode: .pattern).pattern, use: edit)
        routes.post(SiteURL.editAssessment(episode: .pattern).pattern, use: save)
        routes.post(SiteURL.episodeTime(.pattern).pattern, use: recordTime)
        routes.post(SiteURL.editingPing(.pattern).pattern, use: ping)
        routes.get(SiteURL.assessment(episode: .pattern).pattern, use: read)
    }
}
