import CAFCore
import Plot
import Vapor

/// What every page needs from the request: who is signed in and the form token.
struct PageContext {
    let signedIn: SignedIn?
    let csrf: String

    init(_ req: Request) {
        signedIn = req.auth.get(SignedIn.self)
        // Error pages for paths outside the page routes (a 404, /api) have no session.
        csrf = req.hasSession ? CSRF.token(for: req) : ""
    }
}

enum Layout {
    static let serviceName = "eCAF"

    /// A whole page. `hasErrors` prefixes the title with "Error:" as GOV.UK pages do, so
    /// screen-reader users hear at once that the form needs attention.
    static func page(
        _ title: String, _ context: PageContext, hasErrors: Bool = false, back: SiteURL? = nil,
        _ content: Node<HTML.BodyContext>...
    ) -> HTML {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Only <title>, whose text Plot escapes: its `.title` also writes og:title and
                // twitter:title attributes unescaped, which let a child's name inject markup.
                .element(named: "title", text: (hasErrors ? "Error: " : "") + "\(title) – \(serviceName)"),
                .stylesheet(Assets.stylesheet.path),
                // The Show button of any password field (GOV.UK's password input), once on every
                // page; `defer="defer"`, as pages are also well-formed XML (a bare attribute is not).
                .script(.src(Assets.passwordScript.path), .attribute(named: "defer", value: "defer")),
                // Security keys (WebAuthn): acts only on a form marked `data-security-key`.
                .script(.src(Assets.securityKeyScript.path), .attribute(named: "defer", value: "defer"))
            ),
            .body(
                .class("govuk-template__body"),
                .a(.class("govuk-skip-link"), .href("#main-content"), .text("Skip to main content")),
                header(context),
                .div(
                    .class("govuk-width-container"),
                    .unwrap(back) { .a(.class("govuk-back-link"), .href($0.path), .text("Back")) },
                    .main(
                        .class("govuk-main-wrapper"), .id("main-content"), .attribute(named: "role", value: "main"),
                        .group(content)
                    )
                ),
                .footer(
                    .class("govuk-footer"),
                    .div(
                        .class("govuk-width-container"),
                        .p(
                            .text(
                                "eCAF keeps an audit of every search, view and change. Share a child’s information only with consent, unless a child is at risk of significant harm."
                            ))
                    )
                )
            )
        )
    }

    private static func header(_ context: PageContext) -> Node<HTML.BodyContext> {
        .header(
            .class("govuk-header"),
            .div(
                .class("govuk-header__container govuk-width-container"),
                .a(.class("govuk-header__link govuk-header__service-name"), .href(SiteURL.home.path), .text(serviceName)),
                .unwrap(context.signedIn) { signedIn in
                    .nav(
                        .ariaLabel("Menu"), .class("govuk-header__navigation"),
                        .ul(
                            .class("govuk-header__navigation-list"),
                            .li(.a(.class("govuk-header__link"), .href(SiteURL.home.path), .text("Worktray"))),
                            .if(
                                signedIn.reach.usesIndex,
                                .li(.a(.class("govuk-header__link"), .href(SiteURL.findChild.path), .text("Find a child")))),
                            .if(
                                signedIn.reach.seesMeasures,
                                .li(.a(.class("govuk-header__link"), .href(SiteURL.measures.path), .text("Measures")))),
                            .li(.class("govuk-header__signed-in"), .text("Signed in as \(signedIn.practitioner.name)")),
                            .li(
                                .a(
                                    .class("govuk-header__link"), .href(SiteURL.changePassword.path),
                                    .text("Change password"))),
                            .li(
                                .a(
                                    .class("govuk-header__link"), .href(SiteURL.sessions.path),
                                    .text("Where you are signed in"))),
                            .li(
                                .a(
                                    .class("govuk-header__link"), .href(SiteURL.securityKeys.path),
                                    .text("Security keys"))),
                            .li(
                                .form(
                                    .action(SiteURL.signOut.path), .method(.post), GOVUK.csrf(context.csrf),
                                    .element(
                                        named: "button",
                                        nodes: [
                                            .class("govuk-header__button"), .attribute(named: "type", value: "submit"),
                                            .text("Sign out"),
                                        ])
                                ))
                        )
                    )
                }
            )
        )
    }
}

extension HTML {
    /// The page as a response that is never cached: pages carry personal data.
    func response(_ status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}
