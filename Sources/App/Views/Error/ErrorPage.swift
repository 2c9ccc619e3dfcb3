import Plot
import Vapor

/// A plain error page: what went wrong in words, never a stack trace.
struct ErrorPage {
    let status: HTTPResponseStatus
    let message: String
    /// Where to go instead, such as the record a merged one became part of.
    var next: (text: String, url: SiteURL)? = nil

    var title: String {
        switch status {
        case .notFound: "Page not found"
        case .forbidden: "You cannot see this"
        case .payloadTooLarge: "What you sent is too large"
        case .gone: "This record was merged"
        case .badRequest, .unprocessableEntity: "Something in the request was wrong"
        default: "Sorry, there is a problem with the service"
        }
    }

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            title, context,
            .h1(.class("govuk-heading-l"), .text(title)),
            .p(.class("govuk-body"), .id("error-message"), .text(message)),
            .unwrap(next) { .p(.class("govuk-body"), GOVUK.link($0.text, to: $0.url)) },
            .p(.class("govuk-body"), GOVUK.link("Go to your worktray", to: .home))
        )
    }
}
