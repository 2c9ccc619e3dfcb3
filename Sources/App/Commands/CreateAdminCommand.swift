import CAFCore
import Vapor

/// `ecaf create-admin`: bootstraps an LA's first two administrators (each approves the
/// other's grants of coordinator, safeguarding and la-admin). Each is e-mailed a link to
/// choose their own password, which `ecaf serve` delivers: whoever runs this never knows it.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's work e-mail address") var email: String?
        @Option(name: "name", help: "Their full name") var name: String?
        @Option(name: "authority", help: "Their local authority, e.g. Cambridgeshire") var authority: String?
        @Option(name: "organisation", help: "Their organisation, e.g. Cambridgeshire County Council") var organisation: String?
    }

    let help = "Creates one of an LA's first two administrators and e-mails them a link to choose a password"

    func run(using context: CommandContext, signature: Signature) async throws {
        // The link must point at the real service and come from its real sender.
        var missing: [String] = []
        let env = ProcessInfo.processInfo.environment
        _ = Settings.mailSettings(env, demo: false, problems: &missing)
        _ = SecretKeys.fromEnvironment(env, demo: false, problems: &missing)
        missing.removeAll { $0.hasPrefix("ECAF_SMTP") }
        guard missing.isEmpty else {
            context.console.error("Set \(missing.joined(separator: "; ")) first: the e-mailed link needs them.")
            throw ExitCode(2)
        }
        let admin = Administration.NewAdmin(
            email: signature.email ?? "", name: signature.name ?? "", authority: signature.authority ?? "",
            organisation: signature.organisation ?? "")
        do {
            let created = try await Administration.createAdmin(admin, on: context.application)
            context.console.print(
                "Created LA administrator \(created.email): they have been e-mailed a link to choose a password.")
        } catch let error as AppError where !error.problems.isEmpty {
            for problem in error.problems { context.console.error("\(problem.field): \(problem.message)") }
            throw ExitCode(2)
        }
    }
}
