/// New passwords (ENGINEERING.md, ASVS level 3 for sign-in): at least 12 characters, not a
/// commonly used password, not built from the person's own e-mail or name, not one
/// character repeated.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// bcrypt reads only a password's first 72 bytes: a longer one is refused rather than
    /// silently cut (64 plain letters fit; accented and other scripts' letters take two to four).
    public static let maximumBytes = 72
    /// From this length an allowed password is called strong by the strength meter: length
    /// does more for a password than any mix of symbols (NCSC's three random words).
    public static let strongLength = 16

    /// Commonly used passwords of 12 or more characters (shorter ones fail the length rule).
    public static let common: Set<String> = [
        "123456789012", "1234567890123", "12345678910", "123456789123", "password1234", "password12345", "passwordpassword",
        "qwertyuiop12", "qwertyuiop123", "qwertyuiopas", "1q2w3e4r5t6y", "1qaz2wsx3edc", "iloveyou1234", "letmein12345",
        "welcome12345", "administrator", "changeme1234", "abcdefghijkl", "abc123abc123", "football1234", "monkey123456",
        "sunshine1234", "princess1234", "superman1234", "trustno11234", "baseball1234", "starwars1234", "passw0rd1234",
        "p@ssw0rd1234", "p@ssword1234", "qazwsxedcrfv", "zaq12wsxcde3", "asdfghjkl123", "zxcvbnm12345", "mypassword123",
        "secretpassword", "correcthorsebatterystaple", "0987654321000", "111111111111", "000000000000", "iloveyouiloveyou",
    ]

    /// Lengths and repeats are counted in code points of the NFC form, as JSON Schema counts
    /// lengths and as the strength meter's script counts them, so the two always agree.
    public static func problems(_ password: String, email: String = "", name: String = "") -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let composed = password.precomposedStringWithCanonicalMapping
        let lowered = composed.lowercased()
        if composed.unicodeScalars.count < minimumLength {
            problems.append(.init(field: "password", message: "Use at least \(minimumLength) characters"))
        } else if password.utf8.count > maximumBytes {
            problems.append(
                .init(
                    field: "password",
                    message: "Use a shorter password: up to 64 plain letters, fewer with accents or other scripts"))
        } else if common.contains(lowered) || Set(composed.unicodeScalars).count == 1 {
            problems.append(.init(field: "password", message: "That password is too common: choose one that is hard to guess"))
        } else if personalWords(email: email, name: name).contains(where: { lowered.contains($0) }) {
            problems.append(.init(field: "password", message: "Do not use your name or e-mail address in your password"))
        }
        return problems
    }

    /// The parts of a person's e-mail address and name a password may not contain: the
    /// address before its @ and each word of the name, of three letters or more, lower case.
    public static func personalWords(email: String, name: String) -> [String] {
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        let nameParts = name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 3 }
        return (local.count >= 3 ? [local] : []) + nameParts
    }
}
