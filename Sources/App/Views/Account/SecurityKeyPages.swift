import CAFCore
import Foundation
import Plot
import WebAuthn

/// What a page gives `securitykey.js` to ask the browser for a key's answer: the challenge,
/// the site, and the keys to leave out (adding) or to accept (signing in).
struct SecurityKeyPrompt {
    enum Ceremony {
        /// Adding a key for this person: their account id (as bytes), e-mail and name.
        case add(userID: UUID, email: String, name: String)
        case signIn
    }

    let ceremony: Ceremony
    let challenge: [UInt8]
    let site: RelyingParty
    let credentialIDs: [String]

    /// A POST form whose submission the script holds until the key has answered, then sends
    /// with the answer in its hidden fields (or `failure` saying why there is none).
    func form<C: HTML.BodyContext>(action: SiteURL, csrf: String, _ nodes: Node<HTML.FormContext>...) -> Node<C> {
        var data: [(String, String)] = [
            ("challenge", Base64URL.encode(challenge)), ("rp-id", site.id), ("keys", credentialIDs.joined(separator: " ")),
        ]
        if case .add(let userID, let email, let name) = ceremony {
            data += [
                ("user-id", Base64URL.encode(withUnsafeBytes(of: userID.uuid) { Array($0) })), ("user-name", email),
                ("user-display-name", name),
            ]
        }
        let adding = if case .add = ceremony { true } else { false }
        let fields =
            ["failure", "credentialId", "clientDataJSON"]
            + (adding ? ["attestationObject"] : ["authenticatorData", "signature"])
        return .form(
            .action(action.path), .method(.post), .attribute(named: "novalidate", value: "novalidate"),
            .data(named: "security-key", value: adding ? "add" : "sign-in"),
            .group(data.map { .data(named: $0.0, value: GOVUK.attribute($0.1)) }),
            GOVUK.csrf(csrf),
            .group(fields.map { .input(.type(.hidden), .name($0), .value("")) }),
            .group(nodes))
    }

    /// The button that starts the ceremony; the error summary's link for a key's problem
    /// (`securityKey`) lands on it.
    static func button(_ text: String) -> Node<HTML.FormContext> {
        .element(
            named: "button",
            nodes: [
                .class("govuk-button"), .id("securityKey"), .attribute(named: "type", value: "submit"), .text(text),
            ])
    }

    /// Said where the script cannot run: the key needs it.
    static var needsJavaScript: Node<HTML.BodyContext> {
        .element(
            named: "noscript",
            nodes: [
                .p(
                    .class("govuk-body govuk-!-font-weight-bold"),
                    .text("Security keys need JavaScript. Turn it on in your browser to use one."))
            ])
    }
}

/// A person's own security keys: the list, and adding one with their password.
struct SecurityKeysPage {
    let keys: [SecurityKey]
    let prompt: SecurityKeyPrompt
    /// They have an authenticator app: its code is asked for too.
    var needsCode: Bool
    var name = ""
    var problems: [FieldProblem] = []
    var notice: String? = nil

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Security keys", context, hasErrors: !problems.isEmpty,
            GOVUK.notice(notice),
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Security keys")),
            .p(
                .class("govuk-body"),
                .text(
                    "A security key (for example a YubiKey, or the fingerprint reader or PIN of your computer) proves it is you in a way a fake eCAF page cannot copy: it only answers eCAF’s own address."
                )),
            .if(
                keys.isEmpty,
                .p(.class("govuk-body"), .text("You have not added a security key.")),
                else: GOVUK.table(
                    caption: "Your security keys", headers: ["Name", "Added", "Last used", "Action"],
                    rows: keys.map { key in
                        [
                            .text(key.name), .text(Format.dateTime(key.createdAt)),
                            .text(key.lastUsedAt.map(Format.dateTime) ?? "Not yet"),
                            .a(
                                .class("govuk-link"), .href(SiteURL.removeSecurityKey(key.id!).path),
                                .text("Remove"), .span(.class("govuk-visually-hidden"), .text(" \(key.name)"))),
                        ]
                    })),
            .h2(.class("govuk-heading-m"), .text("Add a security key")),
            .div(
                .class("govuk-warning-text"),
                .span(.class("govuk-warning-text__icon"), .attribute(named: "aria-hidden", value: "true"), .text("!")),
                .strong(
                    .class("govuk-warning-text__text"),
                    .span(.class("govuk-visually-hidden"), .text("Warning")),
                    .text(
                        "Once you add a key, signing in asks for it and no longer takes a code from your app. Add a second key as a spare: if you lose every key, your LA administrator must reset your two-factor sign-in."
                    ))),
            SecurityKeyPrompt.needsJavaScript,
            prompt.form(
                action: .securityKeys, csrf: context.csrf,
                GOVUK.textInput(
                    label: "Name the key", name: "name", value: name,
                    hint: "So you can tell your keys apart, for example ‘Blue key on my lanyard’. Up to 60 characters.",
                    error: problem("name")),
                GOVUK.textInput(
                    label: "Your password", name: "password", value: "", hint: "To show it is you.",
                    error: problem("password"), type: .password, autocomplete: "current-password"),
                RemoveSecurityKeyPage.codeInput(needsCode, error: problem("code")),
                .p(.class("govuk-body"), .text("When you press the button, insert or touch your key.")),
                SecurityKeyPrompt.button("Add a security key"))
        )
    }
}

/// Removing one of the person's keys, with their password (and code).
struct RemoveSecurityKeyPage {
    let key: SecurityKey
    let isLast: Bool
    /// False for the only second factor of an account that must have one.
    let mayRemove: Bool
    var needsCode: Bool
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        return Layout.page(
            "Remove a security key", context, hasErrors: !problems.isEmpty, back: .securityKeys,
            GOVUK.errorSummary(problems),
            .h1(.class("govuk-heading-l"), .text("Remove the security key ‘\(key.name)’")),
            .p(
                .class("govuk-body"),
                .text(
                    !mayRemove
                        ? "It is your only second factor, so it cannot be removed: add another key, or set up an authenticator app, first."
                        : isLast
                            ? "It is your only key: after this, signing in asks for the code from your authenticator app again, if you have one set up."
                            : "It will no longer sign you in. Your other keys still will.")),
            .if(
                mayRemove,
                GOVUK.postForm(
                    action: .removeSecurityKey(key.id!), csrf: context.csrf,
                    GOVUK.textInput(
                        label: "Your password", name: "password", value: "", hint: "To show it is you.",
                        error: problem("password"), type: .password, autocomplete: "current-password"),
                    Self.codeInput(needsCode, error: problem("code")),
                    GOVUK.button("Remove the key")),
                else: .p(.class("govuk-body"), GOVUK.link("Back to your security keys", to: .securityKeys)))
        )
    }

    /// The app's code, for a person who has one.
    static func codeInput(_ needsCode: Bool, error: FieldProblem?) -> Node<HTML.FormContext> {
        .if(
            needsCode,
            GOVUK.textInput(
                label: "Code from your authenticator app", name: "code", value: "",
                hint: "The 6 digits your app shows for eCAF now.", error: error, autocomplete: "one-time-code", width: "5",
                inputMode: "numeric"))
    }
}
