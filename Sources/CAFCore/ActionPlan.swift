import Foundation

public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case planned
    case inProgress = "in-progress"
    case done
    case notDone = "not-done"

    public var title: String {
        switch self {
        case .planned: "Planned"
        case .inProgress: "In progress"
        case .done: "Done"
        case .notDone: "Not done"
        }
    }

    /// Help has started once an action is under way or finished ("time to help").
    public var helpStarted: Bool { self == .inProgress || self == .done }
    public var isOpen: Bool { self == .planned || self == .inProgress }
}

/// One agreed action: who does what, by when, for which needs (CAF-FORM.md section 10).
public struct PlannedAction: Sendable, Hashable {
    public var description: String
    public var elementCodes: [String]
    /// The named practitioner, or else an agency, who will do it.
    public var ownerEmail: String
    public var ownerAgency: String
    public var dueOn: String

    public init(description: String, elementCodes: [String], ownerEmail: String, ownerAgency: String, dueOn: String) {
        self.description = description
        self.elementCodes = elementCodes
        self.ownerEmail = ownerEmail
        self.ownerAgency = ownerAgency
        self.dueOn = dueOn
    }

    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "description", message: "Describe the action"))
        } else if description.count > 2_000 {
            problems.append(.init(field: "description", message: "Keep the action to 2,000 characters or fewer"))
        }
        if elementCodes.isEmpty {
            problems.append(.init(field: "elementCodes", message: "Choose the need or needs this action addresses"))
        } else if let unknown = elementCodes.first(where: { !CAFForm.codes.contains($0) }) {
            problems.append(.init(field: "elementCodes", message: "“\(unknown)” is not an element of the CAF form"))
        }
        if ownerEmail.trimmingCharacters(in: .whitespaces).isEmpty && ownerAgency.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "owner", message: "Say who will do it: a practitioner or an agency"))
        }
        if CalendarDate.parse(dueOn) == nil {
            problems.append(.init(field: "dueOn", message: "Enter the date it is due, for example 2026-12-18"))
        }
        return problems
    }
}

public enum ActionDue {
    /// Overdue: still open after its due date.
    public static func isOverdue(status: ActionStatus, dueOn: String, today: String) -> Bool {
        status.isOpen && dueOn < today
    }
}
