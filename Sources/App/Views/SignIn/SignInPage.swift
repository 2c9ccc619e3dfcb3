import CAFCore
import Plot

struct SignInPage {
    var email = ""
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Sign in", context, hasErrors: !problems.isEmpty,
            GOVUK.notice(notice),
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Sign in to eCAF")),
            .p(
                .class("govuk-body"),
                .text(
                    "eCAF is where practitioners who work with a child find out who else is helping, assess the child’s needs once with the family’s consent, and plan the help together."
                )),
            GOVUK.postForm(
                action: .signIn, csrf: context.csrf,
                GOVUK.textInput(
                    label: "E-mail address", name: "email", value: email, error: problems.first { $0.field == "email" },
                    type: .email, autocomplete: "username"),
                GOVUK.textInput(
                    label: "Password", name: "password", value: "", error: problems.first { $0.field == "password" },
                    type: .password, autocomplete: "current-password"),
                GOVUK.button("Sign in")
            ),
            .p(.class("govuk-body"), GOVUK.link("Forgotten your password?", to: .forgotPassword))
        )
    }
}
