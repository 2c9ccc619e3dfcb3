import CAFCore
import Plot

/// The second step of signing in: the person's security key when they have one, otherwise
/// the code from their authenticator app.
struct SignInCodePage {
    /// Set for a person with security keys: the key is asked for, and no code is taken.
    var securityKey: SecurityKeyPrompt? = nil
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        if let securityKey {
            return Layout.page(
                "Use your security key", context, hasErrors: !problems.isEmpty,
                GOVUK.errorSummary(problems),
                .h1(.class("govuk-heading-l"), .text("Use your security key")),
                SecurityKeyPrompt.needsJavaScript,
                securityKey.form(
                    action: .signInSecurityKey, csrf: context.csrf,
                    .p(.class("govuk-body"), .text("Press the button, then insert or touch one of your security keys.")),
                    SecurityKeyPrompt.button("Use my security key")),
                .p(
                    .class("govuk-body"),
                    .text("Lost your keys? Ask your LA administrator to reset your two-factor sign-in."))
            )
        }
        return Layout.page(
            "Enter your code", context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Enter the code from your authenticator app")),
            GOVUK.postForm(
                action: .signInCode, csrf: context.csrf,
                GOVUK.textInput(
                    label: "Code", name: "code", value: "",
                    hint: "The 6 digits your app shows for eCAF now. Each code works once.",
                    error: problems.first, autocomplete: "one-time-code", width: "5", inputMode: "numeric"),
                GOVUK.button("Continue")
            ),
            .p(
                .class("govuk-body"),
                .text("Lost the phone with your app? Ask your LA administrator to reset your two-factor sign-in."))
        )
    }
}
