import CAFCore
import Vapor

/// The child index pages: find, register, read, and start a CAF with consent.
struct ChildController {
    func find(req: Request) async throws -> Response {
        FindChildPage().render(PageContext(req)).response()
    }

    func search(req: Request) async throws -> Response {
        let form = FormFields(req)
        var page = FindChildPage(
            name: form["q"], day: form["dob-day"], month: form["dob-month"], year: form["dob-year"], toDay: form["dobTo-day"],
            toMonth: form["dobTo-month"], toYear: form["dobTo-year"], postcode: form["postcode"], identifier: form["identifier"])
        var problems: [FieldProblem] = []
        func date(_ field: String, _ day: String, _ month: String, _ year: String) -> String {
            guard !(day + month + year).trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
            if let date = CalendarDate.fromParts(day: day, month: month, year: year) { return date }
            problems.append(.init(field: field, message: "Enter the date of birth as a real date, for example 27 3 2015"))
            return ""
        }
        let query = ChildIndex.Query(
            name: page.name, dateOfBirth: date("dob", page.day, page.month, page.year),
            bornTo: date("dobTo", page.toDay, page.toMonth, page.toYear),
            postcode: page.postcode.trimmingCharacters(in: .whitespaces),
            identifier: page.identifier.trimmingCharacters(in: .whitespaces), page: Int(form["page"]) ?? 1)
        do {
            guard problems.isEmpty else { throw AppError.invalid(problems) }
            page.result = try await ChildIndex.search(query, by: try req.signedIn, on: req.db)
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            page.problems = error.problems
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func newChild(req: Request) async throws -> Response {
        RegisterChildPage().render(PageContext(req)).response()
    }

    func register(req: Request) async throws -> Response {
        let form = FormFields(req)
        var page = RegisterChildPage(
            givenName: form["givenName"], familyName: form["familyName"], knownAs: form["knownAs"], day: form["dateOfBirth-day"],
            month: form["dateOfBirth-month"], year: form["dateOfBirth-year"], gender: form["gender"],
            postcode: form["postcode"], nhsNumber: form["nhsNumber"], upn: form["upn"])
        page.unborn = form.all("unborn").contains("yes")
        let registration = ChildRegistration(
            givenName: page.givenName, familyName: page.familyName,
            dateOfBirth: CalendarDate.fromParts(day: page.day, month: page.month, year: page.year)
                ?? "\(page.year)-\(page.month)-\(page.day)",
            gender: Gender(rawValue: page.gender), postcode: page.postcode, nhsNumber: page.nhsNumber, upn: page.upn,
            knownAs: page.knownAs, unborn: page.unborn)
        do {
            let child = try await ChildIndex.register(
                registration, notADuplicate: form.all("notADuplicate").contains("yes"), by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(child.id!).path)
        } catch let error as AppError where !error.problems.isEmpty {
            // One date box serves both dates.
            page.problems = error.problems.map {
                $0.field == "expectedDeliveryDate" ? FieldProblem(field: "dateOfBirth", message: $0.message) : $0
            }
            return page.render(PageContext(req)).response(.unprocessableEntity)
        } catch let error as AppError where error.code == "possible-duplicate" {
            page.duplicates = try await ChildIndex.children(error.related, on: req.db)
            return page.render(PageContext(req)).response(.conflict)
        }
    }

    func show(req: Request) async throws -> Response {
        try await childPage(req).render(PageContext(req)).response()
    }

    private func childPage(_ req: Request, reason: String = "", problems: [FieldProblem] = []) async throws -> ChildPage {
        let signedIn = try req.signedIn
        let record = try await ChildIndex.read(
            try req.id("child"), by: signedIn, on: req.db)
        let may = try await Access.permissions(for: record, by: signedIn, on: req.db)
        var page = ChildPage(record: record, may: may, reason: reason, problems: problems)
        if may.merge {
            page.duplicates = try await ChildIndex.possibleDuplicates(of: record.child, on: req.db)
        }
        return page
    }

    func editWhereabouts(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let record = try await ChildIndex.read(try req.id("child"), by: signedIn, on: req.db)
        try await Whereabouts.requireChange(
            of: record.child, episodes: record.episodes, shield: record.shield, by: signedIn, on: req.db)
        return WhereaboutsPage(child: record.child).render(PageContext(req)).response()
    }

    func saveWhereabouts(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let form = FormFields(req)
        let anyDate = !(form["movedIn-day"] + form["movedIn-month"] + form["movedIn-year"]).isEmpty
        let change = Whereabouts.Change(
            address: form["address"], postcode: form["postcode"],
            movedIn: anyDate
                ? CalendarDate.fromParts(day: form["movedIn-day"], month: form["movedIn-month"], year: form["movedIn-year"])
                    ?? "not a date" : "",
            school: form["school"], gpPractice: form["gpPractice"], contactPhone: form["contactPhone"])
        do {
            // A form without its version is treated as opened before the last change.
            _ = try await Whereabouts.update(
                childID, change, basedOn: Int(form["version"]) ?? 0, by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(childID).path)
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            // The page shows the child again, as recorded now: a read, checked and audited as
            // any other, and refused if the whereabouts were shielded meanwhile; what was typed
            // is kept.
            let signedIn = try req.signedIn
            let record = try await ChildIndex.read(childID, by: signedIn, on: req.db)
            try await Whereabouts.requireChange(
                of: record.child, episodes: record.episodes, shield: record.shield, by: signedIn, on: req.db)
            var page = WhereaboutsPage(child: record.child)
            (page.address, page.postcode, page.school) = (change.address, change.postcode, change.school)
            (page.gpPractice, page.contactPhone) = (change.gpPractice, change.contactPhone)
            (page.day, page.month, page.year) = (form["movedIn-day"], form["movedIn-month"], form["movedIn-year"])
            let stale = error.status == .preconditionFailed
            page.problems = stale ? [FieldProblem(field: "address", message: error.message)] : error.problems
            if !stale { page.version = Int(form["version"]) ?? 0 }
            if stale { page.recordedNow = record.whereabouts }
            return page.render(PageContext(req)).response(stale ? .conflict : .unprocessableEntity)
        }
    }

    func recordBirth(req: Request) async throws -> Response {
        let form = FormFields(req)
        let birth = ChildPage.Birth(
            day: form["dateOfBirth-day"], month: form["dateOfBirth-month"], year: form["dateOfBirth-year"],
            givenName: form["givenName"])
        do {
            _ = try await ChildIndex.recordBirth(
                of: try req.id("child"),
                dateOfBirth: CalendarDate.fromParts(day: birth.day, month: birth.month, year: birth.year)
                    ?? "\(birth.year)-\(birth.month)-\(birth.day)",
                givenName: birth.givenName, by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(try req.id("child")).path)
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await childPage(req, problems: error.problems)
            page.birth = birth
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func merge(req: Request) async throws -> Response {
        let form = FormFields(req)
        let survivor = try req.id("child")
        do {
            guard let duplicate = UUID(uuidString: form["duplicateId"]) else {
                throw AppError.invalid(field: "duplicateId", "Choose the record to merge into this one")
            }
            _ = try await ChildMerges.merge(
                duplicate, into: survivor, reason: form["mergeReason"], by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(survivor).path)
        } catch let error as AppError where !error.problems.isEmpty || error.status == .conflict {
            // The page's merge form names its reason box apart from the shield's.
            let problems =
                error.problems.isEmpty
                ? [FieldProblem(field: "duplicateId", message: error.message)]
                : error.problems.map { $0.field == "reason" ? FieldProblem(field: "mergeReason", message: $0.message) : $0 }
            var page = try await childPage(req, problems: problems)
            page.mergeReason = form["mergeReason"]
            return page.render(PageContext(req)).response(error.status)
        }
    }

    func shield(req: Request) async throws -> Response {
        let form = FormFields(req)
        do {
            _ = try await Shielding.set(
                form["shielded"] == "yes", childID: try req.id("child"), reason: form["reason"], by: try req.signedIn,
                on: req.db)
            return req.redirect(to: SiteURL.child(try req.id("child")).path)
        } catch let error as AppError where !error.problems.isEmpty {
            return try await childPage(req, reason: form["reason"], problems: error.problems).render(PageContext(req))
                .response(.unprocessableEntity)
        }
    }

    func overrideShield(req: Request) async throws -> Response {
        let reason = FormFields(req)["reason"]
        do {
            _ = try await Shielding.override(
                childID: try req.id("child"), reason: reason, by: try req.signedIn,
                on: req.db)
            return req.redirect(to: SiteURL.child(try req.id("child")).path)
        } catch let error as AppError where !error.problems.isEmpty {
            return try await childPage(req, reason: reason, problems: error.problems).render(PageContext(req))
                .response(.unprocessableEntity)
        }
    }

    func names(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let record = try await ChildIndex.read(try req.id("child"), by: signedIn, on: req.db)
        let mayChange = try await ChildIndex.mayChangeDetails(
            of: record.child, episodes: record.episodes, by: signedIn, on: req.db)
        return NamesPage(child: record.child, mayChange: mayChange, sent: req.query[String.self, at: "sent"] == "1")
            .render(PageContext(req)).response()
    }

    func addName(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let childID = try req.id("child")
        let form = FormFields(req)
        do {
            guard let kind = NameKind(rawValue: form["kind"]) else {
                throw AppError.invalid(field: "kind", "Choose which name it is")
            }
            let change = try await ChildIndex.addName(
                kind, givenName: form["givenName"], familyName: form["familyName"], reason: form["reason"], to: childID,
                by: signedIn, on: req.db)
            guard case .proposed = change else { return req.redirect(to: SiteURL.child(childID).path) }
            return req.redirect(to: SiteURL.childNames(childID).path + "?sent=1")
        } catch let error as AppError where !error.problems.isEmpty {
            let record = try await ChildIndex.read(childID, by: signedIn, on: req.db)
            let child = record.child
            let mayChange = try await ChildIndex.mayChangeDetails(
                of: child, episodes: record.episodes, by: signedIn, on: req.db)
            return NamesPage(child: child, mayChange: mayChange, typed: form.values, problems: error.problems)
                .render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func newDecisionNotToShare(req: Request) async throws -> Response {
        let record = try await ChildIndex.read(try req.id("child"), by: try req.signedIn, on: req.db)
        return DecisionNotToSharePage(child: record.child).render(PageContext(req)).response()
    }

    func recordDecisionNotToShare(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let form = FormFields(req)
        let new = SharingDecisions.New(withheld: form["withheld"], withheldFrom: form["withheldFrom"], reason: form["reason"])
        do {
            _ = try await SharingDecisions.record(new, childID: childID, by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(childID).path)
        } catch let error as AppError where !error.problems.isEmpty {
            let child = try await ChildIndex.read(childID, by: try req.signedIn, on: req.db).child
            return DecisionNotToSharePage(child: child, typed: form.values, problems: error.problems).render(PageContext(req))
                .response(.unprocessableEntity)
        }
    }

    func decisionsNotToShare(req: Request) async throws -> Response {
        let (decisions, recent) = try await SharingDecisions.forCoordinator(try req.signedIn, on: req.db)
        return DecisionsNotToSharePage(decisions: decisions, lastThirtyDays: recent).render(PageContext(req)).response()
    }

    func showNameProposal(req: Request) async throws -> Response {
        NameProposalPage(proposal: try await NameProposals.find(try req.id("proposal"), by: try req.signedIn, on: req.db))
            .render(PageContext(req)).response()
    }

    func decideNameProposal(req: Request) async throws -> Response {
        let id = try req.id("proposal")
        let form = FormFields(req)
        do {
            guard ["accepted", "refused"].contains(form["decision"]) else {
                throw AppError.invalid(field: "decision", "Say whether to make the correction")
            }
            _ = try await NameProposals.decide(
                id, accept: form["decision"] == "accepted", note: form["note"], by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.nameProposal(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            let proposal = try await NameProposals.find(id, by: try req.signedIn, on: req.db)
            return NameProposalPage(
                proposal: proposal, decision: form["decision"], note: form["note"], problems: error.problems
            ).render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func audit(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let child = try await ChildAudit.child(childID: req.parameters.get("id"), episodeID: nil, on: req.db)
        let events = try await ChildAudit.read(child, by: signedIn, on: req.db)
        return AuditPage(child: child, events: events).render(PageContext(req)).response()
    }

    func newEpisode(req: Request) async throws -> Response {
        let record = try await ChildIndex.read(try req.id("child"), by: try req.signedIn, on: req.db)
        return StartEpisodePage(child: record.child, offersStepDown: try req.signedIn.reach.stepsDown)
            .render(PageContext(req)).response()
    }

    func openEpisode(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let childID = try req.id("child")
        let form = FormFields(req)
        // The child is shown again only after a read, checked and audited as any other.
        func page(problems: [FieldProblem]) async throws -> Response {
            StartEpisodePage(
                child: try await ChildIndex.read(childID, by: signedIn, on: req.db).child, givenBy: form["consent.givenBy"],
                name: form["consent.name"], relationship: form["consent.relationship"], method: form["consent.method"],
                store: form["consent.scope.store"] == "yes", share: Set(form.all("consent.scope.shareWithAgencyTypes[]")),
                decision: form["consent.decision"], note: form["note"],
                offersStepDown: signedIn.reach.stepsDown, stepDownNote: form["stepDownNote"],
                problems: problems
            ).render(PageContext(req)).response(.unprocessableEntity)
        }
        var problems: [FieldProblem] = []
        let decision = form["consent.decision"]
        let givenBy = ConsentGivenBy(rawValue: form["consent.givenBy"])
        if decision != "given" && decision != "refused" {
            problems.append(.init(field: "consent.decision", message: "Choose whether they agreed"))
        }
        let method = ConsentMethod(rawValue: form["consent.method"])
        if givenBy == nil { problems.append(.init(field: "consent.givenBy", message: "Choose who is giving consent")) }
        if method == nil { problems.append(.init(field: "consent.method", message: "Choose how consent was given")) }
        let record = ConsentRecord(
            givenBy: givenBy ?? .child, name: form["consent.name"], relationship: form["consent.relationship"],
            method: method ?? .verbal,
            scope: ConsentScope(
                store: form["consent.scope.store"] == "yes",
                shareWithAgencyTypes: Set(form.all("consent.scope.shareWithAgencyTypes[]").compactMap(AgencyType.init))))
        do {
            if decision == "refused" {
                guard let givenBy else { throw AppError.invalid(problems) }
                let refusal = try await Episodes.refuse(
                    childID: childID, ConsentRefusal(givenBy: givenBy, name: form["consent.name"], note: form["note"]),
                    by: signedIn, on: req.db)
                return ConsentRefusedPage(child: try await Child.live(refusal.$child.id, on: req.db)).render(PageContext(req))
                    .response()
            }
            guard problems.isEmpty else { throw AppError.invalid(problems + record.problems()) }
            let episode = try await Episodes.open(
                childID: childID, consent: record, stepDownNote: form["stepDownNote"], by: signedIn, keys: try req.secrets,
                on: req.db)
            return req.redirect(to: SiteURL.editAssessment(episode: episode.id!).path)
        } catch let error as AppError where !error.problems.isEmpty {
            return try await page(problems: error.problems)
        }
    }
}

extension ChildController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.findChild.pattern, use: find)
        routes.post(SiteURL.findChild.pattern, use: search)
        routes.get(SiteURL.registerChild.pattern, use: newChild)
        routes.post(SiteURL.registerChild.pattern, use: register)
        routes.get(SiteURL.child(.pattern).pattern, use: show)
        routes.get(SiteURL.childAudit(.pattern).pattern, use: audit)
        routes.get(SiteURL.childWhereabouts(.pattern).pattern, use: editWhereabouts)
        routes.post(SiteURL.childWhereabouts(.pattern).pattern, use: saveWhereabouts)
        routes.post(SiteURL.childBirth(.pattern).pattern, use: recordBirth)
        routes.get(SiteURL.childNames(.pattern).pattern, use: names)
        routes.post(SiteURL.childNames(.pattern).pattern, use: addName)
        routes.get(SiteURL.nameProposal(.pattern).pattern, use: showNameProposal)
        routes.get(SiteURL.childDecisionsNotToShare(.pattern).pattern, use: newDecisionNotToShare)
        routes.post(SiteURL.childDecisionsNotToShare(.pattern).pattern, use: recordDecisionNotToShare)
        routes.get(SiteURL.decisionsNotToShare.pattern, use: decisionsNotToShare)
        routes.post(SiteURL.nameProposal(.pattern).pattern, use: decideNameProposal)
        routes.post(SiteURL.childMerge(.pattern).pattern, use: merge)
        routes.post(SiteURL.childShield(.pattern).pattern, use: shield)
        routes.post(SiteURL.shieldOverride(.pattern).pattern, use: overrideShield)
        let overrides = EmergencyAccessController<ShieldOverride>()
        routes.get(SiteURL.shieldOverrideReview(.pattern).pattern, use: overrides.show)
        routes.post(SiteURL.shieldOverrideReview(.pattern).pattern, use: overrides.review)
        routes.get(SiteURL.startEpisode(child: .pattern).pattern, use: newEpisode)
        routes.post(SiteURL.startEpisode(child: .pattern).pattern, use: openEpisode)
    }
}
