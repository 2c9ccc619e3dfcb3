import CAFCore
import Plot

/// An episode as its team sees it: consent, team, the assessment and sharing.
struct EpisodePage {
    let authorised: AuthorisedEpisode
    private var shield: Shield { authorised.shield }
    let assessment: Assessment
    /// Every version, oldest first.
    let versions: [Assessment]
    let consentHistory: [Consent]
    let mayWrite: Bool
    let mayShare: Bool
    let mayChangeConsent: Bool
    let mayOverride: Bool
    let mayClose: Bool
    let mayReopen: Bool
    /// The reader works on this CAF: they may record time spent on it.
    let mayRecordTime: Bool
    let referrals: [Referral]
    /// Elements of the latest assessment flagged as a concern of significant harm.
    let harmConcerns: [String]
    var shareEmail = ""
    var problems: [FieldProblem] = []
    var notice: String? = nil
    /// What was typed into a consent form that came back with a problem.
    var consentReasons: [ConsentKind: String] = [:]
    /// What was typed into "Record time spent", kept when it comes back with a problem.
    var typedTime: [String: String] = [:]
    /// The team version the page was opened at, kept when a form comes back with a problem
    /// other than a change made meanwhile, so that change is still caught.
    var openedAtTeamVersion: Int? = nil

    func render(_ context: PageContext) -> HTML {
        let episode = authorised.episode
        let child = authorised.child
        let consent = authorised.consent
        let completed = assessment.status == .completed
        return Layout.page(
            "CAF episode for \(child.fullName)", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
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
            .if(
                authorised.basis == .breakGlass,
                .div(
                    .class("govuk-warning-text"), .id("break-glass"),
                    .strong(
                        .text(
                            "You are reading this under break-glass emergency access. It is recorded and reviewed by the local authority’s coordinator, and ends after \(Int(BreakGlass.duration / 3600)) hours."
                        ))
                )
            ),
            .unwrap(episode.closureReason) { reason in
                .div(
                    .class("govuk-inset-text"), .id("closed"),
                    .p(
                        .class("govuk-body"),
                        .strong(.text("Closed on \(Format.date(episode.closedAt)): \(reason.title).")),
                        .text(episode.closureNote.isEmpty ? "" : " \(episode.closureNote)")),
                    .p(.class("govuk-body"), .text("A closed episode can be read but not changed."))
                )
            },
            .forEach(referrals) { referral in
                .p(
                    .class("govuk-body"), .text("Step-up referral of \(Format.date(referral.referredAt)): "),
                    GOVUK.tag(
                        referral.decision.title,
                        colour: referral.decision == .accepted ? "green" : referral.decision == .returned ? "yellow" : "blue"),
                    .text(referral.decisionReason.isEmpty ? "" : " \(referral.decisionReason)"))
            },
            .unwrap(episode.stepDownNote) { note in
                GOVUK.summaryList([("Handover from children’s social care", note)])
            },
            .if(
                consent.kind == .withdrawn,
                .div(
                    .class("govuk-warning-text"), .id("consent-withdrawn"),
                    .strong(
                        .text(
                            "Consent was withdrawn on \(Format.date(consent.recordedAt)). Sharing has stopped and this record is frozen: it can be read by its lead professional and the local authority’s coordinators, and changed by nobody."
                        ))
                )
            ),
            GOVUK.summaryList([
                (Format.birthLabel(of: child), Format.calendarDate(child.dateOfBirth)),
                ("Status", episode.status == .open ? "Open" : "Closed"),
                ("Opened", Format.date(episode.openedAt)),
                ("Started by", shield.person(episode.author)),
                ("Lead professional", episode.leadProfessional.map(shield.person) ?? "Not agreed yet"),
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
            .if(
                mayWrite && completed,
                GOVUK.postForm(
                    action: .startReview(episode.id!), csrf: context.csrf,
                    .p(
                        .class("govuk-body"),
                        .text("A review makes a new version, filled in from this one, so you can record what has changed.")),
                    GOVUK.button("Start a review", secondary: true))
            ),
            .if(versions.count > 1, versionsTable),
            consentSection(context),
            .if(mayClose, closeForm(context)),
            .if(mayReopen, reopenForm(context)),
            .if(mayRecordTime && episode.status == .open, timeForm(context)),
            .h2(.class("govuk-heading-m"), .text("Team around the child")),
            .p(.class("govuk-body"), GOVUK.link("Team, meetings and lead professional", to: .team(episode.id!))),
            .p(.class("govuk-body"), GOVUK.link("Action plan", to: .plan(episode.id!))),
            .p(.class("govuk-body"), GOVUK.link("Print the whole episode", to: .printEpisode(episode.id!))),
            .ul(
                .class("govuk-list govuk-list--bullet"),
                .li(.text("\(shield.person(episode.author)) – started the CAF")),
                .forEach(episode.shares) { share in
                    .li(.text("\(shield.person(share.practitioner)) – shared on \(Format.date(share.sharedAt))"))
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
                        .input(
                            .type(.hidden), .name("teamVersion"),
                            .value(String(openedAtTeamVersion ?? authorised.episode.teamVersion))),
                        GOVUK.textInput(
                            label: "Practitioner’s e-mail address", name: "practitionerEmail", value: shareEmail,
                            error: problems.first { $0.field == "practitionerEmail" }, type: .email, autocomplete: "off"),
                        GOVUK.button("Share", secondary: true)
                    )
                )
            )
        )
    }

    private func closeForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        .details(
            .class("govuk-details"),
            .attribute(named: "open", value: problems.contains { $0.field.hasPrefix("close") } ? "open" : nil),
            .summary(.class("govuk-details__summary"), .text("Close this episode")),
            .div(
                .class("govuk-details__text"),
                GOVUK.postForm(
                    action: .closeEpisode(authorised.id), csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Why is it closing?", name: "close-reason",
                        options: ClosureReason.allCases.map {
                            .init(
                                value: $0.rawValue, label: $0.title,
                                hint: $0 == .stepUp
                                    ? "Closing sends a referral to children’s social care, who accept it or return it." : nil)
                        },
                        selected: [], error: problems.first { $0.field == "close-reason" }),
                    GOVUK.textArea(
                        label: "Note", name: "close-note", value: "", hint: "Needed for step up and other.",
                        error: problems.first { $0.field == "close-note" }, rows: 3),
                    GOVUK.button("Close the episode", secondary: true)
                )
            )
        )
    }

    /// A quick entry for time the measures cannot see: calls, visits, meetings, admin.
    private func timeForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == "time-\(field)" } }
        return .details(
            .class("govuk-details"),
            .attribute(named: "open", value: problems.contains { $0.field.hasPrefix("time-") } ? "open" : nil),
            .summary(.class("govuk-details__summary"), .span(.class("govuk-details__summary-text"), .text("Record time spent"))),
            .div(
                .class("govuk-details__text"),
                .p(
                    .class("govuk-body"),
                    .text(
                        "Time writing the assessment and meeting records counts by itself. Add calls, visits, meetings and admin here."
                    )),
                GOVUK.postForm(
                    action: .episodeTime(authorised.id), csrf: context.csrf,
                    GOVUK.select(
                        label: "What was it?", name: "time-activity",
                        options: [.init(value: "", label: "Choose")]
                            + Activity.allCases.filter { $0 != .assessmentWriting }.map {
                                .init(value: $0.rawValue, label: $0.title)
                            },
                        selected: typedTime["time-activity"] ?? "", error: problem("activity")),
                    GOVUK.textInput(
                        label: "Minutes", name: "time-minutes", value: typedTime["time-minutes"] ?? "", error: problem("minutes"),
                        width: "4", inputMode: "numeric"),
                    GOVUK.textInput(
                        label: "Day", name: "time-on", value: typedTime["time-on"] ?? "",
                        hint: "Leave blank for today, or for example 2026-11-20", error: problem("on"), width: "10"),
                    GOVUK.button("Record time", secondary: true)
                )))
    }

    private func reopenForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        GOVUK.postForm(
            action: .reopenEpisode(authorised.id), csrf: context.csrf,
            GOVUK.textArea(
                label: "Why reopen it?", name: "reopen-reason", value: "", error: problems.first { $0.field == "reopen-reason" },
                rows: 2,
                labelClass: "govuk-label govuk-label--m"),
            GOVUK.button("Reopen the episode", secondary: true)
        )
    }

    private var versionsTable: Node<HTML.BodyContext> {
        .group(
            GOVUK.table(
                caption: "Assessment versions", headers: ["Version", "Status", "Completed", ""],
                rows: versions.map { version in
                    [
                        .text(String(version.version)), .text(version.status == .completed ? "Completed" : "Draft"),
                        .text(Format.date(version.completedAt)),
                        .a(
                            .class("govuk-link"),
                            .href(SiteURL.assessment(episode: authorised.id).path + "?version=\(version.version)"),
                            .text("Read version \(version.version)")),
                    ]
                }),
            .p(.class("govuk-body"), GOVUK.link("Compare levels of need between versions", to: .comparison(authorised.id)))
        )
    }

    private func consentSection(_ context: PageContext) -> Node<HTML.BodyContext> {
        let consent = authorised.consent
        let scope = consent.scope.shareWithAgencyTypes
        return .group(
            .h2(.class("govuk-heading-m"), .id("consent"), .text("Consent")),
            GOVUK.summaryList([
                ("Now", Self.describe(consent)),
                ("Given by", "\(consent.name)" + (consent.relationship.isEmpty ? "" : " (\(consent.relationship))")),
                ("How", consent.method.title),
                (
                    "May be shared with",
                    consent.kind == .withdrawn ? "Nobody: consent withdrawn" : scope.map(\.title).sorted().joined(separator: ", ")
                ),
            ]),
            GOVUK.table(
                caption: "Consent history", headers: ["When", "Decision", "Recorded by", "Reason"],
                rows: consentHistory.map { entry in
                    [
                        .text(Format.dateTime(entry.recordedAt)), .text(Self.describe(entry)), .text(entry.recordedBy.name),
                        .text(entry.reason),
                    ]
                }),
            .if(
                mayChangeConsent && consent.kind != .withdrawn,
                .group(
                    .details(
                        .class("govuk-details"),
                        .summary(.class("govuk-details__summary"), .text("Change what may be shared")),
                        .div(
                            .class("govuk-details__text"),
                            GOVUK.postForm(
                                action: .episodeConsent(authorised.id), csrf: context.csrf,
                                .input(.type(.hidden), .name("kind"), .value("given")),
                                .input(
                                    .type(.hidden), .name("teamVersion"),
                                    .value(String(openedAtTeamVersion ?? authorised.episode.teamVersion))),
                                GOVUK.choices(
                                    legend: "Who may the family’s information be shared with now?",
                                    name: "shareWithAgencyTypes[]",
                                    options: AgencyType.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                                    selected: Set(scope.map(\.rawValue)),
                                    hint: "Unticking a service stops sharing with it at once.", multiple: true),
                                GOVUK.button("Save what may be shared", secondary: true)
                            ))
                    ),
                    .details(
                        .class("govuk-details"),
                        .summary(.class("govuk-details__summary"), .text("Record that consent was withdrawn")),
                        .div(
                            .class("govuk-details__text"),
                            GOVUK.postForm(
                                action: .episodeConsent(authorised.id), csrf: context.csrf,
                                .input(.type(.hidden), .name("kind"), .value("withdrawn")),
                                GOVUK.textArea(
                                    label: "Who withdrew consent, and what did they say?", name: "withdrawn-reason",
                                    value: consentReasons[.withdrawn] ?? "", error: problem("withdrawn-reason"), rows: 3),
                                .p(
                                    .class("govuk-body"),
                                    .text("Sharing stops at once and the record is frozen. Nothing is deleted.")),
                                GOVUK.button("Record withdrawal", secondary: true)
                            ))
                    )
                )
            ),
            .if(
                mayOverride && consent.kind != .override,
                .details(
                    .class("govuk-details"),
                    .summary(.class("govuk-details__summary"), .text("Share without consent in the public interest")),
                    .div(
                        .class("govuk-details__text"),
                        GOVUK.postForm(
                            action: .episodeConsent(authorised.id), csrf: context.csrf,
                            .input(.type(.hidden), .name("kind"), .value("override")),
                            GOVUK.textArea(
                                label: "Why must this be shared without consent?", name: "override-reason",
                                value: consentReasons[.override] ?? "",
                                hint:
                                    "Only where a child or someone else is at risk of significant harm. This is recorded and reviewed.",
                                error: problem("override-reason"), rows: 3),
                            GOVUK.button("Override consent", secondary: true)
                        ))
                )
            )
        )
    }

    static func describe(_ consent: Consent) -> String {
        switch consent.kind {
        case .given: "Consent given (\(consent.givenBy.title.lowercased()))"
        case .withdrawn: "Consent withdrawn"
        case .override: "Shared without consent in the public interest"
        }
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}
