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

    static let codes: [[UInt8]] = CAFForm.elements.map { Array($0.code.utf8) }

    /// Each element's level as a number (nil when absent or not assessed); the first of a code
    /// counts. `levelsText` writes the form's order, so each code is first tried as the next.
    static func numbers(_ levelsText: String) -> [Int?] {
        var numbers = [Int?](repeating: nil, count: codes.count)
        var seen = [Bool](repeating: false, count: codes.count)
        var text = levelsText
        text.withUTF8 { bytes in
            var start = 0
            var next = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
                var mark = start
                while mark < end && bytes[mark] != UInt8(ascii: "=") { mark += 1 }
                let code = UnsafeBufferPointer(rebasing: bytes[start..<mark])
                if mark < end,
                    let index = next < codes.count && codes[next].elementsEqual(code)
                        ? next : codes.firstIndex(where: { $0.elementsEqual(code) }),
                    !seen[index]
                {
                    seen[index] = true
                    // "0" to "3"; "not-assessed", like anything else, is no number.
                    numbers[index] = end - mark == 2 && (48...51).contains(bytes[mark + 1]) ? Int(bytes[mark + 1] - 48) : nil
                    next = index + 1
                }
                start = end + 1
            }
        }
        return numbers
    }
}
