import Vapor

/// What `ecaf` (and `ecaf-dev`, with its benchmark commands added) does when run: reads the
/// settings from the environment, refuses what must not start, and runs the command.
public enum CommandLineEntry {
    public static func run(adding commands: [(String, any AsyncCommand)] = []) async throws {
        // `ecaf serve --demo`: the flag is ours, so it is taken out before Vapor reads the rest.
        var arguments = CommandLine.arguments
        let demo = arguments.contains("--demo")
        arguments.removeAll { $0 == "--demo" }

        var env = try Environment.detect(arguments: arguments)
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            // `ecaf demo` seeds demo accounts too, so it may only make or use a demo database.
            // Vapor's own flags (--env, --log) are taken out by `detect`; the command comes first.
            let command = env.arguments.dropFirst().first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "serve"
            var settings = Settings.fromEnvironment(demo: demo, demoDatabase: demo || command == "demo")
            // A database on another machine only over TLS, whatever the command (migrate, audit…).
            if let clear = settings.problems.first(where: { $0.hasPrefix("DATABASE_URL") }) {
                print("eCAF will not connect without \(clear) (see the README)")
                try? await app.asyncShutdown()
                exit(1)
            }
            if command == "serve" {
                guard settings.problems.isEmpty else {
                    print(
                        "eCAF will not serve without \(settings.problems.joined(separator: "; ")) (see the README), or with --demo"
                    )
                    try? await app.asyncShutdown()
                    exit(1)
                }
                settings.deliversMail = true
                settings.sealsAudit = true
                settings.countsInBatches = true
                settings.refusesSchemaOwner = !demo
            }
            try await configure(app, settings)
            for (name, command) in commands { app.asyncCommands.use(command, as: name) }
            try await app.execute()
        } catch let status as ExitCode {
            try? await app.asyncShutdown()
            exit(status.code)
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
