import CAFCore
import Foundation

/// Dates and numbers as people in England write them: "27 March 2015", times in UK local
/// time, "1,812".
enum Format {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// A count with its thousands separated by commas, whatever the server's locale.
    static func count(_ number: Int) -> String {
        let digits = String(number.magnitude)
        let grouped = digits.enumerated().map { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : String(digit)
        }
        return (number < 0 ? "-" : "") + grouped.joined()
    }

    static func calendarDate(_ iso: String) -> String {
        guard let c = CalendarDate.parse(iso) else { return iso }
        return "\(c.day!) \(months[c.month! - 1]) \(c.year!)"
    }

    /// A child's date of birth, or an unborn baby's expected date of delivery, said as such.
    static func birthLabel(of child: Child) -> String { child.unborn ? "Expected date of delivery" : "Date of birth" }

    static func birth(of child: Child) -> String {
        child.unborn ? "Due \(calendarDate(child.dateOfBirth))" : calendarDate(child.dateOfBirth)
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

extension Format {
    static let london = TimeZone(identifier: "Europe/London")!

    /// Day, month, year and "HH:MM" of a moment in UK time, to fill a form's boxes.
    static func londonParts(_ date: Date) -> (day: String, month: String, year: String, time: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (String(c.day!), String(c.month!), String(c.year!), String(format: "%02d:%02d", c.hour!, c.minute!))
    }

    /// The moment that boxes typed in UK time stand for, or nil when they are not a real one.
    static func londonDate(day: String, month: String, year: String, time: String) -> Date? {
        guard let iso = CalendarDate.fromParts(day: day, month: month, year: year),
            let parts = CalendarDate.parse(iso)
        else { return nil }
        let clock = time.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        var components = parts
        components.hour = hour
        components.minute = minute
        return calendar.date(from: components)
    }
}
