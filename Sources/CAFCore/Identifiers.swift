import Foundation

/// UK postcodes: normalised to upper case with one space before the inward code.
public enum Postcode {
    public static func normalised(_ text: String) -> String? {
        let compact = text.uppercased().filter { !$0.isWhitespace }
        guard (5...7).contains(compact.count) else { return nil }
        let outward = compact.dropLast(3)
        let inward = compact.suffix(3)
        guard outward.first?.isLetter == true, outward.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            outward.contains(where: \.isNumber),
            inward.first?.isNumber == true, inward.dropFirst().allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        return "\(outward) \(inward)"
    }
}

/// Dates of birth travel as ISO 8601 calendar dates (YYYY-MM-DD) and are stored that way,
/// so they sort and compare as text on every database.
public enum CalendarDate {
    public static func parse(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only: Int("+999") would read a signed year.
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...daysIn(month, of: year)).contains(day)
        else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Hinnant's
    /// `days_from_civil`): plain arithmetic, as the measures count days by the hundred
    /// thousand and Foundation's Calendar takes microseconds each.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number, the inverse of `dayNumber` (Hinnant's `civil_from_days`).
    static func date(ofDayNumber number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * mp + 2) / 5 + 1)
    }

    /// YYYY-MM-DD of a day number.
    static func text(ofDayNumber number: Int) -> String {
        let date = date(ofDayNumber: number)
        return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }

    /// A date of birth must be a real date, not in the future and not absurdly old.
    public static func dateOfBirthProblem(_ text: String, today: Date) -> String? {
        guard parse(text) != nil else { return "Enter a real date of birth, for example 2015-03-27" }
        if text > iso(today) { return "Date of birth must be today or in the past" }
        if text < "1990-01-01" { return "Date of birth must be after 1990: the index is for children and young people" }
        return nil
    }

    /// An unborn baby's expected date of delivery: a real date from two weeks ago (babies
    /// come late, and the birth may not be recorded yet) to ten months ahead.
    public static func expectedDeliveryProblem(_ text: String, today: Date) -> String? {
        guard parse(text) != nil else { return "Enter a real expected date of delivery, for example 2027-02-14" }
        let day: TimeInterval = 24 * 60 * 60
        if text < iso(today.addingTimeInterval(-14 * day)) {
            return "Expected date of delivery must be no more than 2 weeks ago: if the baby has been born, give the date of birth"
        }
        if text > iso(today.addingTimeInterval(304 * day)) {
            return "Expected date of delivery must be within the next 10 months"
        }
        return nil
    }

    /// The day a moment falls on in UTC.
    public static func iso(_ date: Date) -> String {
        text(ofDayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Builds the ISO form from the three boxes of a GOV.UK date input.
    public static func fromParts(day: String, month: String, year: String) -> String? {
        guard let d = Int(day.trimmingCharacters(in: .whitespaces)),
            let m = Int(month.trimmingCharacters(in: .whitespaces)),
            let y = Int(year.trimmingCharacters(in: .whitespaces)), y >= 1000
        else { return nil }
        let text = String(format: "%04d-%02d-%02d", y, m, d)
        return parse(text) == nil ? nil : text
    }
}

/// A new child's index details, checked before anything is stored.
public struct ChildRegistration: Sendable {
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: String
    public var gender: Gender?
    public var postcode: String?
    public var nhsNumber: String?
    public var upn: String?
    /// The first name the child goes by, when it differs: searched like their own name.
    public var knownAs: String?
    /// Not yet born: `dateOfBirth` is then the expected date of delivery (EDD).
    public var unborn: Bool

    /// The first name an unborn baby is recorded under until the birth names them.
    public static let unbornGivenName = "Unborn baby"

    public init(
        givenName: String, familyName: String, dateOfBirth: String, gender: Gender?, postcode: String?, nhsNumber: String? = nil,
        upn: String? = nil, knownAs: String? = nil, unborn: Bool = false
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.gender = gender
        self.postcode = postcode
        self.nhsNumber = nhsNumber
        self.upn = upn
        self.knownAs = knownAs
        self.unborn = unborn
    }

    /// Trims names and normalises the postcode, or names every field that is wrong.
    public func validated(today: Date) throws(Invalid) -> ChildRegistration {
        var problems: [FieldProblem] = []
        var clean = self
        clean.givenName = givenName.trimmingCharacters(in: .whitespacesAndNewlines)
        clean.familyName = familyName.trimmingCharacters(in: .whitespacesAndNewlines)
        if unborn && clean.givenName.isEmpty { clean.givenName = Self.unbornGivenName }
        if clean.givenName.isEmpty { problems.append(.init(field: "givenName", message: "Enter the child’s first name")) }
        if clean.familyName.isEmpty { problems.append(.init(field: "familyName", message: "Enter the child’s last name")) }
        clean.knownAs = knownAs?.trimmingCharacters(in: .whitespacesAndNewlines)
        if clean.knownAs?.isEmpty == true || clean.knownAs == clean.givenName { clean.knownAs = nil }
        let names = [("givenName", clean.givenName), ("familyName", clean.familyName), ("knownAs", clean.knownAs ?? "")]
        for (field, name) in names where !name.isEmpty {
            if let problem = PersonName.problem(name) { problems.append(.init(field: field, message: problem)) }
        }
        if unborn, let problem = CalendarDate.expectedDeliveryProblem(dateOfBirth, today: today) {
            problems.append(.init(field: "expectedDeliveryDate", message: problem))
        } else if !unborn, let problem = CalendarDate.dateOfBirthProblem(dateOfBirth, today: today) {
            problems.append(.init(field: "dateOfBirth", message: problem))
        }
        if let postcode, !postcode.trimmingCharacters(in: .whitespaces).isEmpty {
            if let normal = Postcode.normalised(postcode) {
                clean.postcode = normal
            } else {
                problems.append(.init(field: "postcode", message: "Enter a real UK postcode, for example CB1 2AB"))
            }
        } else {
            clean.postcode = nil
        }
        clean.nhsNumber = nil
        if let nhsNumber, !nhsNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            if let valid = NHSNumber.normalised(nhsNumber) {
                clean.nhsNumber = valid
            } else {
                problems.append(
                    .init(field: "nhsNumber", message: "Enter a real NHS number: 10 digits, for example 943 476 5919"))
            }
        }
        clean.upn = nil
        if let upn, !upn.trimmingCharacters(in: .whitespaces).isEmpty {
            if let valid = UPN.normalised(upn) {
                clean.upn = valid
            } else {
                problems.append(
                    .init(field: "upn", message: "Enter a real Unique Pupil Number: a check letter and 12 characters"))
            }
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return clean
    }
}

/// NHS numbers: 10 digits, the last a Modulus 11 check digit over the first nine
/// (weights 10 down to 2). Written with or without spaces; stored as 10 digits.
public enum NHSNumber {
    public static func normalised(_ text: String) -> String? {
        let digits = text.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let values = digits.compactMap(\.wholeNumberValue)
        let sum = zip(values.prefix(9), (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        guard check != 10, (check == 11 ? 0 : check) == values[9] else { return nil }
        return digits
    }
}

/// Unique Pupil Numbers: a check letter, then 12 characters (the last may be a letter in a
/// temporary UPN). The check letter is the weighted sum (weight = position, from 2) modulo 23,
/// on an alphabet without I, O and S.
public enum UPN {
    static let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    public static func normalised(_ text: String) -> String? {
        let upn = text.uppercased().filter { !$0.isWhitespace }
        guard upn.count == 13 else { return nil }
        let characters = Array(upn)
        guard characters[1...11].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let last: Int? = characters[12].wholeNumberValue ?? alphabet.firstIndex(of: characters[12])
        guard let last, characters[12].isASCII else { return nil }
        let values = characters[1...11].compactMap(\.wholeNumberValue) + [last]
        let sum = zip(values, 2...13).reduce(0) { $0 + $1.0 * $1.1 }
        return characters[0] == alphabet[sum % 23] ? upn : nil
    }
}

/// What a person's name may hold: letters of any script with their combining marks, the
/// joiners some scripts need (ZWJ, ZWNJ), spaces, hyphens, apostrophes and full stops; at
/// least one letter, at most 100 characters. Never markup, quotes or control characters.
public enum PersonName {
    public static let maxLength = 100

    /// Why a (trimmed) name cannot be recorded, or nil when it can.
    public static func problem(_ name: String) -> String? {
        if name.count > maxLength { return "Names must be \(maxLength) characters or fewer" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark:
                true
            default: " -'’.\u{200C}\u{200D}".unicodeScalars.contains(scalar)
            }
        }
        guard allowed, name.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else {
            return "Names can only contain letters, spaces, hyphens, apostrophes and full stops"
        }
        return nil
    }
}
