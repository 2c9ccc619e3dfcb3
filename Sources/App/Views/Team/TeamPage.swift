import CAFCore
import Foundation
import Plot

/// The team around the child: who leads, who is on the team, and its meetings.
struct TeamPage {
    let authorised: AuthorisedEpisode
    private var shield: Shield { authorised.shield }
    let team: Teams.Team
    let practitioners: [Practitioner]
    let mayCoordinate: Bool
    let isCoordinator: Bool
    var problems: [FieldProblem] = []
    var notice: String? = nil
    /// What was typed, kept when a form comes back with a problem.
    var typed: [String: String] = [:]

    func render(_ context: PageContext) -> HTML {
        let episode = authorised.episode
        return Layout.page(
            "Team around the child", context, hasErrors: !problems.isEmpty, back: .episode(authorised.id),
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Team around the child")),
            .p(
                .class("govuk-body"),
                .text(
                    "The practitioners and family members working together for \(authorised.child.fullName). Meet as a team, agree one lead professional to be the family’s single point of contact, and plan the help."
                )),
            .h2(.class("govuk-heading-m"), .text("Lead professional")),
            .p(
                .class("govuk-body"), .id("current-lead"),
                .text(
                    episode.leadProfessional.map {
                        shield.hidesWhereabouts ? shield.person($0) : "\(shield.person($0)), \($0.phone), \($0.email)"
                    } ?? "Not agreed yet.")),
            .if(
                !team.leads.isEmpty,
                GOVUK.table(
                    caption: "Lead professional history",
                    headers: ["Lead professional", "Agency", "From", "To", "How", "Handover note"],
                    rows: team.leads.map { term in
                        [
                            .text(
                                shield.hidesWhereabouts
                                    ? term.practitioner.name : "\(term.practitioner.name), \(term.organisation)"),
                            .text(term.agencyType.title),
                            .text(Format.date(term.startedAt)), .text(term.endedAt.map { Format.date($0) } ?? "Now"),
                            .text(term.basis == .agreedAtMeeting ? "Agreed at a TAC meeting" : "Assigned by the coordinator"),
                            .text(term.handoverNote),
                        ]
                    })),
            .if(mayCoordinate, leadForm(context)),
            .h2(.class("govuk-heading-m"), .text("Members")),
            .ul(
                .class("govuk-list govuk-list--bullet"), .id("members"),
                .forEach(practitioners) { practitioner in
                    .li(
                        .text(
                            shield.hidesWhereabouts
                                ? shield.person(practitioner)
                                : "\(shield.person(practitioner)) (\(practitioner.organisation?.agencyType.title ?? ""))"))
                },
                .forEach(team.familyMembers) { member in .li(.text("\(member.name) (\(member.relationship), family)")) }
            ),
            .if(mayCoordinate, familyForm(context)),
            .h2(.class("govuk-heading-m"), .text("TAC meetings")),
            team.meetings.isEmpty
                ? .p(.class("govuk-body"), .text("No meetings yet."))
                : GOVUK.table(
                    caption: "Meetings", headers: ["When", "Where", "Status", ""],
                    rows: team.meetings.map { meeting in
                        [
                            .text(Format.dateTime(meeting.scheduledAt)), .text(shield.text(meeting.place)),
                            GOVUK.tag(meeting.held ? "Held" : "Planned", colour: meeting.held ? "green" : "blue"),
                            .a(
                                .class("govuk-link"), .href(SiteURL.meeting(meeting.id!).path),
                                .text("Meeting on \(Format.date(meeting.scheduledAt))")),
                        ]
                    }),
            .if(mayCoordinate, meetingForm(context))
        )
    }

