import Vapor

/// The keys a handler needs, from the application the request came to.
extension Request {
    var secrets: SecretKeys { get throws { try application.requireSecrets() } }
    var pepper: PasswordPepper { get throws { try application.requirePepper() } }
}
