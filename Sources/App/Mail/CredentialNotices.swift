import Fluent
import Foundation

/// Tells the holder, by e-mail, that a way into their account changed (ASVS V2.2.3, V2.5.5)
/// or that someone sent their password with a code already used (V2.8.5): posted in the same
/// transaction as the change, from fixed texts naming no child, so someone who took the
/// account over cannot hide it from its owner.
enum CredentialNotices {
    enum Change {
        case password
        case secondFactorReplaced
        case codeReused
        case securityKeyAdded
        case securityKeyRemoved
        /// A security key's counter went back: a copy of the key, or an answer replayed.
        case securityKeyCopied
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
        let (subject, what, after) =
            switch change {
            case .password:
                (
                    "Your eCAF password was changed", "your eCAF password was changed",
                    "Every other place you were signed in has been signed out."
                )
            case .secondFactorReplaced:
                (
                    "A new authenticator app signs in to your eCAF account",
                    "a new authenticator app was set up for your eCAF sign-in",
                    "Every other place you were signed in has been signed out."
                )
            case .codeReused:
                (
                    "Someone signing in to eCAF as you sent a code already used",
                    "someone signing in to your eCAF account gave your password and a code from your authenticator app that had already been used, so eCAF refused it",
                    "If you signed in twice within a minute, there is nothing to do."
                )
            case .securityKeyAdded:
                (
                    "A security key was added to your eCAF account",
                    "a security key was added to your eCAF account",
                    "Signing in on eCAF's pages now asks for one of your security keys."
                )
            case .securityKeyRemoved:
                (
                    "A security key was removed from your eCAF account",
                    "a security key was removed from your eCAF account", "It no longer signs you in."
                )
            case .securityKeyCopied:
                (
                    "Someone signing in to eCAF as you used a copy of your security key",
                    "someone signing in to your eCAF account gave your password and an answer from your security key that it had given before, or from a copy of it, so eCAF refused it",
                    "Remove that key from your account and use another."
                )
            }
        return (
            subject,
            """
            Dear \(name),

            On \(when), \(what). \(after)

            If this was not you, tell your local authority's eCAF administrator or your service desk now: someone may have your password.

            eCAF
            """
        )
    }
}
