import CAFCore
import Plot

/// A child's index record: basic details, who is involved, and any CAF episode with
/// who to contact. Anyone who works with children may see this; case content is elsewhere.
struct ChildPage {
    let record: ChildRecord
    /// What this reader may do here, as `Access.permissions` says: read who has seen the child,
    /// shield them, change their details, override a shield, merge records.
    let may: ChildPermissions
    var reason = ""
    var problems: [FieldProblem] = []
    /// What was typed into "Record the birth", kept when it has to be corrected.
    var birth = Birth()
    /// For a coordinator: other records that may be this child, to merge into this one.
    var duplicates: [Child] = []
    var mergeReason = ""

    struct Birth {
        var day = "", month = "", year = "", givenName = ""
    }

    func render(_ context: PageContext) -> HTML {
        return Layout.page(
            child.fullName, context, hasErrors: !problems.isEmpty, back: .findChild,
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text("Child index record")),
            .h1(.class("govuk-heading-l"), .text(child.fullName)),
            SafeguardingButton.node(child: child.id!),
            GOVUK.summaryList(
                record.names.dropFirst().map { ($0.kind.label, $0.fullName) } + [
                    (Format.birthLabel(of: child), Format.calendarDate(child.dateOfBirth)),
                    ("Gender", child.gender?.rawValue.capitalized ?? ""),
                    ("NHS number", child.nhsNumber.map { "\($0.prefix(3)) \($0.dropFirst(3).prefix(3)) \($0.suffix(4))" } ?? ""),
                    ("Unique Pupil Number", child.upn ?? ""),
                ]),
            .p(.class("govuk-body"), GOVUK.link("Add or correct a name", to: .childNames(child.id!))),
            .if(
                child.unborn,
                may.changeDetails
                    ? recordBirth(context)
                    : .p(
                        .class("govuk-body"),
                        .text("When the baby is born, tell the child’s team or the coordinator: they record the birth."))),
            whereabouts(context),
            .h2(.class("govuk-heading-m"), .text("CAF episodes")),
            record.episodes.isEmpty
                ? .p(.class("govuk-body"), .text("There is no CAF episode for this child."))
                : GOVUK.table(
                    caption: "CAF episodes for \(child.fullName)", headers: ["Opened", "Status", "Contact", ""],
                    rows: record.episodes.map { episode in
                        let contact = Access.contact(for: episode)
                        let role = episode.leadProfessional == nil ? "started the CAF" : "lead professional"
                        let reach = shield.hidesWhereabouts ? "through the coordinator" : "\(contact.email), \(contact.phone)"
                        return [
                            .text(Format.date(episode.openedAt)),
                            GOVUK.tag(
                                episode.status == .open ? "Open" : "Closed", colour: episode.status == .open ? "blue" : "grey"),
                            .text("\(shield.person(contact)) (\(role)), \(reach)"),
                            GOVUK.link("View episode", to: .episode(episode.id!)),
                        ]
                    }),
            .h2(.class("govuk-heading-m"), .text("Services involved")),
            record.services.isEmpty
                ? .p(.class("govuk-body"), .text("No service has recorded its involvement."))
                : GOVUK.table(
                    caption: "Services involved with \(child.fullName)", headers: ["Service", "Who", "Since", "Until"],
                    rows: record.services.map { involvement in
                        [
                            .group(
                                .text("\(involvement.service) (\(shield.text(involvement.organisation.name))) "),
                                .unwrap(involvement.sensitive) { GOVUK.tag("\($0.title): sensitive", colour: "purple") },
                                .span(.class("govuk-hint govuk-!-margin-bottom-0"), .text(involvement.role)),
                                .if(
                                    record.disclosable.contains(involvement.id!),
                                    GOVUK.link(
                                        "Who else may see \(involvement.service)", to: .involvementDisclosures(involvement.id!)))),
                            .text(involvement.practitionerName), .text(Format.calendarDate(involvement.startedOn)),
                            .text(involvement.endedOn.map(Format.calendarDate) ?? "Still involved"),
                        ]
                    }),
            .p(.class("govuk-body"), GOVUK.link("Record that your service is involved", to: .childInvolvements(child.id!))),
            .p(.class("govuk-body"), GOVUK.link("Record a decision not to share", to: .childDecisionsNotToShare(child.id!))),
            .h2(.class("govuk-heading-m"), .text("Who is involved")),
            record.involved.isEmpty
                ? .p(.class("govuk-body"), .text("No practitioner is recorded as working with this child yet."))
                : .ul(
                    .class("govuk-list govuk-list--bullet"),
                    .forEach(record.involved) { practitioner in
                        .li(.text(shield.person(practitioner)))
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
            .if(may.readAudit, .p(.class("govuk-body"), GOVUK.link("Who has seen this child", to: .childAudit(child.id!)))),
            .if(!duplicates.isEmpty, merge(context))
        )
    }

    /// A coordinator merges a duplicate record of this child into this one.
    func merge(_ context: PageContext) -> Node<HTML.BodyContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("Possible duplicate records")),
            .p(
                .class("govuk-body"),
                .text(
                    "These records may be the same child. If one is, merge it into this record: its names, CAF episodes, addresses and services move here, and its old links lead here."
                )),
            GOVUK.postForm(
                action: .childMerge(child.id!), csrf: context.csrf,
                GOVUK.choices(
                    legend: "Which record is this same child?", name: "duplicateId",
                    options: duplicates.map { other in
                        .init(
                            value: other.id!.uuidString,
                            label:
                                "\(other.fullName), \(Format.birth(of: other))\(other.nhsNumber.map { ", NHS number \($0)" } ?? "")"
                        )
                    }, selected: [], error: problems.first { $0.field == "duplicateId" }),
                GOVUK.textArea(
                    label: "How do you know they are the same child?", name: "mergeReason", value: mergeReason,
                    error: problems.first { $0.field == "mergeReason" }, rows: 2),
                GOVUK.button("Merge into this record", secondary: true)
            ))
    }

    private var child: Child { record.child }
    private var shield: Shield { record.shield }

    /// The form that turns an unborn baby's record into a born child's.
    func recordBirth(_ context: PageContext) -> Node<HTML.BodyContext> {
        .group(
            .h2(.class("govuk-heading-m"), .text("Record the birth")),
            GOVUK.postForm(
                action: .childBirth(record.child.id!), csrf: context.csrf,
                GOVUK.dateInput(
                    legend: "Date of birth", name: "dateOfBirth", day: birth.day, month: birth.month, year: birth.year,
                    hint: "For example, 27 3 2026", error: problems.first { $0.field == "dateOfBirth" }),
                GOVUK.textInput(
                    label: "First name", name: "givenName", value: birth.givenName,
                    hint: "Optional. “\(record.child.givenName)” is kept as a previous name, so searches still find it.",
                    error: problems.first { $0.field == "givenName" }, autocomplete: "off"),
                GOVUK.button("Record the birth", secondary: true)
            ))
    }

    /// Where the child lives, or, while shielded from this reader, whom to ask and the override.
    func whereabouts(_ context: PageContext) -> Node<HTML.BodyContext> {
        guard let whereabouts = record.whereabouts else {
            return .group(
                .h2(.class("govuk-heading-m"), .text("Where the child lives")),
                .div(
                    .class("govuk-inset-text"),
                    .p(
                        .class("govuk-body"),
                        .strong(.text("Shielded. ")),
                        .text(
                            "This child’s address, school, GP and contact details are hidden to keep them safe. To reach the family, contact the coordinator:"
                        )),
                    .ul(
                        .class("govuk-list"),
                        .forEach(record.coordinators) { coordinator in
                            .li(.text("\(Format.person(coordinator)), \(coordinator.email), \(coordinator.phone)"))
                        })),
                .if(
                    may.overrideShield,
                    .element(
                        named: "details",
                        nodes: [
                            .class("govuk-details"), .attribute(named: "open", value: problems.isEmpty ? nil : "open"),
                            .element(
                                named: "summary",
                                nodes: [
                                    .class("govuk-details__summary"),
                                    .span(
                                        .class("govuk-details__summary-text"),
                                        .text("Override the shield in a safeguarding emergency")),
                                ]),
                            .div(
                                .class("govuk-details__text"),
                                .div(
                                    .class("govuk-warning-text"),
                                    .span(
                                        .class("govuk-warning-text__icon"), .attribute(named: "aria-hidden", value: "true"),
                                        .text("!")),
                                    .strong(
                                        .class("govuk-warning-text__text"),
                                        .span(.class("govuk-visually-hidden"), .text("Warning")),
                                        .text(
                                            "Every override is investigated. The coordinator is told at once, and you will see these details until you sign out."
                                        ))),
                                GOVUK.postForm(
                                    action: .shieldOverride(child.id!), csrf: context.csrf,
                                    GOVUK.textArea(
                                        label: "What is the safeguarding emergency?", name: "reason", value: reason,
                                        error: problems.first { $0.field == "reason" }, rows: 3),
                                    GOVUK.button("Override the shield", secondary: true)
                                )),
                        ])))
        }
        return .group(
            .h2(.class("govuk-heading-m"), .text("Where the child lives")),
            .if(
                child.shielded,
                .p(
                    .class("govuk-body"), GOVUK.tag("Shielded", colour: "red"),
                    .text(" Only the coordinators and safeguarding staff of the child’s local authority see these details."))),
            GOVUK.summaryList([
                ("Address", whereabouts.address ?? ""), ("Postcode", whereabouts.postcode ?? ""),
                ("School or setting", whereabouts.school ?? ""), ("GP practice", whereabouts.gpPractice ?? ""),
                ("Contact number", whereabouts.contactPhone ?? ""),
            ]),
            .if(
                whereabouts.history.count > 1,
                GOVUK.table(
                    caption: "Addresses", headers: ["Address", "Postcode", "Moved in", "Moved out"],
                    rows: whereabouts.history.map { line in
                        [
                            .text(line.address), .text(line.postcode ?? ""), .text(line.movedIn.map(Format.calendarDate) ?? ""),
                            .text(line.movedOut.map(Format.calendarDate) ?? "Lives here now"),
                        ]
                    })),
            may.changeDetails
                ? .p(.class("govuk-body"), GOVUK.link("Update where the child lives", to: .childWhereabouts(child.id!)))
                : .p(
                    .class("govuk-body"),
                    .text("If the child has moved, tell their CAF team or the coordinator: they update where the child lives.")),
            .if(
                may.shield,
                GOVUK.postForm(
                    action: .childShield(child.id!), csrf: context.csrf,
                    .input(.type(.hidden), .name("shielded"), .value(child.shielded ? "no" : "yes")),
                    GOVUK.textArea(
                        label: child.shielded ? "Why lift the shield?" : "Why shield this child’s whereabouts?", name: "reason",
                        value: reason,
                        hint: child.shielded
                            ? nil : "For example, a court order or a risk from someone who must not find the family.",
                        error: problems.first { $0.field == "reason" }, rows: 2),
                    GOVUK.button(child.shielded ? "Lift the shield" : "Shield the whereabouts", secondary: true)
                ))
        )
    }
}
