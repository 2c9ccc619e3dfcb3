import CAFCore
import Plot

/// An episode as its team sees it: consent, team, the assessment and sharing.
struct EpisodePage {
    let authorised: AuthorisedEpisode
    let assessment: Assessment
    let mayWrite: Bool
    let mayShare: Bool
    var shareEmail = ""
    var problems: [FieldProblem] = []
    var notice: String? = nil
    /// Elements of the latest assessment flagged as a concern of significant harm.
    var harmConcerns: [String] { (try? assessment.content().harmConcerns) ?? [] }

    func render(_ context: PageContext) -> HTML {
        let episode = authorised.episode
        let child = authorised.child
        let consent = authorised.consent
        let completed = assessment.status == .completed
        return Layout.page(
            "CAF episode for \(child.fullName)", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .unwrap(notice) { notice in
                .div(
                    .class("govuk-notification-banner govuk-notification-banner--success"),
                    .attribute(named: "role", value: "status"),
                    .p(.class("govuk-notification-banner__heading"), .text(notice)))
            },
            .span(.class("govuk-caption-l"), .text("CAF episode")),
            .h1(.class("govuk-heading-l"), .text(child.fullName)),
            .if(
                !harmConcerns.isEmpty,
                .div(
                    .class("govuk-warning-text"), .id("harm-concern"),
                    .strong(
                        .text(
                            "The assessment records a concern of significant harm (\(harmConcerns.compactMap { CAFForm.element($0)?.name }.joined(separator: "; "))). Phone children’s social care now if you have not already."
                        ))
                )
            ),
            SafeguardingButton.node(child: child.id!, episode: episode.id!),
            GOVUK.summaryList([
                ("Date of birth", Format.calendarDate(child.dateOfBirth)),
                ("Status", episode.status == .open ? "Open" : "Closed"),
                ("Opened", Format.date(episode.openedAt)),
                ("Started by", Format.person(episode.author)),
                ("Lead professional", episode.leadProfessional.map(Format.person) ?? "Not agreed yet"),
            ]),
            .h2(.class("govuk-heading-m"), .text("Assessment")),
            .p(
                .class("govuk-body"),
                .text("Version \(assessment.version): "),
                GOVUK.tag(completed ? "Completed" : "Draft", colour: completed ? "green" : "yellow"),
                .text(completed ? " on \(Format.date(assessment.completedAt))" : "")
            ),
            mayWrite && !completed
                ? .a(
                    .class("govuk-button"), .href(SiteURL.editAssessment(episode: episode.id!).path),
                    .text("Continue the assessment"))
                : .p(.class("govuk-body"), GOVUK.link("Read the assessment", to: .assessment(episode: episode.id!))),
            .h2(.class("govuk-heading-m"), .text("Consent")),
            GOVUK.summaryList([
                ("Given by", "\(consent.name)" + (consent.relationship.isEmpty ? "" : " (\(consent.relationship))")),
                ("How", consent.method.title),
                ("Recorded", Format.dateTime(consent.recordedAt)),
                ("May be shared with", consent.scope.shareWithAgencyTypes.map(\.title).sorted().joined(separator: ", ")),
            ]),
            .h2(.class("govuk-heading-m"), .text("Team around the child")),
            .ul(
                .class("govuk-list govuk-list--bullet"),
                .li(.text("\(Format.person(episode.author)) – started the CAF")),
                .forEach(episode.shares) { share in
                    .li(.text("\(Format.person(share.practitioner)) – shared on \(Format.date(share.sharedAt))"))
                }
            ),
            .if(
                mayShare,
                .group(
                    .h2(.class("govuk-heading-m"), .text("Share with another practitioner")),
                    .p(
                        .class("govuk-body"),
                        .text(
                            "You can share only with the kinds of service the family agreed to. They will see this episode and its assessment."
                        )),
                    GOVUK.postForm(
                        action: .shareEpisode(episode.id!), csrf: context.csrf,
                        GOVUK.textInput(
                            label: "Practitioner’s e-mail address", name: "practitionerEmail", value: shareEmail,
                            error: problems.first { $0.field == "practitionerEmail" }, type: .email, autocomplete: "off"),
                        GOVUK.button("Share", secondary: true)
                    )
                )
            )
        )
    }
}
