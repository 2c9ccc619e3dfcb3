import CAFCore
import Plot

/// Where the signed-in person is signed in, and the form to sign out of one place or of every
/// other, with their password (and code) entered again.
struct SessionsPage {
    let entries: [SessionList.Entry]
    var needsCode: Bool
    var which = ""
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        let others = entries.filter { !$0.current }
        return Layout.page(
            "Where you are signed in", context, hasErrors: !problems.isEmpty,
            GOVUK.notice(notice),
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Where you are signed in")),
            GOVUK.table(
                caption: "Your sessions and API tokens", headers: ["Where", "Signed in", "Last used", "This one?"],
                rows: entries.map { entry in
                    [
                        .text(entry.device.isEmpty ? "A browser" : entry.device),
                        .text(Format.dateTime(entry.startedAt)),
                        .text(
                            entry.lastSeenAt.map(Format.dateTime)
                                ?? entry.expiresAt.map { "Not tracked (works until \(Format.dateTime($0)))" } ?? ""),
                        .text(entry.current ? "Yes, you are using it now" : "No"),
                    ]
                }),
            .if(
                others.isEmpty,
                .p(.class("govuk-body"), .text("You are not signed in anywhere else.")),
                else: GOVUK.postForm(
                    action: .sessions, csrf: context.csrf,
                    GOVUK.choices(
                        legend: "Sign out of", name: "which",
                        options: others.map {
                            .init(
                                value: $0.id.uuidString,
                                label:
                                    "\($0.device.isEmpty ? "A browser" : $0.device), signed in \(Format.dateTime($0.startedAt))"
                            )
                        } + [.init(value: "all", label: "Everywhere but here")],
                        selected: [which], error: problem("which"), legendClass: "govuk-fieldset__legend--m"),
                    GOVUK.textInput(
                        label: "Your password", name: "password", value: "", hint: "To show it is you.",
                        error: problem("password"), type: .password, autocomplete: "current-password"),
                    .if(
                        needsCode,
                        GOVUK.textInput(
                            label: "Code from your authenticator app", name: "code", value: "",
                            hint: "The 6 digits your app shows for eCAF now.", error: problem("code"),
                            autocomplete: "one-time-code", width: "5", inputMode: "numeric")),
                    GOVUK.button("Sign out")
                ))
        )
    }
}
