import CAFCore
import Vapor

/// The pages where a service records its involvement with a child and, if it is sensitive,
/// says who outside it may see that.
struct InvolvementController {
    /// The form names the child, so it is a read of the record: checked, then audited.
    func newInvolvement(req: Request) async throws -> Response {
        let record = try await ChildIndex.read(try req.id("child"), by: try req.signedIn, on: req.db)
        return InvolvementPage(child: record.child, signedIn: try req.signedIn).render(PageContext(req)).response()
    }

    func recordInvolvement(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let form = FormFields(req)
        func date(_ name: String) -> String {
            let parts = (form["\(name)-day"], form["\(name)-month"], form["\(name)-year"])
            guard !(parts.0 + parts.1 + parts.2).isEmpty else { return "" }
            return CalendarDate.fromParts(day: parts.0, month: parts.1, year: parts.2) ?? "not a date"
        }
        let new = Involvements.New(
            service: form["service"], role: form["role"], practitionerName: form["practitionerName"],
            startedOn: date("startedOn"),
            endedOn: date("endedOn"), sensitive: SensitiveService(rawValue: form["sensitive"]))
        do {
            _ = try await Involvements.record(new, childID: childID, by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.child(childID).path)
        } catch let error as AppError where !error.problems.isEmpty {
            let child = try await ChildIndex.read(childID, by: try req.signedIn, on: req.db).child
            var page = InvolvementPage(child: child, signedIn: try req.signedIn)
            page.typed = form.values
            page.problems = error.problems
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func disclosures(req: Request) async throws -> Response {
        let disclosures = try await Involvements.disclosures(of: try req.id("involvement"), by: try req.signedIn, on: req.db)
        return DisclosuresPage(disclosures: disclosures).render(PageContext(req)).response()
    }

    func disclose(req: Request) async throws -> Response {
        let involvementID = try req.id("involvement")
        let form = FormFields(req)
        let signedIn = try req.signedIn
        do {
            let disclosed = try await Involvements.disclose(
                involvementID, to: UUID(uuidString: form["practitionerId"]),
                agreedBy: DisclosureAgreement(rawValue: form["agreedBy"]), by: signedIn, on: req.db)
            var page = DisclosuresPage(
                disclosures: try await Involvements.disclosures(of: involvementID, by: signedIn, on: req.db))
            page.notice = "\(disclosed.disclosure.practitioner.name) may now see this involvement"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where error.code == "already-disclosed" {
            // A second submission of the same choice: what it asked for is so.
            return req.redirect(to: SiteURL.involvementDisclosures(involvementID).path)
        } catch let error as AppError where !error.problems.isEmpty {
            var page = DisclosuresPage(
                disclosures: try await Involvements.disclosures(of: involvementID, by: signedIn, on: req.db))
            (page.chosen, page.agreedBy, page.problems) = (form["practitionerId"], form["agreedBy"], error.problems)
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func withdraw(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let withdrawn = try await Involvements.withdraw(try req.id("disclosure"), by: signedIn, on: req.db)
        var page = DisclosuresPage(
            disclosures: try await Involvements.disclosures(
                of: withdrawn.disclosure.$involvement.id, by: signedIn, on: req.db))
        page.notice = "\(withdrawn.disclosure.practitioner.name) no longer sees this involvement"
        return page.render(PageContext(req)).response()
    }
}

extension InvolvementController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.childInvolvements(.pattern).pattern, use: newInvolvement)
        routes.post(SiteURL.childInvolvements(.pattern).pattern, use: recordInvolvement)
        routes.get(SiteURL.involvementDisclosures(.pattern).pattern, use: disclosures)
        routes.post(SiteURL.involvementDisclosures(.pattern).pattern, use: disclose)
        routes.post(SiteURL.withdrawDisclosure(.pattern).pattern, use: withdraw)
    }
}
