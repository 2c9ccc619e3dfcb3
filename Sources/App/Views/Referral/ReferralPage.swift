import CAFCore
import Plot

/// A step-up referral, for children's social care to accept or return.
struct ReferralPage {
    let referral: Referral
    let authorised: AuthorisedEpisode
    var problems: [FieldProblem] = []
    var typed: [String: String] = [:]

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Step-up referral", context, hasErrors: !problems.isEmpty, back: .home,
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Step-up referral")),
            GOVUK.summaryList([
                (
                    "Child",
                    "\(authorised.child.fullName), \(authorised.child.unborn ? "due" : "born") \(Format.calendarDate(authorised.child.dateOfBirth))"
                ),
                ("Referred", Format.dateTime(referral.referredAt)),
                ("By", authorised.shield.person(referral.referredBy)),
                ("Why", referral.note),
                ("Decision", referral.decision.title),
            ]),
            .p(.class("govuk-body"), GOVUK.link("Read the CAF episode and its assessment", to: .episode(authorised.id))),
            .if(
                referral.decision == .pending,
                GOVUK.postForm(
                    action: .referral(referral.id!), csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Your decision", name: "decision",
                        options: [
                            .init(
                                value: ReferralDecision.accepted.rawValue, label: "Accept: children’s social care take it forward"
                            ),
                            .init(
                                value: ReferralDecision.returned.rawValue, label: "Return to early help",
                                hint: "The CAF reopens so the team carries on; say why."),
                        ],
                        selected: [typed["decision"] ?? ""], error: problems.first { $0.field == "decision" },
                        legendClass: "govuk-fieldset__legend--m"),
                    GOVUK.textArea(
                        label: "Reason", name: "reason", value: typed["reason"] ?? "",
                        error: problems.first { $0.field == "reason" },
                        rows: 3),
                    GOVUK.button("Record the decision")
                )
            )
        )
    }
}
