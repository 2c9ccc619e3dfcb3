import Fluent
import NIOCore
import SQLKit
import Vapor

/// What e-mail needs from the environment: where links point, who mail is from, and the
/// relay (nil in a demo without one: mail then waits in the outbox).
struct MailSettings: Sendable {
    /// ECAF_PUBLIC_URL: the address people reach eCAF at, for the links e-mails carry.
    var publicURL: String
    /// ECAF_MAIL_FROM: the sender's address.
    var from: String
    var smtp: SMTPSettings?
    /// Bodies wait sealed (they may hold a one-time link) under the server's key; nil for a
    /// command run without one, which then cannot write e-mail.
    var keys: SecretKeys? = nil

    /// The host of the public address: names this server in EHLO and Message-IDs.
    var domain: String { URL(string: publicURL)?.host ?? "ecaf.invalid" }

    static let demo = MailSettings(publicURL: "http://localhost:8080", from: "ecaf@demo.test", smtp: nil)
}

extension Application {
    private struct MailKey: StorageKey { typealias Value = MailSettings }

    var mail: MailSettings {
        get { storage[MailKey.self] ?? .demo }
        set { storage[MailKey.self] = newValue }
    }
}

/// Writing e-mail: always inside the caller's transaction, so a message exists exactly when
/// the change it tells of does. Nothing about a child ever goes in one.
enum Outbox {
    static func post(to recipient: String, subject: String, body: String, mail: MailSettings, on db: any Database)
        async throws
    {
        guard let keys = mail.keys else { throw SecretKeys.Missing() }
        let message = OutboxMessage(domain: mail.domain, recipient: recipient, subject: subject, body: "")
        message.body = try SealedColumn.outboxBody.seal(body, row: message.id!, keys: keys)
        try await message.create(on: db)
    }
}

/// Delivers the outbox: claims one due message at a time (a conditional update, so two
/// servers never send the same message at once), hands it to the relay, and marks it sent.
/// A failure waits longer each time, up to an hour, and is tried again for as long as it
/// takes; a server that dies mid-delivery leaves the claim to lapse, and the message goes
/// again under the same Message-ID. At least once; never lost.
struct Postman: Sendable {
    var mail: MailSettings
    var smtp: SMTPSettings
    /// How long a claimed message is left to its claimant before another may try it.
    var lease: TimeInterval = 120

    static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        min(30 * pow(2, Double(max(attempts - 1, 0))), 3600)
    }

    /// Sends everything due; the number sent. Each claim reads the clock afresh (a slow batch
    /// must not leave its later claims already lapsed); `at` fixes it, for tests.
    @discardableResult
    func deliverDue(on db: any Database, group: any EventLoopGroup, at fixed: Date? = nil) async throws -> Int {
        var sent = 0
        while let message = try await claimNext(on: db, now: fixed ?? Date()) {
            do {
                guard let keys = mail.keys else { throw SecretKeys.Missing() }
                try await SMTPClient.send(
                    message, body: try SealedColumn.outboxBody.open(message.body, row: message.id!, keys: keys), from: mail.from,
                    settings: smtp, heloName: mail.domain, on: group)
                try await markSent(message, on: db)
                sent += 1
            } catch {
                try await markFailed(message, error: error, on: db, now: fixed ?? Date())
            }
        }
        return sent
    }

    /// The next message due, now claimed for `lease` seconds, or nil.
    func claimNext(on db: any Database, now: Date = Date()) async throws -> OutboxMessage? {
        let sql = db.sql
        let row = try await sql.raw(
            """
            UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = \(bind: now.addingTimeInterval(lease))
            WHERE id = (SELECT id FROM outbox_messages
                        WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= \(bind: now)
                        ORDER BY next_attempt_at LIMIT 1)
              AND sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= \(bind: now)
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: UUID.self) else { return nil }
        return try await OutboxMessage.find(id, on: db)
    }

    /// Sent: the body, which may hold a one-time link, is no longer kept.
    func markSent(_ message: OutboxMessage, on db: any Database) async throws {
        message.sentAt = Date()
        message.body = ""
        message.lastError = nil
        try await message.save(on: db)
    }

    /// Put off, longer each time; or, refused for good by the relay (5xx), given up with the
    /// body erased and the error kept for the operator.
    func markFailed(_ message: OutboxMessage, error: any Error, on db: any Database, now: Date = Date()) async throws {
        message.lastError = String(String(describing: error).prefix(500))
        if (error as? SMTPFailure)?.permanent == true {
            message.gaveUpAt = now
            message.body = ""
        } else {
            message.nextAttemptAt = now.addingTimeInterval(Self.retryDelay(afterAttempts: message.attempts))
        }
        try await message.save(on: db)
    }
}

/// Runs the postman while `ecaf serve` runs, every few seconds.
struct PostmanService: LifecycleHandler {
    let postman: Postman
    var interval: Duration = .seconds(5)
    private let task = TaskHolder()

    func didBootAsync(_ app: Application) async throws {
        let postman = self.postman
        let interval = self.interval
        await task.start {
            while !Task.isCancelled {
                do {
                    try await postman.deliverDue(on: app.db, group: app.eventLoopGroup)
                } catch {
                    app.logger.warning("The postman could not read the outbox: \(String(describing: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await task.stop()
    }

    actor TaskHolder {
        private var task: Task<Void, Never>?

        func start(_ work: @escaping @Sendable () async -> Void) { task = Task { await work() } }

        func stop() async {
            task?.cancel()
            await task?.value
        }
    }
}
