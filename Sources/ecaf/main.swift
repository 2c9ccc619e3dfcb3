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
    // `ecaf demo` seeds demo accounts too, so it may only make or use a demo database.
    try await configure(app, .fromEnvironment(demo: demo, demoDatabase: demo || arguments.dropFirst().first == "demo"))
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
