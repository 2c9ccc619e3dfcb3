/// What a person may do is the union of their roles (PRODUCT.md "Who uses it").
public enum Role: String, CaseIterable, Codable, Sendable {
    case practitioner, manager, coordinator, safeguarding
    case laAdmin = "la-admin"
    case analyst

    public var title: String {
        switch self {
        case .practitioner: "Practitioner"
        case .manager: "Manager"
        case .coordinator: "Coordinator"
        case .safeguarding: "Safeguarding"
        case .laAdmin: "LA administrator"
        case .analyst: "Analyst"
        }
    }

    /// Roles whose holders work with children's records at all.
    public var worksWithCases: Bool {
        switch self {
        case .practitioner, .manager, .coordinator, .safeguarding: true
        case .laAdmin, .analyst: false
        }
    }
}

public enum AgencyType: String, CaseIterable, Codable, Sendable {
    case education, earlyYears = "early-years", health, police, probation
    case youthJustice = "youth-justice", youthService = "youth-service"
    case socialCare = "social-care", housing, voluntary, other

    public var title: String {
        switch self {
        case .education: "Education"
        case .earlyYears: "Early years"
        case .health: "Health"
        case .police: "Police"
        case .probation: "Probation"
        case .youthJustice: "Youth justice"
        case .youthService: "Youth service"
        case .socialCare: "Social care"
        case .housing: "Housing"
        case .voluntary: "Voluntary"
        case .other: "Other"
        }
    }
}

public enum Gender: String, CaseIterable, Codable, Sendable {
    case male, female, unknown
}

extension Set where Element == Role {
    /// Parses a stored comma-separated role list, ignoring unknown entries.
    public init(storage: String) {
        self = Set(storage.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }

    public var storage: String { map(\.rawValue).sorted().joined(separator: ",") }
}

/// Which of a child's names the index holds: searches look through all of them.
public enum NameKind: String, CaseIterable, Codable, Sendable {
    case current
    /// The first name the child goes by, with their family name.
    case knownAs = "known-as"
    /// A name the child had before, for example before adoption or a change of family name.
    case previous

    public var label: String {
        switch self {
        case .current: "Name"
        case .knownAs: "Known as"
        case .previous: "Previous name"
        }
    }
}

/// Services whose very involvement is sensitive: shown only to that service and to those it
/// has disclosed the involvement to.
public enum SensitiveService: String, CaseIterable, Codable, Sendable {
    case sexualHealth = "sexual-health"
    case mentalHealth = "mental-health"
    case substanceMisuse = "substance-misuse"

    public var title: String {
        switch self {
        case .sexualHealth: "Sexual health"
        case .mentalHealth: "Mental health"
        case .substanceMisuse: "Substance misuse"
        }
    }

    /// Whose word may disclose the involvement: a young person's sexual-health care is theirs
    /// alone to share (Fraser guidelines), so only their agreement does.
    public var agreements: [DisclosureAgreement] {
        self == .sexualHealth ? [.youngPerson] : DisclosureAgreement.allCases
    }
}

/// Whose word a sensitive service acts on when it lets someone outside it see its involvement.
public enum DisclosureAgreement: String, CaseIterable, Codable, Sendable {
    /// The service's professional judgement, for example that the lead professional needs to know.
    case service
    /// The young person's own agreement, recorded by the service.
    case youngPerson = "young-person"

    public var title: String {
        switch self {
        case .service: "The service’s judgement"
        case .youngPerson: "The young person agreed"
        }
    }
}
