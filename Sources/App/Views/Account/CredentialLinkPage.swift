import CAFCore
import Foundation
import Plot

/// Where a one-time link from an e-mail lands: choose a password (a new account or a
/// forgotten one), or prove the password before setting two-factor up again.
struct CredentialLinkPage {
    var purpose: CredentialLink.Purpose
    var token: String
    var needsCode: Bool
    /// Whose link it is: their name and address may not be in their password.
    var holder: Practitioner
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        let (title, button): (String, String) =
            switch purpose {
            case .newAccount: ("Choose your password", "Save my password")
            case .resetPassword: ("Choose a new password", "Save my new password")
            case .resetTwoFactor: ("Set up two-factor sign-in again", "Continue")
            }
        return Layout.page(
            title, context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text(title)),
            GOVUK.postForm(
                action: .credentialLink, csrf: context.csrf,
                .input(.type(.hidden), .name("token"), .value(GOVUK.attribute(token))),
                .if(
                    purpose == .resetTwoFactor,
                    .group(
                        .p(.class("govuk-body"), .text("Enter your password, then set up your authenticator app.")),
                        GOVUK.textInput(
                            label: "Password", name: "password", value: "", error: problem("password"), type: .password,
                            autocomplete: "current-password")),
                    else: Self.newPassword(problem, needsCode: needsCode, for: holder, named: !needsCode)),
                GOVUK.button(button)
            )
        )
    }

    /// Choosing a new password: twice, with the policy as a hint (shared with changing it),
    /// and a strength meter for those with JavaScript.
    static func newPassword(_ problem: (String) -> FieldProblem?, needsCode: Bool, for holder: Practitioner, named: Bool)
        -> Node<HTML.FormContext>
    {
        .group(
            GOVUK.textInput(
                label: "New password", name: "newPassword", value: "",
                hint:
                    "At least \(PasswordPolicy.minimumLength) characters. Three or four unrelated words make a strong one that is easy to remember.",
                error: problem("newPassword"), type: .password, autocomplete: "new-password",
                describedAlsoBy: "newPassword-strength"),
            strengthMeter(for: holder, named: named),
            GOVUK.textInput(
                label: "The new password again", name: "confirmPassword", value: "", error: problem("confirmPassword"),
                type: .password, autocomplete: "new-password"),
            .if(
                needsCode,
                GOVUK.textInput(
                    label: "Code from your authenticator app", name: "code", value: "",
                    hint: "The 6 digits your app shows for eCAF now.", error: problem("code"),
                    autocomplete: "one-time-code", width: "5", inputMode: "numeric"))
        )
    }
}

/// A link that was used, has expired, was replaced by a newer one, or never existed: all
/// look the same, so a guessed link learns nothing.
struct LinkUnusablePage {
    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "This link cannot be used", context,
            .h1(.class("govuk-heading-l"), .text("This link has expired or has already been used")),
            .p(.class("govuk-body"), .text("Each link from eCAF works once, for a limited time, and only the newest one works.")),
            .p(
                .class("govuk-body"),
                .text("If you know your password, "), GOVUK.link("sign in", to: .signIn),
                .text(". If you have forgotten it, "), GOVUK.link("ask for a new link", to: .forgotPassword),
                .text(
                    ". For a new account or a reset of two-factor sign-in, ask your LA administrator to send a new link."))
        )
    }
}

/// Asking for a forgotten-password link: the same answer whether or not the address has an
/// account.
struct ForgotPasswordPage {
    var sent = false
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        guard !sent else {
            return Layout.page(
                "Check your e-mail", context,
                .h1(.class("govuk-heading-l"), .text("Check your e-mail")),
                .p(
                    .class("govuk-body"),
                    .text(
                        "If eCAF has an account for that address, we have sent it a link to choose a new password. The link works once, for an hour."
                    )),
                .p(
                    .class("govuk-body"), .text("Nothing arrived? Check the address, wait a few minutes, then "),
                    GOVUK.link("ask again", to: .forgotPassword), .text(".")))
        }
        return Layout.page(
            "Forgotten your password", context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Forgotten your password")),
            .p(.class("govuk-body"), .text("eCAF will e-mail a link to choose a new one to your work address.")),
            GOVUK.postForm(
                action: .forgotPassword, csrf: context.csrf,
                GOVUK.textInput(
                    label: "E-mail address", name: "email", value: "", error: problems.first, type: .email,
                    autocomplete: "username"),
                GOVUK.button("Send me a link")
            )
        )
    }
}

extension CredentialLinkPage {
    /// The strength meter under the new password (ASVS V2.1.8): hidden until `password.js`
    /// shows it and says, as the person types, whether `PasswordPolicy` allows the password
    /// and how strong it is, in words. The policy's numbers and lists travel with it (lists as
    /// JSON), so the script holds none of its own; the server checks the password either way.
    /// The holder's own words are given only to a page whose holder has proved who they are:
    /// a reset link still waiting for its authenticator code does not name them.
    static func strengthMeter<C: HTML.BodyContext>(for holder: Practitioner, named: Bool) -> Node<C> {
        let personal = named ? PasswordPolicy.personalWords(email: holder.email, name: holder.name) : []
        return .p(
            .class("govuk-body ecaf-password-strength"), .id("newPassword-strength"),
            .attribute(named: "aria-live", value: "polite"), .attribute(named: "hidden", value: "hidden"),
            .data(named: "minimum", value: String(PasswordPolicy.minimumLength)),
            .data(named: "strong", value: String(PasswordPolicy.strongLength)),
            .data(named: "max-bytes", value: String(PasswordPolicy.maximumBytes)),
            .data(named: "common", value: GOVUK.attribute(json(PasswordPolicy.common.sorted()))),
            .if(named, .data(named: "personal", value: GOVUK.attribute(json(personal)))))
    }

    private static func json(_ words: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(words)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// Changing one's own password while signed in.
struct ChangePasswordPage {
    var needsCode: Bool
    var holder: Practitioner
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Change your password", context, hasErrors: !problems.isEmpty,
            GOVUK.notice(notice),
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Change your password")),
            .p(.class("govuk-body"), .text("Every other place you are signed in will be signed out.")),
            GOVUK.postForm(
                action: .changePassword, csrf: context.csrf,
                GOVUK.textInput(
                    label: "Current password", name: "currentPassword", value: "", error: problem("currentPassword"),
                    type: .password, autocomplete: "current-password"),
                CredentialLinkPage.newPassword(problem, needsCode: needsCode, for: holder, named: true),
                GOVUK.button("Change my password")
            )
        )
    }
}
