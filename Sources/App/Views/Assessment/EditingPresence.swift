import CAFCore
import Plot

/// Who else is writing an assessment now, said above the form and beside each part they are
/// in ("Ben Okafor has been editing this part in the last five minutes"), on first load and
/// again after each ping where JavaScript runs. Said as text, never markup.
enum EditingPresence {
    /// Above the form: everyone else with it open, and the part each is writing where known.
    static func text(_ others: [TimeSpent.Editor]) -> String {
        guard !others.isEmpty else { return "" }
        let names = others.map { editor in editor.part.map { "\(editor.name) (editing “\($0.title)”)" } ?? editor.name }
        return
            "\(list(names)) \(others.count == 1 ? "has" : "have") had this assessment open in the last five minutes. Save as you go: what you each write in different parts is kept, and where you both change one field you will be shown both."
    }

    /// Beside a part: who else is editing it.
    static func text(in part: AssessmentPart, _ others: [TimeSpent.Editor]) -> String {
        let names = others.filter { $0.part == part }.map(\.name)
        guard !names.isEmpty else { return "" }
        return "\(list(names)) \(names.count == 1 ? "has" : "have") been editing this part in the last five minutes."
    }

    /// Each part's sentence, by the part's name, for the ping's answer.
    static func byPart(_ others: [TimeSpent.Editor]) -> [String: String] {
        AssessmentPart.allCases.reduce(into: [:]) { $0[$1.rawValue] = text(in: $1, others) }
    }

    /// Where a sentence is shown: a live region the page's script fills again.
    static func region<C: HTML.BodyContext>(id: String, _ text: String) -> Node<C> {
        .div(
            .id(id), .class(text.isEmpty ? "" : "govuk-inset-text"), .attribute(named: "aria-live", value: "polite"),
            .text(text))
    }

    /// The region beside `part`.
    static func region<C: HTML.BodyContext>(in part: AssessmentPart, _ others: [TimeSpent.Editor]) -> Node<C> {
        region(id: "others-editing-\(part.rawValue)", text(in: part, others))
    }

    private static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }
}
