import Vapor

/// `ecaf audit verify`: recomputes the audit log's hash chain and reports the first broken
/// link, exiting non-zero when there is one.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    let help = "Checks the audit log: `ecaf audit verify` recomputes its hash chain"

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            context.console.error("Unknown audit action “\(signature.action)”: use `ecaf audit verify`")
            throw ExitCode(2)
        }
        switch try await AuditChain.verify(on: context.application.db) {
        case .intact(let events):
            context.console.print("Audit chain intact: \(events) events verified.")
        case .broken(let sequence, let reason):
            context.console.error("Audit chain broken at event \(sequence): \(reason).")
            throw ExitCode(1)
        }
    }
}

/// Ends a command with a status code, without a stack trace.
public struct ExitCode: Error {
    public let code: Int32
    package init(_ code: Int32) { self.code = code }
}
