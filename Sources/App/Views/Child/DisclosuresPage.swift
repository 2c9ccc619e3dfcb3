import CAFCore
import Plot

/// A sensitive service says who outside it may see its involvement with a child, on whose
/// word, and withdraws that. Only the service's own staff reach this page.
struct DisclosuresPage {
    let disclosures: Involvements.Disclosures
    var chosen = ""
    var agreedBy = ""
    var problems: [FieldProblem] = []
    /// What the last change did, in words.
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        let involvement = disclosures.involvement
        let service = involvement.sensitive!
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Who else may see this involvement", context, hasErrors: !problems.isEmpty, back: .child(disclosures.child.id!),
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .span(.class("govuk-caption-l"), .text(disclosures.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Who else may see this involvement")),
            GOVUK.summaryList([
                ("Service", "\(involvement.service) (\(involvement.organisation.name))"),
                ("Sensitive", service.title),
                ("What it does for the child", involvement.role),
            ]),
            .p(
                .class("govuk-body"),
                .text(
                    "Only your service’s staff see this involvement, and the practitioners listed here. Opening a CAF or joining the child’s team does not show it to anyone."
                )),
            .if(
                service == .sexualHealth,
                .div(
                    .class("govuk-inset-text"),
                    .text(
                        "A young person’s sexual-health care is theirs to share: add someone only when the young person has agreed."
                    ))),
            .h2(.class("govuk-heading-m"), .text("Who may see it now")),
            disclosures.standing.isEmpty
                ? .p(.class("govuk-body"), .text("No one outside your service."))
                : GOVUK.table(
                    caption: "Practitioners outside your service who may see this involvement",
                    headers: ["Practitioner", "On whose word", "Since", "Action"],
                    rows: disclosures.standing.map { disclosure in
                        [
                            .text(disclosures.shield.person(disclosure.practitioner)), .text(disclosure.agreedBy.title),
                            .text(Format.date(disclosure.recordedAt)),
                            GOVUK.postForm(
                                action: .withdrawDisclosure(disclosure.id!), csrf: context.csrf,
                                GOVUK.button("Withdraw \(disclosure.practitioner.name)’s view", secondary: true)),
                        ]
                    }),
            .h2(.class("govuk-heading-m"), .text("Let someone on the child’s team see it")),
            disclosures.candidates.isEmpty
                ? .p(
                    .class("govuk-body"),
                    .text("No one else on the child’s team works outside your service, or they may all see it already."))
                : GOVUK.postForm(
                    action: .involvementDisclosures(involvement.id!), csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Who may see it?", name: "practitionerId",
                        options: disclosures.candidates.map {
                            .init(value: $0.id!.uuidString, label: disclosures.shield.person($0))
                        },
                        selected: [chosen], error: problem("practitionerId")),
                    // One word possible (sexual health: the young person's) is a checkbox to tick, not
                    // a single radio.
                    GOVUK.choices(
                        legend: "On whose word?", name: "agreedBy",
                        options: service.agreements.map { .init(value: $0.rawValue, label: $0.title) },
                        selected: [agreedBy], error: problem("agreedBy"), multiple: service.agreements.count == 1),
                    GOVUK.button("Let them see it")
                )
        )
    }
}
