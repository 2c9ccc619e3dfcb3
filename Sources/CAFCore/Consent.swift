import Foundation

/// Who gave (or refused) consent for an episode's assessment.
public enum ConsentGivenBy: String, CaseIterable, Codable, Sendable {
    case child, parent, both

    public var title: String {
        switch self {
        case .child: "The child or young person"
        case .parent: "A parent or carer"
        case .both: "Both the child and a parent or carer"
        }
    }
}

public enum ConsentMethod: String, CaseIterable, Codable, Sendable {
    case written, verbal, electronic

    public var title: String {
        switch self {
        case .written: "In writing (signed form)"
        case .verbal: "Verbally, in person or by phone"
        case .electronic: "Electronically"
        }
    }
}

/// What the consent covers: storing the assessment, and which kinds of agency it may be
/// shared with. Sharing outside the scope is refused by the access policy.
public struct ConsentScope: Codable, Sendable, Hashable {
    public var store: Bool
    public var shareWithAgencyTypes: Set<AgencyType>

    public init(store: Bool, shareWithAgencyTypes: Set<AgencyType>) {
        self.store = store
        self.shareWithAgencyTypes = shareWithAgencyTypes
    }

    public func coversSharing(with agency: AgencyType) -> Bool {
        store && shareWithAgencyTypes.contains(agency)
    }
}

/// A consent decision as recorded, before it is stored.
public struct ConsentRecord: Sendable, Hashable {
    public var givenBy: ConsentGivenBy
    public var name: String
    public var relationship: String
    public var method: ConsentMethod
    public var scope: ConsentScope

    public init(givenBy: ConsentGivenBy, name: String, relationship: String, method: ConsentMethod, scope: ConsentScope) {
        self.givenBy = givenBy
        self.name = name
        self.relationship = relationship
        self.method = method
        self.scope = scope
    }

    /// No assessment content is stored without consent to store it; the person who
    /// consented must be named, and a parent's relationship to the child stated.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "consent.name", message: "Enter the name of the person giving consent"))
        }
        if givenBy != .child && relationship.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(
                .init(field: "consent.relationship", message: "Enter the parent or carer’s relationship to the child"))
        }
        if !scope.store {
            problems.append(
                .init(
                    field: "consent.scope.store",
                    message: "An assessment can only be started with consent to store it; record a refusal instead"))
        }
        return problems
    }
}
