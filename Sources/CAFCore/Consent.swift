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

/// What a recorded consent decision did. The latest one governs the episode.
public enum ConsentKind: String, CaseIterable, Codable, Sendable {
    /// Given, or given again with a new scope (narrowed or widened).
    case given
    /// Withdrawn: sharing stops at once and the record is frozen, never deleted.
    case withdrawn
    /// Shared without consent in the public interest, by a coordinator or safeguarding
    /// lead with a written reason (golden rules of information sharing, 2008).
    case override
}

/// The consent that governs an episode now, as the access policy sees it.
public enum ConsentState: Sendable, Hashable {
    case given(ConsentScope)
    case withdrawn
    case overridden

    public func coversSharing(with agency: AgencyType?) -> Bool {
        switch self {
        case .given(let scope): agency.map(scope.coversSharing(with:)) ?? false
        case .overridden: agency != nil
        case .withdrawn: false
        }
    }

    public var isWithdrawn: Bool { self == .withdrawn }
}

/// A change to an episode's consent, checked before it is recorded.
public struct ConsentChange: Sendable, Hashable {
    public var kind: ConsentKind
    /// For `given`: the consent as newly given (who, how, new scope).
    public var record: ConsentRecord?
    /// Why: required for a withdrawal note and for an override's public-interest reason.
    public var reason: String

    public init(kind: ConsentKind, record: ConsentRecord? = nil, reason: String = "") {
        self.kind = kind
        self.record = record
        self.reason = reason
    }

    public func problems() -> [FieldProblem] {
        switch kind {
        case .given:
            guard let record else { return [.init(field: "consent", message: "Give the consent’s details and new scope")] }
            return record.problems()
        case .withdrawn, .override:
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return [
                    .init(
                        field: "reason",
                        message: kind == .override
                            ? "Write the public-interest reason for sharing without consent"
                            : "Write down who withdrew consent and what they said")
                ]
            }
            return []
        }
    }
}

/// A family's refusal: the only thing kept is the note (PRODUCT.md: "A refusal stores only
/// the refusal note").
public struct ConsentRefusal: Sendable, Hashable {
    public var givenBy: ConsentGivenBy
    public var name: String
    public var note: String

    public init(givenBy: ConsentGivenBy, name: String, note: String) {
        self.givenBy = givenBy
        self.name = name
        self.note = note
    }

    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "consent.name", message: "Enter the name of the person who refused"))
        }
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "note", message: "Write a short note of the refusal"))
        } else if note.count > 2_000 {
            problems.append(.init(field: "note", message: "Keep the refusal note to 2,000 characters or fewer"))
        }
        return problems
    }
}
