import Plot

/// GOV.UK pagination: previous and next, the first and last pages, and the pages either side
/// of this one, as links (`?page=N`) that work without JavaScript.
enum Pagination {
    static func links(_ paging: any PageOfList, to url: SiteURL) -> Node<HTML.BodyContext> {
        let count = paging.pageCount
        guard count > 1 || paging.page.number > 1 else { return .empty }
        let current = paging.page.number
        let previous = min(current - 1, count)
        return .element(
            named: "nav",
            nodes: [
                .class("govuk-pagination"), .attribute(named: "aria-label", value: "Pages"),
                .if(previous >= 1, step("Previous", page: previous, rel: "prev", to: url)),
                .ul(
                    .class("govuk-pagination__list"),
                    .forEach(numbers(current: current, count: count)) { number in
                        guard let number else {
                            return .li(.class("govuk-pagination__item govuk-pagination__item--ellipses"), .text("⋯"))
                        }
                        return .li(
                            .class("govuk-pagination__item" + (number == current ? " govuk-pagination__item--current" : "")),
                            .a(
                                .class("govuk-link govuk-pagination__link"), .href(href(url, number)),
                                .attribute(named: "aria-label", value: "Page \(number)"),
                                .if(number == current, .attribute(named: "aria-current", value: "page")),
                                .text(String(number))))
                    }),
                .if(current < count, step("Next", page: current + 1, rel: "next", to: url)),
            ])
    }

    /// The page numbers to show, nil where a run of them is left out: the first, the last, and
    /// this page with its neighbours (past the end, the last page's).
    static func numbers(current: Int, count: Int) -> [Int?] {
        let anchor = min(current, count)
        let shown = Set([1, count, anchor - 1, anchor, anchor + 1].filter { (1...count).contains($0) }).sorted()
        var numbers: [Int?] = []
        for number in shown {
            if let last = numbers.last, let last, number > last + 1 { numbers.append(nil) }
            numbers.append(number)
        }
        return numbers
    }

    private static func href(_ url: SiteURL, _ page: Int) -> String { page == 1 ? url.path : url.path + "?page=\(page)" }

    private static func step(_ label: String, page: Int, rel: String, to url: SiteURL) -> Node<HTML.BodyContext> {
        .div(
            .class("govuk-pagination__\(rel)"),
            .a(
                .class("govuk-link govuk-pagination__link"), .href(href(url, page)), .attribute(named: "rel", value: rel),
                .span(
                    .class("govuk-pagination__link-title"), .text(label),
                    .span(.class("govuk-visually-hidden"), .text(" page")))))
    }
}
