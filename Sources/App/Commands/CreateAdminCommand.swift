import CAFCore
import Vapor

/// `ecaf create-admin`: bootstraps an LA's first two administrators (each approves the
/// other's grants of coordinator, safeguarding and la-admin). The password comes from
/// ECAF_ADMIN_PASSWORD or is asked for without echoing.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's e-mail address") var email: String?
        @Option(name: "name", help: "Their full name") var name: String?
        @Option(name: "authority", help: "Their local authority, e.g. Cambridgeshire") var authority: String?
        @Option(name: "organisation", help: "Their organisation, e.g. Cambridgeshire County Council") var organisation: String?
    }

    let help = "Creates one of an LA's first two administrators (no account exists outside --demo until this is run)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let password =
            ProcessInfo.processInfo.environment["ECAF_ADMIN_PASSWORD"]
            ?? context.console.ask(
                "Password (at least \(PasswordPolicy.minimumLength) characters):".consoleText(), isSecure: true)
        let admin = Administration.NewAdmin(
            email: signature.email ?? "", name: signature.name ?? "", authority: signature.authority ?? "",
            organisation: signature.organisation ?? "", password: password)
        do {
            let created = try await Administration.createAdmin(admin, on: context.application)
            context.console.print("Created LA administrator \(created.email).")
        } catch let error as AppError where !error.problems.isEmpty {
            for problem in error.problems { context.console.error("\(problem.field): \(problem.message)") }
            throw ExitCode(2)
        }
    }
}
