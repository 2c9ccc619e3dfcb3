import Foundation
import Vapor

/// `ecaf audit verify [--checkpoint FILE]`, `ecaf audit checkpoint`, `ecaf audit seal`: the
/// sealed audit log's checks (docs/audit.md). Verify exits 1 on the first thing wrong.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify, checkpoint or seal")
        var action: String

        @Option(name: "checkpoint", help: "A checkpoint printed earlier by `ecaf audit checkpoint`, for verify")
        var checkpoint: String?
    }

    let help =
        "The audit log: `verify [--checkpoint FILE]` proves it whole; `checkpoint` prints its latest signed head to keep elsewhere; `seal` seals what waits"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let keys = try app.requireAuditKeys()
        switch signature.action {
        case "verify":
            try await verify(context, keys: keys, checkpointFile: signature.checkpoint)
        case "checkpoint":
            guard let seal = try await AuditSeal.query(on: app.db).sort(\.$id, .descending).first() else {
                context.console.error("Nothing is sealed yet: `ecaf audit seal` seals what waits.")
                throw ExitCode(1)
            }
            context.console.output(AuditVerifier.printed(seal).consoleText(), newLine: false)
        case "seal":
            let sealed = try await AuditSealer.sealReady(on: app.db, keys: keys)
            context.console.print("Sealed \(sealed) events.")
        default:
            context.console.error("Unknown audit action “\(signature.action)”: use verify, checkpoint or seal")
            throw ExitCode(2)
        }
    }

    private func verify(_ context: CommandContext, keys: AuditKeys, checkpointFile: String?) async throws {
        var checkpoint: AuditVerifier.Checkpoint?
        if let checkpointFile {
            guard let text = try? String(contentsOfFile: checkpointFile, encoding: .utf8),
                let parsed = AuditVerifier.Checkpoint(printed: text)
            else {
                context.console.error("\(checkpointFile) is not a checkpoint printed by `ecaf audit checkpoint`.")
                throw ExitCode(2)
            }
            checkpoint = parsed
        }
        switch try await AuditVerifier.verify(on: context.application.db, keys: keys, checkpoint: checkpoint) {
        case .intact(let report):
            var lines = ["Audit log intact: \(report.sealed) events sealed in \(report.batches) batches."]
            if let checkpoint { lines.append("It extends the checkpoint at batch \(checkpoint.batch).") }
            if report.purged > 0 { lines.append("\(report.purged) sealed events have had their detail purged.") }
            if let oldest = report.oldestPending {
                let seconds = Int(Date().timeIntervalSince(oldest).rounded())
                lines.append("\(report.pending) events await the sealer, the oldest written \(seconds) s ago.")
            }
            context.console.print(lines.joined(separator: "\n"))
        case .broken(let reason):
            context.console.error("Audit log broken: \(reason).")
            throw ExitCode(1)
        }
    }
}

/// Ends a command with a status code, without a stack trace.
public struct ExitCode: Error {
    public let code: Int32
    package init(_ code: Int32) { self.code = code }
}
