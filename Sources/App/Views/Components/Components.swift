import CAFCore
import Foundation
import Plot

/// GOV.UK Design System patterns as Plot nodes. Field ids derive from field names, so an
/// error summary link (`#id`) always lands on the field it names.
enum GOVUK {
    static func fieldID(_ name: String) -> String {
        let name = name.hasSuffix("[]") ? String(name.dropLast(2)) : name
        return String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// Plot escapes text but writes attribute values as given, so every value that can hold
    /// what a user typed goes through here. By code point, not by character: a quote followed
    /// by a combining mark is one Swift character that is not `"`, yet the browser ends the
    /// attribute at the quote (found by review).
    static func attribute(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// "There is a problem": a list of links to each field at fault, focused first.
    static func errorSummary<C: HTML.BodyContext>(_ problems: [FieldProblem]) -> Node<C> {
        .if(
            !problems.isEmpty,
            .div(
                .class("govuk-error-summary"), .attribute(named: "role", value: "alert"),
                .attribute(named: "aria-labelledby", value: "error-summary-title"), .attribute(named: "tabindex", value: "-1"),
                .h2(.class("govuk-error-summary__title"), .id("error-summary-title"), .text("There is a problem")),
                .ul(
                    .class("govuk-error-summary__list"),
                    .forEach(problems) { problem in
                        .li(.a(.href("#" + fieldID(problem.field)), .text(problem.message)))
                    }
                )
            )
        )
    }

    static func errorMessage<C: HTML.BodyContext>(_ problem: FieldProblem?, id: String) -> Node<C> {
        .unwrap(problem) { problem in
            .p(
                .class("govuk-error-message"), .id(id + "-error"),
                .span(.class("govuk-visually-hidden"), .text("Error: ")), .text(problem.message))
        }
    }

    private static func describedBy(id: String, hint: String?, error: FieldProblem?, also: String? = nil) -> String? {
        let ids = [hint == nil ? nil : id + "-hint", error == nil ? nil : id + "-error", also].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }

    static func hint<C: HTML.BodyContext>(_ text: String?, id: String) -> Node<C> {
        .unwrap(text) { .div(.class("govuk-hint"), .id(id + "-hint"), .text($0)) }
    }

    /// A text input; a password one is GOV.UK's password input, whose Show button the layout's
    /// script reveals (hidden, the field is an ordinary password field without it).
    static func textInput<C: HTML.BodyContext>(
        label: String, name: String, value: String, hint: String? = nil, error: FieldProblem? = nil,
        type: HTMLInputType = .text, autocomplete: String? = nil, width: String? = nil, inputMode: String? = nil,
        describedAlsoBy: String? = nil
    ) -> Node<C> {
        let id = fieldID(name)
        let password = type == .password
        let input: Node<C> = .input(
            .class(
                "govuk-input" + (width.map { " govuk-input--width-\($0)" } ?? "")
                    + (password ? " govuk-password-input__input govuk-js-password-input-input" : "")
                    + (error == nil ? "" : " govuk-input--error")),
            .id(id), .name(name), .type(type), .value(attribute(value)),
            .attribute(named: "autocomplete", value: autocomplete),
            .attribute(named: "inputmode", value: inputMode),
            .attribute(named: "aria-describedby", value: describedBy(id: id, hint: hint, error: error, also: describedAlsoBy)),
            .attribute(named: "spellcheck", value: type == .email || password ? "false" : nil),
            .attribute(named: "autocapitalize", value: password ? "none" : nil)
        )
        return .div(
            .class(
                (error == nil ? "govuk-form-group" : "govuk-form-group govuk-form-group--error")
                    + (password ? " govuk-password-input" : "")),
            .label(.class("govuk-label"), .for(id), .text(label)),
            Self.hint(hint, id: id),
            errorMessage(error, id: id),
            password
                ? .div(
                    .class("govuk-input__wrapper govuk-password-input__wrapper"), input,
                    .button(
                        .type(.button),
                        .class(
                            "govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle"),
                        .attribute(named: "aria-controls", value: id), .attribute(named: "aria-label", value: "Show password"),
                        .attribute(named: "hidden", value: "hidden"), .text("Show")))
                : input
        )
    }

    static func textArea<C: HTML.BodyContext>(
        label: String, name: String, value: String, hint: String? = nil, error: FieldProblem? = nil, rows: Int = 4,
        labelClass: String = "govuk-label"
    ) -> Node<C> {
        let id = fieldID(name)
        return .div(
            .class(error == nil ? "govuk-form-group" : "govuk-form-group govuk-form-group--error"),
            .label(.class(labelClass), .for(id), .text(label)),
            Self.hint(hint, id: id),
            errorMessage(error, id: id),
            .textarea(
                .class("govuk-textarea"), .id(id), .name(name), .rows(rows),
                .attribute(named: "aria-describedby", value: describedBy(id: id, hint: hint, error: error)),
                .text(value)
            )
        )
    }

    struct Option {
        let value: String
        let label: String
        var hint: String? = nil
    }

    /// Radios or checkboxes in a fieldset whose legend asks the question.
    static func choices<C: HTML.BodyContext>(
        legend: String, name: String, options: [Option], selected: Set<String>, hint: String? = nil,
        error: FieldProblem? = nil, multiple: Bool = false, inline: Bool = false,
        legendClass: String = "govuk-fieldset__legend--s"
    ) -> Node<C> {
        // The first option carries the field's id so error summary links land on it.
        let id = fieldID(name)
        let kind = multiple ? "checkboxes" : "radios"
        return .div(
            .class(error == nil ? "govuk-form-group" : "govuk-form-group govuk-form-group--error"),
            .element(
                named: "fieldset",
                nodes: [
                    .class("govuk-fieldset"),
                    .attribute(named: "aria-describedby", value: describedBy(id: id, hint: hint, error: error)),
                    .element(named: "legend", nodes: [.class("govuk-fieldset__legend \(legendClass)"), .text(legend)]),
                    Self.hint(hint, id: id),
                    errorMessage(error, id: id),
                    .div(
                        .class("govuk-\(kind)" + (inline ? " govuk-\(kind)--inline" : "")),
                        .forEach(options.enumerated()) { index, option in
                            let optionID = index == 0 ? id : "\(id)-\(index + 1)"
                            return .div(
                                .class("govuk-\(kind)__item"),
                                .input(
                                    .class("govuk-\(kind)__input"), .id(optionID), .name(name),
                                    .type(multiple ? .checkbox : .radio), .value(attribute(option.value)),
                                    .attribute(named: "checked", value: selected.contains(option.value) ? "checked" : nil),
                                    .attribute(
                                        named: "aria-describedby", value: option.hint == nil ? nil : optionID + "-item-hint")
                                ),
                                .label(.class("govuk-label govuk-\(kind)__label"), .for(optionID), .text(option.label)),
                                .unwrap(option.hint) {
                                    .div(.class("govuk-hint govuk-\(kind)__hint"), .id(optionID + "-item-hint"), .text($0))
                                }
                            )
                        }
                    ),
                ])
        )
    }

    /// Day, month and year boxes (GOV.UK date input); the first box carries the field's id.
    static func dateInput<C: HTML.BodyContext>(
        legend: String, name: String, day: String, month: String, year: String, hint: String? = nil,
        error: FieldProblem? = nil
    ) -> Node<C> {
        let id = fieldID(name)
        func box(_ part: String, _ label: String, _ value: String, width: Int) -> Node<C> {
            let boxID = part == "day" ? id : "\(id)-\(part)"
            return .div(
                .class("govuk-date-input__item"),
                .div(
                    .class("govuk-form-group"),
                    .label(.class("govuk-label govuk-date-input__label"), .for(boxID), .text(label)),
                    .input(
                        .class(
                            "govuk-input govuk-date-input__input govuk-input--width-\(width)"
                                + (error == nil ? "" : " govuk-input--error")),
                        .id(boxID), .name("\(name)-\(part)"), .type(.text), .value(attribute(value)),
                        .attribute(named: "inputmode", value: "numeric")
                    )
                )
            )
        }
        return .div(
            .class(error == nil ? "govuk-form-group" : "govuk-form-group govuk-form-group--error"),
            .element(
                named: "fieldset",
                nodes: [
                    .class("govuk-fieldset"), .attribute(named: "role", value: "group"),
                    .attribute(named: "aria-describedby", value: describedBy(id: id, hint: hint, error: error)),
                    .element(
                        named: "legend", nodes: [.class("govuk-fieldset__legend govuk-fieldset__legend--s"), .text(legend)]),
                    Self.hint(hint, id: id) as Node<C>,
                    errorMessage(error, id: id) as Node<C>,
                    .div(
                        .class("govuk-date-input"),
                        box("day", "Day", day, width: 2), box("month", "Month", month, width: 2),
                        box("year", "Year", year, width: 4)),
                ])
        )
    }

    static func select<C: HTML.BodyContext>(
        label: String, name: String, options: [Option], selected: String, hint: String? = nil, error: FieldProblem? = nil
    ) -> Node<C> {
        let id = fieldID(name)
        return .div(
            .class(error == nil ? "govuk-form-group" : "govuk-form-group govuk-form-group--error"),
            .label(.class("govuk-label"), .for(id), .text(label)),
            Self.hint(hint, id: id),
            errorMessage(error, id: id),
            .select(
                .class("govuk-select"), .id(id), .attribute(named: "name", value: name),
                .attribute(named: "aria-describedby", value: describedBy(id: id, hint: hint, error: error)),
                .forEach(options) { option in
                    // Plot writes an empty value as a bare `value`, which a strict parser refuses,
                    // so the blank choice is written whole, its label escaped like any value.
                    option.value.isEmpty
                        ? .raw(
                            "<option value=\"\"\(selected.isEmpty ? " selected=\"selected\"" : "")>\(attribute(option.label))</option>"
                        )
                        : .element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: attribute(option.value)),
                                .attribute(named: "selected", value: option.value == selected ? "selected" : nil),
                                .text(option.label),
                            ])
                }
            )
        )
    }

    /// Yes or no, stored as an optional Bool.
    static func yesNo<C: HTML.BodyContext>(legend: String, name: String, value: Bool?, error: FieldProblem? = nil) -> Node<C> {
        choices(
            legend: legend, name: name, options: [.init(value: "yes", label: "Yes"), .init(value: "no", label: "No")],
            selected: [value.map { $0 ? "yes" : "no" } ?? ""], error: error, inline: true)
    }

    static func button<C: HTML.BodyContext>(_ text: String, secondary: Bool = false, name: String? = nil, value: String? = nil)
        -> Node<C>
    {
        .element(
            named: "button",
            nodes: [
                .class(secondary ? "govuk-button govuk-button--secondary" : "govuk-button"),
                .attribute(named: "type", value: "submit"),
                .attribute(named: "name", value: name), .attribute(named: "value", value: value),
                .text(text),
            ])
    }

    /// The hidden anti-forgery field every POST form carries (see `CSRF`).
    static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRF.field), .value(token))
    }

    /// A POST form with its CSRF token.
    static func postForm<C: HTML.BodyContext>(action: SiteURL, csrf token: String, _ nodes: Node<HTML.FormContext>...) -> Node<C>
    {
        .form(
            .action(action.path), .method(.post), .attribute(named: "novalidate", value: "novalidate"), csrf(token), .group(nodes)
        )
    }

    /// Inside a form whose active editing time counts: the session its saves and the
    /// script's pings mark (`Resources/Public/js/activity.js`).
    static func editingMarks(_ session: UUID?) -> Node<HTML.FormContext> {
        guard let session else { return .empty }
        return .group(
            .input(.type(.hidden), .name("editingSession"), .value(session.uuidString)),
            .raw("<script src=\"\(Assets.script.path)\" defer=\"defer\"></script>"))
    }

    /// A success banner saying what just happened, announced to screen readers.
    static func notice<C: HTML.BodyContext>(_ text: String?) -> Node<C> {
        .unwrap(text) { text in
            .div(
                .class("govuk-notification-banner govuk-notification-banner--success"),
                .attribute(named: "role", value: "status"),
                .p(.class("govuk-notification-banner__heading"), .text(text)))
        }
    }

    static func summaryList<C: HTML.BodyContext>(_ rows: [(String, String)]) -> Node<C> {
        .element(
            named: "dl",
            nodes: [
                .class("govuk-summary-list"),
                .forEach(rows) { key, value in
                    .div(
                        .class("govuk-summary-list__row"),
                        .element(named: "dt", nodes: [.class("govuk-summary-list__key"), .text(key)]),
                        .element(
                            named: "dd", nodes: [.class("govuk-summary-list__value"), .text(value.isEmpty ? "Not given" : value)])
                    )
                },
            ])
    }

    static func tag<C: HTML.BodyContext>(_ text: String, colour: String? = nil) -> Node<C> {
        .strong(.class("govuk-tag" + (colour.map { " govuk-tag--\($0)" } ?? "")), .text(text))
    }

    static func link<C: HTML.BodyContext>(_ text: String, to url: SiteURL) -> Node<C> {
        .a(.class("govuk-link"), .href(url.path), .text(text))
    }

    /// A table with a caption; cells are nodes so they may hold links and tags.
    static func table<C: HTML.BodyContext>(caption: String, headers: [String], rows: [[Node<HTML.BodyContext>]]) -> Node<C> {
        .table(
            .class("govuk-table"),
            .caption(.class("govuk-table__caption govuk-table__caption--m"), .text(caption)),
            .thead(
                .tr(
                    .class("govuk-table__row"),
                    .forEach(headers) { .th(.class("govuk-table__header"), .attribute(named: "scope", value: "col"), .text($0)) })
            ),
            .tbody(
                .forEach(rows) { cells in
                    .tr(.class("govuk-table__row"), .forEach(cells) { .td(.class("govuk-table__cell"), $0) })
                })
        )
    }
}

/// The phone-first button on every child and episode page.
enum SafeguardingButton {
    static func node(child: UUID, episode: UUID? = nil) -> Node<HTML.BodyContext> {
        let query = episode.map { "?episode=\($0.uuidString)" } ?? ""
        return .a(
            .class("govuk-button govuk-button--warning"), .href(SiteURL.safeguarding(child: child).path + query),
            .text("Safeguarding concern? Phone social care"))
    }
}
