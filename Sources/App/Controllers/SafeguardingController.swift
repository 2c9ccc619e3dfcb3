import CAFCore
import Vapor

/// The checklist and the phone-first safeguarding path, as pages.
struct SafeguardingController {
    func checklist(req: Request) async throws -> Response {
        let record = try await ChildIndex.read(try req.id("child"), by: try req.signedIn, on: req.db)
        return ChecklistPage(child: record.child, openEpisode: record.openEpisode, shield: record.shield).render(PageContext(req))
            .response()
    }

    func recordChecklist(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let childID = try req.id("child")
        let form = FormFields(req)
        func yesNo(_ name: String) -> Bool? { form[name] == "yes" ? true : form[name] == "no" ? false : nil }
        let answers = ChecklistAnswers(
            harmConcern: yesNo("harmConcern"),
            worriedOutcomes: Set(form.all("worriedOutcomes[]").compactMap(ECMOutcome.init)),
            familyAskedForHelp: yesNo("familyAskedForHelp"), ownServiceCanMeet: yesNo("ownServiceCanMeet"),
            needsUnclearOrBroad: yesNo("needsUnclearOrBroad"), reason: form["reason"])
        do {
            let checklist = try await PreAssessments.record(
                childID: childID, answers: answers, by: signedIn, keys: try req.secrets, on: req.db)
            switch checklist.decision {
            case .safeguarding:
                return req.redirect(to: SiteURL.safeguarding(child: childID).path + "?checklist=\(checklist.id!.uuidString)")
            case .caf:
                return req.redirect(to: SiteURL.startEpisode(child: childID).path)
            case .noAdditionalNeeds, .singleService:
                let child = try await Child.live(childID, on: req.db)
                return ChecklistResultPage(child: child, checklist: checklist).render(PageContext(req)).response()
            }
        } catch let error as AppError where !error.problems.isEmpty {
            let record = try await ChildIndex.read(childID, by: signedIn, on: req.db)
            return ChecklistPage(
                child: record.child, openEpisode: record.openEpisode, shield: record.shield, harmConcern: form["harmConcern"],
                worriedOutcomes: Set(form.all("worriedOutcomes[]")), familyAskedForHelp: form["familyAskedForHelp"],
                ownServiceCanMeet: form["ownServiceCanMeet"], needsUnclearOrBroad: form["needsUnclearOrBroad"],
                reason: form["reason"], problems: error.problems
            ).render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    /// Phone first: the numbers, then the form to record the call.
    func phone(req: Request) async throws -> Response {
        let (child, localAuthority) = try await SafeguardingCalls.showContacts(
            for: try req.id("child"), by: try req.signedIn, on: req.db)
        let now = Format.londonParts(Date())
        return SafeguardingPage(
            child: child, localAuthority: localAuthority, episodeID: (try? req.query.get(String.self, at: "episode")) ?? "",
            preAssessmentID: (try? req.query.get(String.self, at: "checklist")) ?? "", day: now.day, month: now.month,
            year: now.year, time: now.time
        ).render(PageContext(req)).response()
    }

    func recordCall(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let childID = try req.id("child")
        let form = FormFields(req)
        let (child, localAuthority) = try await SafeguardingCalls.contacts(for: childID, by: signedIn, on: req.db)
        var page = SafeguardingPage(
            child: child, localAuthority: localAuthority,
            episodeID: form["episodeId"], preAssessmentID: form["preAssessmentId"], day: form["calledAt-day"],
            month: form["calledAt-month"], year: form["calledAt-year"], time: form["calledAtTime"], spokeTo: form["spokeTo"],
            advice: form["advice"], adviceNote: form["adviceNote"], reference: form["reference"])
        var problems: [FieldProblem] = []
        let calledAt = Format.londonDate(day: page.day, month: page.month, year: page.year, time: page.time)
        if calledAt == nil {
            problems.append(
                .init(field: "calledAt", message: "Enter the date and time of the call, for example 23 11 2026 and 14:30"))
        }
        let advice = SafeguardingAdvice(rawValue: page.advice)
        if advice == nil { problems.append(.init(field: "advice", message: "Choose what children’s social care advised")) }
        let record = SafeguardingCallRecord(
            calledAt: calledAt ?? Date(), spokeTo: page.spokeTo, advice: advice ?? .continueCAF, adviceNote: page.adviceNote,
            reference: page.reference)
        do {
            guard problems.isEmpty else { throw AppError.invalid(problems + record.problems(now: Date())) }
            let call = try await SafeguardingCalls.record(
                record, childID: childID, episodeID: UUID(uuidString: page.episodeID),
                preAssessmentID: UUID(uuidString: page.preAssessmentID), by: signedIn, on: req.db)
            return req.redirect(to: SiteURL.safeguardingCall(call.id!).path)
        } catch let error as AppError where !error.problems.isEmpty {
            page.problems = error.problems
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func call(req: Request) async throws -> Response {
        try await callPage(req, notice: nil)
    }

    func followUp(req: Request) async throws -> Response {
        _ = try await SafeguardingCalls.recordFollowUp(try req.id("call"), sentAt: Date(), by: try req.signedIn, on: req.db)
        return try await callPage(req, notice: "Written follow-up recorded as sent")
    }

    private func callPage(_ req: Request, notice: String?) async throws -> Response {
        let signedIn = try req.signedIn
        let call = try await SafeguardingCalls.read(try req.id("call"), by: signedIn, on: req.db)
        let open = try await PreAssessments.openEpisode(of: call.$child.id, on: req.db)
        return SafeguardingCallPage(
            call: call,
            mayRecordFollowUp: Access.mayRecordFollowUp(call, by: signedIn),
            mayStartCAF: call.advice.cafContinues && open == nil && call.$caller.id == signedIn.id, notice: notice
        ).render(PageContext(req)).response()
    }
}

extension SafeguardingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.checklist(child: .pattern).pattern, use: checklist)
        routes.post(SiteURL.checklist(child: .pattern).pattern, use: recordChecklist)
        routes.get(SiteURL.safeguarding(child: .pattern).pattern, use: phone)
        routes.post(SiteURL.safeguarding(child: .pattern).pattern, use: recordCall)
        routes.get(SiteURL.safeguardingCall(.pattern).pattern, use: call)
        routes.post(SiteURL.followUp(.pattern).pattern, use: followUp)
    }
}
