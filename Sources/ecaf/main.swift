import App
import Vapor

// `ecaf serve --demo`: the flag is ours, so it is taken out before Vapor reads the rest.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

var env = try Environment.detect(arguments: arguments)
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app, .fromEnvironment(demo: demo))
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
