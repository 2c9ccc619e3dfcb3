import CAFCore
import Plot

/// The second step of signing in: the code from the person's authenticator app.
struct SignInCodePage {
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        Layout.page(
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
