import Vapor

/// The pages of one kind of emergency access: show it, and record the review.
struct EmergencyAccessController<Item: EmergencyAccess>: Sendable {
    func show(req: Request) async throws -> Response {
        let item = try await EmergencyAccessReviews.read(Item.self, try req.id(Item.kind.noun), by: try req.signedIn, on: req.db)
        return EmergencyAccessPage(item: item).render(PageContext(req)).response()
    }

    func review(req: Request) async throws -> Response {
        let id = try req.id(Item.kind.noun)
        do {
            _ = try await EmergencyAccessReviews.review(
                Item.self, id, note: FormFields(req)["note"], by: try req.signedIn, on: req.db)
            return req.redirect(to: Item.kind.page(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            let item = try await EmergencyAccessReviews.find(Item.self, id, by: try req.signedIn, on: req.db)
            return EmergencyAccessPage(item: item, problems: error.problems).render(PageContext(req))
                .response(.unprocessableEntity)
        }
    }
}
