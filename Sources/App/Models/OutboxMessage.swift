import Fluent
import Foundation

/// An e-mail waiting for the postman, or sent. Written in the transaction that made the
/// change it tells of, so the two commit or neither does; delivered at least once, under a
/// Message-ID fixed at writing, so a copy sent again after a crash is recognisably the same.
/// Once sent, the body (which may carry a one-time link) is erased.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: String
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// The relay refused it for good (a 5xx reply): not tried again; the body is erased.
    @OptionalField(key: "gave_up_at") var gaveUpAt: Date?
    @OptionalField(key: "last_error") var lastError: String?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $messageID, $recipient, $subject, $body, $createdAt, $attempts, $nextAttemptAt, $sentAt, $gaveUpAt, $lastError]
    }
    init() {}
    init(id: UUID = UUID(), domain: String, recipient: String, subject: String, body: String) {
        self.id = id
        self.messageID = "<\(id.uuidString.lowercased())@\(domain)>"
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = Date()
        self.attempts = 0
        self.nextAttemptAt = createdAt
    }
}
