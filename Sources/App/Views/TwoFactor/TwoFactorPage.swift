import CAFCore
import OneTimePasswords
import Plot

/// Setting up two-factor sign-in: a QR code drawn on the server, the same key to type by
/// hand, and a first code to prove the app holds it.
struct TwoFactorPage {
    var email = ""
    var secret: [UInt8] = []
    var done = false
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        guard !done else {
            return Layout.page(
                "Two-factor sign-in", context,
                .h1(.class("govuk-heading-l"), .text("Two-factor sign-in is set up")),
                .p(.class("govuk-body"), .text("Each time you sign in, eCAF will ask for the code from your authenticator app.")),
                .p(.class("govuk-body"), GOVUK.link("Go to your worktray", to: .home)))
        }
        let key = Base32.encode(secret)
        let grouped = stride(from: 0, to: key.count, by: 4).map { start in
            String(key.dropFirst(start).prefix(4))
        }.joined(separator: " ")
        let qr = QRCode(TOTP.uri(secret: secret, account: email))
        return Layout.page(
            "Set up two-factor sign-in", context, hasErrors: !problems.isEmpty,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Set up two-factor sign-in")),
            .p(
                .class("govuk-body"),
                .text(
                    "eCAF holds children’s records, so signing in takes your password and a code from an authenticator app on your phone (for example Microsoft Authenticator or Google Authenticator)."
                )),
            .h2(.class("govuk-heading-m"), .text("1. Add eCAF to your app")),
            .p(.class("govuk-body"), .text("Scan this QR code with the app:")),
            .unwrap(qr) { qr in .div(.class("ecaf-qr"), .raw(qr.svg(title: "QR code to add eCAF to your authenticator app"))) },
            .p(.class("govuk-body"), .text("Or, if you cannot scan it, choose to enter a key by hand and type:")),
            .p(.class("govuk-body govuk-!-font-weight-bold ecaf-key"), .id("manual-key"), .text(grouped)),
            .p(.class("govuk-hint"), .text("Time-based, 6 digits, every 30 seconds. Account: \(email)")),
            .h2(.class("govuk-heading-m"), .text("2. Enter the code it shows")),
            GOVUK.postForm(
                action: .twoFactor, csrf: context.csrf,
                GOVUK.textInput(
                    label: "Code", name: "code", value: "", hint: "The 6 digits shown for eCAF", error: problems.first,
                    autocomplete: "one-time-code", width: "5", inputMode: "numeric"),
                GOVUK.button("Set up two-factor sign-in")
            )
        )
    }
}
