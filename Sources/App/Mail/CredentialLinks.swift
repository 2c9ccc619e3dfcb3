import Fluent
import Foundation
import SQLKit

/// One-time links to an account's own credentials, sent only to the holder's work e-mail:
/// the only way a new account gets its first password, a forgotten one is replaced, or a
/// reset second factor is set up again. Only the token's digest is stored; a link works
/// once, until it expires, and a newer link of the same purpose replaces an older one.
enum CredentialLinks {
    /// Makes a link and posts it, in the caller's transaction.
    static func send(
        _ purpose: CredentialLink.Purpose, to practitioner: Practitioner, mail: MailSettings, on db: any Database,
        now: Date = Date()
    ) async throws {
        let id = try practitioner.requireID()
        try await CredentialLink.query(on: db).filter(\.$practitioner.$id == id).filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil).delete()
        let token = Auth.randomToken()
        let link = CredentialLink(tokenHash: Auth.digest(token), practitionerID: id, purpose: purpose, now: now)
        try await link.create(on: db)
        let address = mail.publicURL.trimmingCharacters(in: ["/"]) + SiteURL.credentialLink.path + "?token=" + token
        let (subject, body) = Self.message(purpose, name: practitioner.name, link: address, expires: link.expiresAt)
        try await Outbox.post(to: practitioner.email, subject: subject, body: body, mail: mail, on: db)
    }

    /// Unused links of the account stop working: on disabling it, on a new password (all but
    /// a reset second factor's, which the new password does not replace), on a new link.
    static func withdraw(
        for practitioner: Practitioner, except kept: CredentialLink.Purpose? = nil, on db: any Database
    ) async throws {
        var query = CredentialLink.query(on: db).filter(\.$practitioner.$id == practitioner.id!).filter(\.$usedAt == nil)
        if let kept { query = query.filter(\.$purpose != kept) }
        try await query.delete()
    }

    /// The link a token names, with its account, while it can still be used.
    static func find(_ token: String, on db: any Database, now: Date = Date()) async throws -> CredentialLink? {
        guard !token.isEmpty, token.utf8.count <= 64 else { return nil }
        guard
            let link = try await CredentialLink.query(on: db).filter(\.$tokenHash == Auth.digest(token))
                .filter(\.$usedAt == nil).filter(\.$expiresAt > now).with(\.$practitioner).first(),
            !link.practitioner.disabled
        else { return nil }
        return link
    }

    /// Uses the link up: one conditional update, so of two uses at once only one succeeds.
    static func use(_ id: UUID, on db: any Database, now: Date = Date()) async throws -> Bool {
        let rows = try await db.sql.raw(
            """
            UPDATE credential_links SET used_at = \(bind: now)
            WHERE id = \(bind: id) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// The e-mail for each purpose: the holder's own name and the link, never a child's detail.
    static func message(_ purpose: CredentialLink.Purpose, name: String, link: String, expires: Date) -> (String, String) {
        let until = expires.formatted(
            Date.FormatStyle(date: .long, time: .shortened, timeZone: TimeZone(identifier: "Europe/London")!)
                .locale(Locale(identifier: "en_GB")))
        let ending = """

            The link works once, until \(until). eCAF never asks for your password by e-mail or phone.

            eCAF
            """
        switch purpose {
        case .newAccount:
            return (
                "Your eCAF account",
                """
                Dear \(name),

                Your local authority has made you an eCAF account. Choose your password and set up two-factor sign-in here:

                \(link)

                If you were not expecting this, tell your service desk. Nobody can use the account without this link.
                """ + ending
            )
        case .resetPassword:
            return (
                "Reset your eCAF password",
                """
                Dear \(name),

                Someone asked to reset the password of your eCAF account. If it was you, choose a new password here:

                \(link)

                If it was not you, you need do nothing: your password has not changed.
                """ + ending
            )
        case .resetTwoFactor:
            return (
                "Set up two-factor sign-in for eCAF again",
                """
                Dear \(name),

                Your administrator reset two-factor sign-in for your eCAF account, as for a lost or new phone. Set it up again here, with your password and your authenticator app:

                \(link)

                If you did not ask for this, tell your service desk.
                """ + ending
            )
        }
    }
}
