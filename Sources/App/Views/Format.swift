import CAFCore
import Foundation

/// Dates as people in England write them: "27 March 2015", times in UK local time.
enum Format {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    static func calendarDate(_ iso: String) -> String {
        guard let c = CalendarDate.parse(iso) else { return iso }
        return "\(c.day!) \(months[c.month! - 1]) \(c.year!)"
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        return calendarDate(CalendarDate.iso(date))
    }

    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.dateFormat = "d MMMM yyyy, HH:mm"
        return formatter.string(from: date)
    }

    static func person(_ practitioner: Practitioner?) -> String {
        guard let practitioner else { return "" }
        return [practitioner.name, practitioner.jobTitle, practitioner.organisation?.name].compactMap { $0 }
            .joined(separator: ", ")
    }
}
