import CAFCore
import Plot

/// A child's index record: basic details, who is involved, and any CAF episode with
/// who to contact. Anyone who works with children may see this; case content is elsewhere.
struct ChildPage {
    let record: ChildRecord
    let mayReadAudit: Bool

    func render(_ context: PageContext) -> HTML {
        let child = record.child
        return Layout.page(
            child.fullName, context, back: .findChild,
            .span(.class("govuk-caption-l"), .text("Child index record")),
            .h1(.class("govuk-heading-l"), .text(child.fullName)),
            SafeguardingButton.node(child: child.id!),
            GOVUK.summaryList(
                record.names.dropFirst().map { ($0.kind.label, $0.fullName) } + [
                    ("Date of birth", Format.calendarDate(child.dateOfBirth)),
                    ("Gender", child.gender?.rawValue.capitalized ?? ""),
                    ("Postcode", child.postcode ?? ""),
                    ("NHS number", child.nhsNumber.map { "\($0.prefix(3)) \($0.dropFirst(3).prefix(3)) \($0.suffix(4))" } ?? ""),
                    ("Unique Pupil Number", child.upn ?? ""),
                ]),
            .h2(.class("govuk-heading-m"), .text("CAF episodes")),
            record.episodes.isEmpty
                ? .p(.class("govuk-body"), .text("There is no CAF episode for this child."))
                : GOVUK.table(
                    caption: "CAF episodes for \(child.fullName)", headers: ["Opened", "Status", "Contact", ""],
                    rows: record.episodes.map { episode in
                        let contact = Access.contact(for: episode)
                        return [
                            .text(Format.date(episode.openedAt)),
                            GOVUK.tag(
                                episode.status == .open ? "Open" : "Closed", colour: episode.status == .open ? "blue" : "grey"),
                            .text(
                                "\(Format.person(contact)) (\(episode.leadProfessional == nil ? "started the CAF" : "lead professional")), \(contact.email), \(contact.phone)"
                            ),
                            GOVUK.link("View episode", to: .episode(episode.id!)),
                        ]
                    }),
            .h2(.class("govuk-heading-m"), .text("Who is involved")),
            record.involved.isEmpty
                ? .p(.class("govuk-body"), .text("No practitioner is recorded as working with this child yet."))
                : .ul(
                    .class("govuk-list govuk-list--bullet"),
                    .forEach(record.involved) { practitioner in
                        .li(
                            .text(
                                "\(Format.person(practitioner)) (\(practitioner.organisation?.agencyType.title ?? "national"))"))
                    }),
            .if(
                record.openEpisode == nil,
                .group(
                    .h2(.class("govuk-heading-m"), .text("Worried about this child?")),
                    .p(
                        .class("govuk-body"),
                        .text(
                            "Answer a few questions to decide whether a CAF is needed, or start one straight away when the child’s needs are unclear or broader than your service can meet. You will record the family’s consent first."
                        )),
                    .div(
                        .class("govuk-button-group"),
                        .a(.class("govuk-button"), .href(SiteURL.checklist(child: child.id!).path), .text("Is a CAF needed?")),
                        .a(
                            .class("govuk-button govuk-button--secondary"), .href(SiteURL.startEpisode(child: child.id!).path),
                            .text("Start a CAF"))
                    )
                ),
                else: .div(
                    .class("govuk-inset-text"),
                    .text(
                        "A CAF is already open for this child. Contact its lead professional to join the team rather than starting another."
                    ))
            ),
            .if(mayReadAudit, .p(.class("govuk-body"), GOVUK.link("Who has seen this child", to: .childAudit(child.id!))))
        )
    }
}
