import CAFCore
import Plot

/// Phone first: the LA's children's social care numbers come before any form. The call
/// is recorded afterwards.
struct SafeguardingPage {
    let child: Child
    let localAuthority: LocalAuthority
    var episodeID: String = ""
    var preAssessmentID: String = ""
    var day = "", month = "", year = "", time = ""
    var spokeTo = "", advice = "", adviceNote = "", reference = ""
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Phone children’s social care now", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Phone children’s social care now")),
            .div(
                .class("ecaf-phone-panel"), .id("social-care-numbers"),
                .p(.class("govuk-body-l"), .text("\(localAuthority.name) children’s social care")),
                GOVUK.summaryList([
                    ("Monday to Friday, office hours", localAuthority.socialCareDayPhone),
                    ("Evenings, weekends and bank holidays", localAuthority.socialCareOutOfHoursPhone),
                ]),
                .p(.class("govuk-body"), .strong(.text("If a child is in immediate danger, call 999.")))
            ),
            .p(
                .class("govuk-body"),
                .text(
                    "Do not wait to finish a form or to ask the family’s consent when a child may be at risk of significant harm. Tell social care what you have seen or been told; they will advise you. Then record the call below: a written follow-up is due within \(localAuthority.followUpHours) hours."
                )),
            .h2(.class("govuk-heading-m"), .text("After the call: record it")),
            GOVUK.postForm(
                action: .safeguarding(child: child.id!), csrf: context.csrf,
                .input(.type(.hidden), .name("episodeId"), .value(GOVUK.attribute(episodeID))),
                .input(.type(.hidden), .name("preAssessmentId"), .value(GOVUK.attribute(preAssessmentID))),
                GOVUK.dateInput(
                    legend: "Date of the call", name: "calledAt", day: day, month: month, year: year, error: problem("calledAt")),
                GOVUK.textInput(
                    label: "Time of the call", name: "calledAtTime", value: time, hint: "24-hour clock, for example 14:30",
                    error: problem("calledAtTime"), autocomplete: "off", width: "4"),
                GOVUK.textInput(
                    label: "Who did you speak to?", name: "spokeTo", value: spokeTo, hint: "Their name and role",
                    error: problem("spokeTo"), autocomplete: "off"),
                GOVUK.choices(
                    legend: "What did they advise?", name: "advice",
                    options: SafeguardingAdvice.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                    selected: [advice], error: problem("advice")),
                GOVUK.textArea(
                    label: "The advice in their words", name: "adviceNote", value: adviceNote, error: problem("adviceNote")),
                GOVUK.textInput(
                    label: "Their reference number", name: "reference", value: reference, hint: "Optional, if they gave one",
                    error: problem("reference"), autocomplete: "off", width: "10"),
                GOVUK.button("Record the call")
            )
        )
    }

    private func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
}

/// A recorded call: what was advised, and the written follow-up until it is sent.
struct SafeguardingCallPage {
    let call: SafeguardingCall
    let mayRecordFollowUp: Bool
    let mayStartCAF: Bool
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        let state = call.followUpState()
        return Layout.page(
            "Safeguarding call", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            GOVUK.notice(notice),
            .span(.class("govuk-caption-l"), .text(call.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Safeguarding call")),
            GOVUK.summaryList([
                ("Called", Format.dateTime(call.calledAt)),
                ("Made by", Format.person(call.caller)),
                ("Spoke to", call.spokeTo),
                ("Advice", call.advice.title),
                ("In their words", call.adviceNote),
                ("Reference", call.reference),
                ("Written follow-up due", Format.dateTime(call.followUpDue)),
            ]),
            .p(
                .class("govuk-body"), .text("Written follow-up: "),
                GOVUK.tag(Self.label(state), colour: Self.colour(state)),
                .text(call.followUpSentAt.map { " on \(Format.dateTime($0))" } ?? "")
            ),
            .if(
                mayRecordFollowUp && call.followUpSentAt == nil,
                GOVUK.postForm(
                    action: .followUp(call.id!), csrf: context.csrf,
                    .p(
                        .class("govuk-body"),
                        .text(
                            "Send children’s social care your written account of the concern, then record that you have sent it.")
                    ),
                    GOVUK.button("I have sent the written follow-up")
                )
            ),
            .if(
                mayStartCAF,
                .group(
                    .h2(.class("govuk-heading-m"), .text("What next")),
                    .p(.class("govuk-body"), .text("Social care advised that a CAF may go ahead.")),
                    .a(.class("govuk-button"), .href(SiteURL.startEpisode(child: call.$child.id).path), .text("Start a CAF"))
                )
            )
        )
    }

    static func label(_ state: FollowUp.State) -> String {
        switch state {
        case .sent: "Sent"
        case .due: "Due"
        case .overdue: "Overdue"
        }
    }

    static func colour(_ state: FollowUp.State) -> String {
        switch state {
        case .sent: "green"
        case .due: "yellow"
        case .overdue: "red"
        }
    }
}
