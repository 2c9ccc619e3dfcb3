import Foundation

/// What practitioners spend time on, for the burden measures.
public enum Activity: String, CaseIterable, Codable, Sendable {
    /// Captured automatically as active editing time on the assessment form.
    case assessmentWriting = "assessment-writing"
    /// Team-around-the-child meetings; writing them up is captured on the meeting form.
    case meetings
    case calls, visits, admin

    public var title: String {
        switch self {
        case .assessmentWriting: "Assessment writing"
        case .meetings: "Meetings"
        case .calls: "Calls"
        case .visits: "Visits"
        case .admin: "Admin"
        }
    }
}

/// Active editing time, measured on the server from the marks a form leaves: opening it,
/// saving it, and (with JavaScript) a light ping each minute while someone is typing or
/// clicking. A gap of up to five minutes between marks counts in full. A longer gap is idle
/// when the page pings (it stopped because no one was active), and counts at most twenty
/// minutes when it cannot (without JavaScript, the time from opening to saving is all there
/// is), so a page left open does not count.
public enum ActiveTime {
    public static let idleAfter: TimeInterval = 5 * 60
    public static let longestUnpingedGap: TimeInterval = 20 * 60

    public static func counted(gap: TimeInterval, pinging: Bool) -> TimeInterval {
        guard gap > 0 else { return 0 }
        if gap <= idleAfter { return gap }
        return pinging ? 0 : min(gap, longestUnpingedGap)
    }
}

/// A quick manual entry: a call, a visit, a meeting or admin, from the episode page.
public struct TimeEntry: Sendable, Hashable {
    public var activity: Activity?
    public var minutes: Int?
    /// YYYY-MM-DD.
    public var on: String

    public init(activity: Activity?, minutes: Int?, on: String) {
        self.activity = activity
        self.minutes = minutes
        self.on = on
    }

    public func problems(today: Date) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if activity == nil { problems.append(.init(field: "activity", message: "Choose what the time was spent on")) }
        if activity == .assessmentWriting {
            problems.append(
                .init(
                    field: "activity",
                    message: "Assessment writing is timed on the assessment form itself: choose another activity"))
        }
        if !(1...720).contains(minutes ?? 0) {
            problems.append(.init(field: "minutes", message: "Enter the minutes spent, from 1 to 720"))
        }
        if CalendarDate.parse(on) == nil {
            problems.append(.init(field: "on", message: "Enter the day as a real date, for example 2026-11-23"))
        } else if on > CalendarDate.iso(today) {
            problems.append(.init(field: "on", message: "The day must be today or in the past"))
        }
        return problems
    }
}
