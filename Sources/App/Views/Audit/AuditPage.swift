import Plot

/// "Who has seen this child": every search result, view, change, share and refusal.
struct AuditPage {
    let child: Child
    let events: [AuditEvent]

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Who has seen \(child.fullName)", context, back: .child(child.id!),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Who has seen this child")),
            .p(
                .class("govuk-body"),
                .text(
                    "Every view, change, share and refused attempt about this child and their CAF episodes, oldest first. Times are UK time. Entries about a sensitive service are shown only to those who may see that service."
                )),
            GOVUK.table(
                caption: "Audit log", headers: ["When", "Who", "Roles", "What", "Outcome", "Detail"],
                rows: events.map { event in
                    [
                        .text(Format.dateTime(event.occurredAt)), .text(event.actorEmail), .text(event.actorRoles),
                        .text(event.action), GOVUK.tag(event.outcome, colour: event.outcome == "denied" ? "red" : nil),
                        .text(event.detail),
                    ]
                })
        )
    }
}
