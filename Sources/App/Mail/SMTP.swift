import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where the postman hands e-mail over: an SMTP relay named by the environment
/// (ECAF_SMTP_HOST, ECAF_SMTP_PORT, ECAF_SMTP_SECURITY, ECAF_SMTP_USERNAME, ECAF_SMTP_PASSWORD).
struct SMTPSettings: Sendable {
    enum Security: String, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS (RFC 3207), refused if the relay cannot.
        case startTLS = "starttls"
        /// TLS from the first byte (RFC 8314), usually port 465.
        case tls
        /// No encryption: only for a relay on this machine or the test sink.
        case none
    }

    var host: String
    var port: Int
    var security: Security
    var username: String? = nil
    var password: String? = nil
}

struct SMTPFailure: Error, CustomStringConvertible {
    let description: String
    /// The relay refused for good (a 5xx reply): trying again would not help.
    var permanent = false
}

/// A minimal SMTP client (RFC 5321) for one message at a time: EHLO, STARTTLS or TLS,
/// AUTH PLAIN when a user name is set, MAIL, RCPT, DATA, QUIT. Any reply other than the
/// one expected fails the delivery, which the postman retries later.
enum SMTPClient {
    static let timeout: TimeAmount = .seconds(30)

    static func send(
        _ message: OutboxMessage, body: String, from sender: String, settings: SMTPSettings, heloName: String,
        on group: any EventLoopGroup
    ) async throws {
        for text in [message.recipient, sender, heloName] where !Self.isSafeAddress(text) {
            throw SMTPFailure(description: "refused an address with characters SMTP cannot carry")
        }
        let replies = SMTPReplies()
        let tls = settings.security == .none ? nil : try NIOSSLContext(configuration: .makeClientConfiguration())
        let host = settings.host
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.security == .tls, let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(replies)
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        // However the conversation goes, it ends within the timeout: closing fails any wait.
        let deadline = channel.eventLoop.scheduleTask(in: timeout * 2) { channel.close(promise: nil) }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        let conversation = Conversation(channel: channel, replies: replies)
        try await conversation.expect(220)
        var features = try await conversation.command("EHLO \(heloName)", expect: 250)
        if settings.security == .startTLS, let tls {
            guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw SMTPFailure(description: "the relay does not offer STARTTLS")
            }
            _ = try await conversation.command("STARTTLS", expect: 220)
            // Anything that came with the 220, before TLS, was sent by whoever sits in the
            // path: it must never be read as a reply from inside TLS (CVE-2011-0411). The
            // check and the TLS handler's insertion are one step on the event loop, so
            // nothing can arrive between them.
            try await channel.eventLoop.submit {
                try replies.requireNothingWaiting()
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
            features = try await conversation.command("EHLO \(heloName)", expect: 250)
        }
        if let username = settings.username {
            guard features.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                throw SMTPFailure(description: "the relay does not offer AUTH PLAIN")
            }
            let plain = Data("\u{0}\(username)\u{0}\(settings.password ?? "")".utf8).base64EncodedString()
            _ = try await conversation.command("AUTH PLAIN \(plain)", expect: 235)
        }
        _ = try await conversation.command("MAIL FROM:<\(sender)>", expect: 250)
        _ = try await conversation.command("RCPT TO:<\(message.recipient)>", expect: 250, 251)
        _ = try await conversation.command("DATA", expect: 354)
        _ = try await conversation.command(Self.data(message, body: body, from: sender), expect: 250)
        _ = try? await conversation.command("QUIT", expect: 221)
    }

    /// No line breaks, brackets or spaces: nothing that could end a command or a header early.
    static func isSafeAddress(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 254
            && text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>\"\\,;".unicodeScalars.contains($0) }
    }

    /// The message as DATA carries it: headers, a base64 UTF-8 body, the closing dot.
    static func data(_ message: OutboxMessage, body text: String, from sender: String) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let body = Data(text.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        let headers = [
            "Message-ID: \(message.messageID)",
            "Date: \(date.string(from: message.createdAt))",
            "From: eCAF <\(sender)>",
            "To: <\(message.recipient)>",
            "Subject: =?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?=",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        return (headers + ["", body, "."]).joined(separator: "\r\n")
    }

    /// Sends a line and waits for its reply.
    private struct Conversation {
        let channel: any Channel
        let replies: SMTPReplies

        func expect(_ codes: Int...) async throws {
            let reply = try await replies.next(on: channel.eventLoop)
            guard codes.contains(reply.code) else {
                throw SMTPFailure(
                    description: "the relay answered \(reply.code) \(reply.text.prefix(200))", permanent: reply.code >= 500)
            }
        }

        @discardableResult
        func command(_ line: String, expect codes: Int...) async throws -> [String] {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
            let reply = try await replies.next(on: channel.eventLoop)
            guard codes.contains(reply.code) else {
                let verb = line.split(separator: " ").first.map(String.init) ?? "DATA"
                throw SMTPFailure(
                    description:
                        "the relay answered \(verb.count > 12 ? "the message" : verb) with \(reply.code) \(reply.text.prefix(200))"
                )
            }
            return reply.lines
        }
    }
}

/// Gathers the relay's replies (multi-line ones whole) and hands each to whoever waits.
/// Its state is touched only on its channel's event loop.
final class SMTPReplies: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    struct Reply {
        var code: Int
        var lines: [String]
        var text: String { lines.joined(separator: " ") }
    }

    private var pending = ""
    private var lines: [String] = []
    private var arrived: [Reply] = []
    private var waiting: [EventLoopPromise<Reply>] = []
    private var ended: (any Error)?

    func next(on loop: any EventLoop) async throws -> Reply {
        try await loop.flatSubmit {
            let promise = loop.makePromise(of: Reply.self)
            if !self.arrived.isEmpty {
                promise.succeed(self.arrived.removeFirst())
            } else if let ended = self.ended {
                promise.fail(ended)
            } else {
                self.waiting.append(promise)
            }
            return promise.futureResult
        }.get()
    }

    /// Fails unless no reply, nor part of one, waits unread. On the event loop only.
    func requireNothingWaiting() throws {
        guard arrived.isEmpty && lines.isEmpty && pending.isEmpty else {
            throw SMTPFailure(description: "the relay sent more than its reply to STARTTLS")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let end = pending.range(of: "\r\n") {
            let line = String(pending[..<end.lowerBound])
            pending.removeSubrange(..<end.upperBound)
            let code = Int(line.prefix(3))
            lines.append(String(line.dropFirst(4)))
            // "250-…" continues a reply; "250 …" (or a bare "250") ends it.
            if let code, line.count == 3 || line.dropFirst(3).first == " " {
                deliver(Reply(code: code, lines: lines))
                lines = []
            } else if code == nil || lines.count > 100 || arrived.count > 10 {
                // Nothing from a relay that broke the protocol is believed, not even earlier replies.
                arrived = []
                finish(SMTPFailure(description: "the relay sent something that is not an SMTP reply"), context: context)
                return
            }
        }
        if pending.utf8.count > 4096 { finish(SMTPFailure(description: "the relay sent an overlong line"), context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(SMTPFailure(description: "the relay closed the connection"), context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(error, context: context)
    }

    private func deliver(_ reply: Reply) {
        if waiting.isEmpty { arrived.append(reply) } else { waiting.removeFirst().succeed(reply) }
    }

    private func finish(_ error: any Error, context: ChannelHandlerContext?) {
        if ended == nil { ended = error }
        for promise in waiting { promise.fail(error) }
        waiting = []
        context?.close(promise: nil)
    }
}