    private func leadForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        let held = team.meetings.filter(\.held)
        return .details(
            .class("govuk-details"),
            .attribute(named: "open", value: problems.contains { $0.field.hasPrefix("lead") } ? "open" : nil),
            .summary(
                .class("govuk-details__summary"),
                .text(
                    authorised.episode.leadProfessional == nil
                        ? "Agree a lead professional" : "Hand over to a new lead professional")),
            .div(
                .class("govuk-details__text"),
                GOVUK.postForm(
                    action: .leadProfessional(authorised.id), csrf: context.csrf,
                    .input(
                        .type(.hidden), .name("teamVersion"),
                        .value(typed["teamVersion"] ?? String(authorised.episode.teamVersion))),
                    GOVUK.choices(
                        legend: "Who will lead?", name: "practitionerId",
                        options: practitioners.filter { $0.id != authorised.episode.$leadProfessional.id && !$0.disabled }.map {
                            .init(value: $0.id!.uuidString, label: shield.person($0))
                        },
                        selected: [typed["practitionerId"] ?? ""], error: problem("practitionerId")),
                    GOVUK.textInput(
                        label: "Or another practitioner’s e-mail address", name: "otherEmail", value: typed["otherEmail"] ?? "",
                        hint: "They join the team if the family’s consent covers their service.", error: problem("otherEmail"),
                        type: .email,
                        autocomplete: "off"),
                    GOVUK.choices(
                        legend: "How was this decided?", name: "basis",
                        options: [.init(value: LeadProfessionalBasis.agreedAtMeeting.rawValue, label: "Agreed at a TAC meeting")]
                            + (isCoordinator
                                ? [
                                    .init(
                                        value: LeadProfessionalBasis.assignedByCoordinator.rawValue,
                                        label: "Assigned by me, the coordinator")
                                ] : []),
                        selected: [typed["basis"] ?? LeadProfessionalBasis.agreedAtMeeting.rawValue], error: problem("basis")),
                    GOVUK.choices(
                        legend: "At which meeting?", name: "meetingId",
                        options: held.map {
                            .init(value: $0.id!.uuidString, label: "\(Format.date($0.scheduledAt)), \(shield.text($0.place))")
                        },
                        selected: [typed["meetingId"] ?? held.last?.id?.uuidString ?? ""],
                        hint: held.isEmpty ? "No meeting has been recorded as held yet." : nil, error: problem("meetingId")),
                    GOVUK.textArea(
                        label: "Handover note", name: "handoverNote", value: typed["handoverNote"] ?? "",
                        hint: "What the new lead needs to know. Needed when handing over.", error: problem("handoverNote"),
                        rows: 3),
                    GOVUK.button("Save lead professional", secondary: true)
                )
            )
        )
    }

    private func familyForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        .details(
            .class("govuk-details"),
            .summary(.class("govuk-details__summary"), .text("Add a family member to the team")),
            .div(
                .class("govuk-details__text"),
                GOVUK.postForm(
                    action: .familyMembers(authorised.id), csrf: context.csrf,
                    GOVUK.textInput(
                        label: "Name", name: "name", value: typed["name"] ?? "", error: problem("name"), autocomplete: "off"),
                    GOVUK.textInput(
                        label: "Relationship to the child", name: "relationship", value: typed["relationship"] ?? "",
                        hint: "For example, mother, grandfather, foster carer", error: problem("relationship"),
                        autocomplete: "off"),
                    GOVUK.button("Add to the team", secondary: true)
                )
            )
        )
    }

    private func meetingForm(_ context: PageContext) -> Node<HTML.BodyContext> {
        let invitees: [GOVUK.Option] =
            practitioners.map { .init(value: $0.id!.uuidString, label: shield.person($0)) }
            + team.familyMembers.map { .init(value: $0.id!.uuidString, label: "\($0.name) (\($0.relationship))") }
        return .details(
            .class("govuk-details"),
            .summary(.class("govuk-details__summary"), .text("Plan a TAC meeting")),
            .div(
                .class("govuk-details__text"),
                GOVUK.postForm(
                    action: .meetings(authorised.id), csrf: context.csrf,
                    GOVUK.dateInput(
                        legend: "Date", name: "scheduledAt", day: typed["scheduledAt-day"] ?? "",
                        month: typed["scheduledAt-month"] ?? "",
                        year: typed["scheduledAt-year"] ?? "", error: problem("scheduledAt")),
                    GOVUK.textInput(
                        label: "Time", name: "scheduledAtTime", value: typed["scheduledAtTime"] ?? "",
                        hint: "24-hour clock, for example 15:30",
                        autocomplete: "off", width: "4"),
                    GOVUK.textInput(
                        label: "Where", name: "place", value: typed["place"] ?? "", error: problem("place"), autocomplete: "off"),
                    GOVUK.choices(
                        legend: "Who to invite", name: "invitees[]", options: invitees, selected: Set(invitees.map(\.value)),
                        error: problem("invitees"), multiple: true),
                    GOVUK.button("Plan the meeting", secondary: true)
                )
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}

/// One TAC meeting: who was invited and, once held, who came, the minutes and decisions.
struct MeetingPage {
    let authorised: AuthorisedEpisode
    private var shield: Shield { authorised.shield }
    let meeting: TACMeeting
    let mayRecord: Bool
    var problems: [FieldProblem] = []
    var typed: [String: String] = [:]
    /// This visit's editing session: writing the meeting up counts as meeting time.
    var editingSession: UUID? = nil
    /// Recorded by someone else while this person wrote: their record is shown, and the form
    /// again below it with what this person typed.
    var resending = false

    static let outcomes: [GOVUK.Option] = [Attendance.attended, .apologies, .didNotAttend].map {
        .init(value: $0.rawValue, label: $0.title)
    }

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "TAC meeting", context, hasErrors: !problems.isEmpty, back: .team(authorised.id),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("TAC meeting on \(Format.date(meeting.scheduledAt))")),
            GOVUK.summaryList([
                ("When", Format.dateTime(meeting.scheduledAt)), ("Where", shield.text(meeting.place)),
                ("Status", meeting.held ? "Held" : "Planned"),
            ]),
            .if(
                meeting.held,
                .group(
                    GOVUK.table(
                        caption: "Attendance", headers: ["Who", "Agency", "Attendance"],
                        rows: meeting.invitations.map { invitation in
                            [
                                .text(invitation.name), .text(invitation.agencyType?.title ?? "Family"),
                                .text(invitation.attendance.title),
                            ]
                        }),
                    GOVUK.summaryList([("Minutes", meeting.minutes), ("Decisions", meeting.decisions)])
                )),
            .if(
                !meeting.held || resending,
                mayRecord
                    ? GOVUK.postForm(
                        action: .meeting(meeting.id!), csrf: context.csrf,
                        GOVUK.editingMarks(editingSession),
                        // The version this form shows: a recording made since is not overwritten.
                        .input(.type(.hidden), .name("version"), .value(String(meeting.version))),
                        .h2(.class("govuk-heading-m"), .text("After the meeting: who came?")),
                        .forEach(meeting.invitations) { invitation in
                            GOVUK.choices(
                                legend: "\(invitation.name) (\(invitation.agencyType?.title ?? "family"))",
                                name: "attendance.\(invitation.id!.uuidString.lowercased())", options: Self.outcomes,
                                selected: [typed["attendance.\(invitation.id!.uuidString.lowercased())"] ?? ""],
                                error: problems.first { $0.field == "attendance.\(invitation.id!.uuidString.lowercased())" },
                                inline: true)
                        },
                        GOVUK.textArea(
                            label: "Minutes", name: "minutes", value: typed["minutes"] ?? "",
                            error: problems.first { $0.field == "minutes" }),
                        GOVUK.textArea(label: "Decisions", name: "decisions", value: typed["decisions"] ?? "", rows: 3),
                        GOVUK.button("Record the meeting")
                    )
                    : .p(.class("govuk-body"), .text("This meeting has not been recorded yet."))
            )
        )
    }
}
