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
        // By code, as `element(_:)` finds them (the first of a code), looked up once each.
        func byCode(_ content: AssessmentContent) -> [String: ElementAssessment] {
            Dictionary(content.elements.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let (before, after) = (byCode(before), byCode(after))
        rows = CAFForm.elements.map { element in
            Row(element: element, from: before[element.code]?.level, to: after[element.code]?.level)
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

extension AssessmentContent {
    /// The levels alone, as `code=level` pairs joined by commas
    /// (`dev.emotional=2,fam.housing=not-assessed`): kept beside the content, so the measures
    /// compare levels without reading an assessment's text.
    public var levelsText: String {
        elements.compactMap { element in element.level.map { "\(element.code)=\($0.wireValue)" } }.joined(separator: ",")
    }

}

extension LevelComparison {
    /// Each element's change in `CAFForm.elements` order, as `rows` would give it, between two
    /// `levelsText`s: what the measures count, read as bytes, since they read these by the ten
    /// thousand and strings split by Character, or compared whole, are far slower.
    public static func changes(fromLevels before: String, toLevels after: String) -> [LevelChange] {
        let (from, to) = (numbers(before), numbers(after))
        return zip(from, to).map { before, after in
            guard let before, let after else { return .notComparable }
            return after < before ? .down : after > before ? .up : .same
        }
    }

    static let elementIndex: [Substring: Int] = Dictionary(
        uniqueKeysWithValues: CAFForm.elements.enumerated().map { (Substring($1.code), $0) })

    /// Each element's level as a number (nil when absent or not assessed); the first of a code counts.
    static func numbers(_ levelsText: String) -> [Int?] {
        var numbers = [Int?](repeating: nil, count: CAFForm.elements.count)
        var seen = [Bool](repeating: false, count: CAFForm.elements.count)
        for pair in levelsText.utf8.split(separator: UInt8(ascii: ",")) {
            guard let mark = pair.firstIndex(of: UInt8(ascii: "=")),
                let index = elementIndex[Substring(pair[..<mark])], !seen[index]
            else { continue }
            seen[index] = true
            numbers[index] = LevelOfNeed(wireValue: String(Substring(pair[pair.index(after: mark)...])))?.number
        }
        return numbers
    }
}
