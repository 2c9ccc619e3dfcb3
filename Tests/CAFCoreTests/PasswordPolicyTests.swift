import Foundation
import Testing

@testable import CAFCore

@Suite struct PasswordPolicyTests {
    @Test func newPasswordsAreLongUncommonAndNotPersonal() {
        #expect(PasswordPolicy.problems("short").map(\.message) == ["Use at least 12 characters"])
        #expect(!PasswordPolicy.problems("Password1234").isEmpty)
        #expect(!PasswordPolicy.problems("aaaaaaaaaaaaaa").isEmpty)
        #expect(!PasswordPolicy.problems("amy-clarke-rules-1", email: "amy@demo.test", name: "Amy Clarke").isEmpty)
        #expect(PasswordPolicy.problems("violet kettle orbit 42", email: "amy@demo.test", name: "Amy Clarke").isEmpty)
    }

    /// ASVS V2.1.2 and V2.1.3: 64 characters are allowed, and nothing bcrypt would cut short
    /// (past 72 bytes) is accepted, so no password is silently truncated.
    @Test func passwordsOf64CharactersAreAllowedAndNoneIsTruncated() {
        let sixtyFour = String(repeating: "violet kettle orbit ", count: 4).prefix(64)
        #expect(PasswordPolicy.problems(String(sixtyFour)).isEmpty)
        #expect(PasswordPolicy.problems(String(repeating: "violetkettle", count: 6) + "x").map(\.field) == ["password"])
        #expect(!PasswordPolicy.problems(String(repeating: "é", count: 40)).isEmpty, "80 bytes in 40 letters")
    }
}
