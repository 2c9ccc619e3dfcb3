/// Level of need for one element. Absent (nil) means "not yet answered", which drafts
/// allow; `notAssessed` is the explicit choice that completion requires instead.
public enum LevelOfNeed: Sendable, Hashable, CaseIterable {
    case noNeed, universal, additional, complex, notAssessed

    public init?(wireValue: String) {
        switch wireValue {
        case "0": self = .noNeed
        case "1": self = .universal
        case "2": self = .additional
        case "3": self = .complex
        case "not-assessed": self = .notAssessed
        default: return nil
        }
    }

    /// The stored and form value: "0"…"3" or "not-assessed".
    public var wireValue: String {
        switch self {
        case .noNeed: "0"
        case .universal: "1"
        case .additional: "2"
        case .complex: "3"
        case .notAssessed: "not-assessed"
        }
    }

    /// The numeric level the measures compare; nil when not assessed.
    public var number: Int? {
        switch self {
        case .noNeed: 0
        case .universal: 1
        case .additional: 2
        case .complex: 3
        case .notAssessed: nil
        }
    }

    public var label: String {
        switch self {
        case .noNeed: "0 – no need identified"
        case .universal: "1 – need met by universal services"
        case .additional: "2 – additional need"
        case .complex: "3 – complex need"
        case .notAssessed: "Not assessed"
        }
    }
}

extension LevelOfNeed: Codable {
    /// Accepts 0…3 as a number or a string, or "not-assessed"; always writes the string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let level = LevelOfNeed(wireValue: String(number)) {
            self = level
        } else if let text = try? container.decode(String.self), let level = LevelOfNeed(wireValue: text) {
            self = level
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Level of need must be 0, 1, 2, 3 or \"not-assessed\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}
