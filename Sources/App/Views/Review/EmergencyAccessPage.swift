import CAFCore
import Plot

/// The coordinator's review of one emergency access, whatever its kind.
struct EmergencyAccessPage<Item: EmergencyAccess> {
    let item: Item
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        let kind = Item.kind
        let rows: [(String, String)] =
            [
                ("Who", Format.person(item.practitioner)), ("Child", item.child.fullName),
                ("When", Format.dateTime(item.takenAt)),
            ] + (item.until.map { [("Until", Format.dateTime($0))] } ?? []) + [
                ("Reason given", item.reason),
                ("Reviewed", item.reviewedAt.map { "\(Format.dateTime($0)): \(item.reviewNote)" } ?? "Not yet"),
            ]
        return Layout.page(
            kind.title, context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text(kind.title)),
            GOVUK.summaryList(rows),
            .p(.class("govuk-body"), GOVUK.link("Who has seen this child", to: .childAudit(item.child.id!))),
            .if(
                item.reviewedAt == nil,
                GOVUK.postForm(
                    action: kind.page(item.id!), csrf: context.csrf,
                    GOVUK.textArea(
                        label: "Your review", name: "note", value: "", hint: kind.question,
                        error: problems.first { $0.field == "note" }, rows: 3),
                    GOVUK.button("Mark as reviewed")
                ))
        )
    }
}
