import Fluent
import Foundation

/// Tells the holder, by e-mail, that a way into their account changed (ASVS V2.2.3, V2.5.5):
/// posted in the same transaction as the change, from fixed texts naming no child, so someone
/// who took the account over cannot hide it from its owner.
enum CredentialNotices {
    enum Change {
        case password
        case secondFactorReplaced
    }

    static func post(
        _ change: Change, to practitioner: Practitioner, mail: MailSettings, on db: any Database, at now: Date = Date()
    )
        async throws
    {
        let (subject, body) = message(change, name: practitioner.name, at: now)
        try await Outbox.post(to: practitioner.email, subject: subject, body: body, mail: mail, on: db)
    }

    static func message(_ change: Change, name: String, at time: Date) -> (String, String) {
        let when = time.formatted(
            Date.FormatStyle(date: .long, time: .shortened, timeZone: TimeZone(identifier: "Europe/London")!)
                .locale(Locale(identifier: "en_GB")))
        let what =
            switch change {
            case .password: ("Your eCAF password was changed", "your eCAF password was changed")
            case .secondFactorReplaced:
                (
                    "A new authenticator app signs in to your eCAF account",
                    "a new authenticator app was set up for your eCAF sign-in"
                )
            }
        return (
            what.0,
            """
            Dear \(name),

            On \(when), \(what.1). Every other place you were signed in has been signed out.

            If this was not you, tell your local authority's eCAF administrator or your service desk now: someone may have your password.

            eCAF
            """
        )
    }
}
