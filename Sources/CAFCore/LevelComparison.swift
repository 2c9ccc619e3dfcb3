/// How a level of need moved between two assessment versions.
public enum LevelChange: String, Codable, Sendable {
    case down, same, up
    /// Either side is blank or "not assessed": nothing to compare.
    case notComparable = "not-comparable"
}

/// Element by element, the levels of two versions side by side: what a review shows and
/// what the need-change measure counts.
public struct LevelComparison: Sendable {
    public struct Row: Sendable, Hashable {
        public let element: CAFElement
        public let from: LevelOfNeed?
        public let to: LevelOfNeed?

        public var change: LevelChange {
            guard let before = from?.number, let after = to?.number else { return .notComparable }
            return after < before ? .down : after > before ? .up : .same
        }
    }

    public struct DomainSummary: Sendable, Hashable {
        public let domain: CAFDomain
        public let down: Int
        public let same: Int
        public let up: Int
        public let notComparable: Int
    }

    public let rows: [Row]

    public init(from before: AssessmentContent, to after: AssessmentContent) {
        rows = CAFForm.elements.map { element in
            Row(element: element, from: before.element(element.code).level, to: after.element(element.code).level)
        }
    }

    public var domains: [DomainSummary] {
        CAFDomain.allCases.map { domain in
            let changes = rows.filter { $0.element.domain == domain }.map(\.change)
            return DomainSummary(
                domain: domain, down: changes.count { $0 == .down }, same: changes.count { $0 == .same },
                up: changes.count { $0 == .up }, notComparable: changes.count { $0 == .notComparable })
        }
    }
}
