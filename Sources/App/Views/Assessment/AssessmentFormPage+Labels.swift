import CAFCore
import Foundation
import Plot

extension AssessmentFormPage {
    /// A field's name as the form labels it, for the conflict list.
    static func label(_ field: String) -> String {
        let dot = field.firstIndex(of: ".")
        if let dot, let element = CAFForm.element(String(field[field.index(after: dot)...])) {
            let what = [
                "strengths": "strengths", "needs": "needs", "level": "level of need", "harm": "concern of significant harm",
            ]
            return "\(element.name): \(what[String(field[..<dot])] ?? "")"
        }
        let names = [
            "reasonForAssessment": "What has led to this assessment", "peoplePresent": "People present at the assessment",
            "childViews": "The child or young person’s views", "parentViews": "The parent’s or carer’s views",
            "conclusions": "Summary of strengths and needs",
        ]
        if let name = names[field] { return name }
        if field.hasPrefix("parents["), let close = field.firstIndex(of: "]"),
            let index = Int(field[field.index(field.startIndex, offsetBy: 8)..<close])
        {
            return "Parent or carer \(index + 1): \(words(field[field.index(after: close)...].dropFirst()))"
        }
        let section = ["identifying": "", "family": "Family: ", "assessor": "Person undertaking the assessment: "]
        let head = dot.map { String(field[..<$0]) } ?? ""
        return (section[head] ?? "") + words(dot.map { field[field.index(after: $0)...] } ?? field[...]).capitalizedFirst
    }

    /// "parentalResponsibility" as "parental responsibility".
    private static func words(_ name: Substring) -> String {
        name.reduce(into: "") { $0 += $1.isUppercase ? " " + $1.lowercased() : String($1) }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
