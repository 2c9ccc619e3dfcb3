import Fluent
import Foundation

/// A person's own credentials changing: a new password (chosen from a link or changed while
/// signed in) and a forgotten-password link asked for. Nobody else ever sets or sees either.
enum Credentials {
    /// A forgotten-password link is sent, and works, only while its account has a second
    /// factor to ask for: a read mailbox alone must never take an account. One without asks
    /// its administrator for a new account link instead.
    static func mayResetByMail(_ practitioner: Practitioner, twoFactorRequired: Bool) -> Bool {
        practitioner.hasSecondFactor || !twoFactorRequired
    }

    /// Audits the request and, when the address is an enabled account that may reset by
    /// mail and has had no link in the last few minutes (so the form cannot flood an inbox),
    /// sends it a link: the caller answers the same either way, so nobody learns who has one.
    static func sendResetLink(to email: String, mail: MailSettings, twoFactorRequired: Bool, on db: any Database)
        async throws
    {
        try await db.writeTransaction { db in
            try await Audit.record(
                on: db, by: nil, email: try await Auth.accountAddress(String(email.prefix(254)), on: db), .requestPasswordReset)
            guard
                let practitioner = try await Practitioner.query(on: db).filter(\.$email == email)
                    .filter(\.$disabled == false).first(),
                practitioner.passwordSetAt != nil, mayResetByMail(practitioner, twoFactorRequired: twoFactorRequired),
                try await CredentialLink.query(on: db).filter(\.$practitioner.$id == practitioner.id!)
                    .filter(\.$purpose == .resetPassword).filter(\.$createdAt > Date().addingTimeInterval(-300)).count() == 0
            else { return }
            try await CredentialLinks.send(.resetPassword, to: practitioner, mail: mail, on: db)
        }
    }

    /// The new password, with every session and token begun before it ended; a link, when
    /// one was followed, is used up in the same transaction (false if it already was).
    /// Replacing a password the holder had (not choosing a new account's first) tells them by e-mail.
    static func setPassword(
        _ hash: String, for practitioner: Practitioner, using link: CredentialLink?, mail: MailSettings, on db: any Database
    ) async throws -> Bool {
        try await db.writeTransaction { db in
            if let link, try await !CredentialLinks.use(link.id!, on: db) { return false }
            let now = Date()
            if practitioner.passwordSetAt != nil {
                try await CredentialNotices.post(.password, to: practitioner, mail: mail, on: db, at: now)
            }
            practitioner.passwordHash = hash
            practitioner.passwordSetAt = now
            practitioner.credentialsChangedAt = now
            try await practitioner.save(on: db)
            try await APIToken.query(on: db).filter(\.$practitioner.$id == practitioner.id!).delete()
            try await CredentialLinks.withdraw(for: practitioner, except: .resetTwoFactor, on: db)
            try await Audit.record(
                on: db, by: SignedIn(practitioner: practitioner, organisation: practitioner.organisation), .changePassword,
                detail: link.map { "\($0.purpose.rawValue) link used" } ?? "own change")
            return true
        }
    }
}
