import CAFCore
import Plot

/// Levels of need between two versions, element by element: did needs go down?
struct ComparisonPage {
    let authorised: AuthorisedEpisode
    let versions: [Assessment]
    let before: Assessment
    let after: Assessment
    let comparison: LevelComparison

    func render(_ context: PageContext) -> HTML {
        Layout.page(
            "Compare levels of need", context, back: .episode(authorised.id),
            .span(.class("govuk-caption-l"), .text(authorised.child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Compare levels of need")),
            .p(
                .class("govuk-body"),
                .text(
                    "Each element’s level of need in version \(before.version) and version \(after.version). Down means less need: help is working. Elements not assessed in either version cannot be compared."
                )),
            .form(
                .action(SiteURL.comparison(authorised.id).path), .method(.get),
                .div(
                    .class("govuk-form-group ecaf-inline-selects"),
                    select("From version", "from", selected: before.version),
                    select("To version", "to", selected: after.version),
                    GOVUK.button("Compare", secondary: true)
                )
            ),
            GOVUK.table(
                caption: "By domain", headers: ["Domain", "Down", "Same", "Up", "Not comparable"],
                rows: comparison.domains.map { summary in
                    [
                        .text(summary.domain.title), .text(String(summary.down)), .text(String(summary.same)),
                        .text(String(summary.up)), .text(String(summary.notComparable)),
                    ]
                }),
            GOVUK.table(
                caption: "By element",
                headers: ["Element", "Version \(before.version)", "Version \(after.version)", "Change"],
                rows: comparison.rows.map { row in
                    [
                        .text(row.element.name), .text(row.from?.label ?? "Not answered"), .text(row.to?.label ?? "Not answered"),
                        GOVUK.tag(Self.label(row.change), colour: Self.colour(row.change)),
                    ]
                })
        )
    }

    private func select(_ label: String, _ name: String, selected: Int) -> Node<HTML.FormContext> {
        .div(
            .class("govuk-form-group"),
            .label(.class("govuk-label"), .for(name), .text(label)),
            .select(
                .class("govuk-select"), .id(name), .attribute(named: "name", value: name),
                .forEach(versions) { version in
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: String(version.version)),
                            .attribute(named: "selected", value: version.version == selected ? "selected" : nil),
                            .text(
                                "Version \(version.version) (\(version.status == .completed ? "completed \(Format.date(version.completedAt))" : "draft"))"
                            ),
                        ])
                }
            )
        )
    }

    static func label(_ change: LevelChange) -> String {
        switch change {
        case .down: "Down"
        case .same: "Same"
        case .up: "Up"
        case .notComparable: "Not comparable"
        }
    }

    static func colour(_ change: LevelChange) -> String {
        switch change {
        case .down: "green"
        case .same: "grey"
        case .up: "red"
        case .notComparable: "yellow"
        }
    }
}
