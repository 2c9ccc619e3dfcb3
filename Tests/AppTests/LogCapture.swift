import Foundation
import Logging
import NIOConcurrencyHelpers

/// Keeps what an application logs, with its metadata, so a test can read the server's log.
/// Requests log through the application's logger, so `world.app.logger = capture.logger`
/// catches every request's lines.
final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    /// Down to `info`, the level a service runs at: `debug` and below show each database
    /// query's values (Fluent's "Running query"), and are for developers' machines.
    var logger: Logger { Logger(label: "eCAF test") { _ in Handler(capture: self) } }

    /// Every line so far: level, message and metadata, as one string each.
    var all: [String] { lines.withLockedValue { $0 } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" })"
            capture.lines.withLockedValue { $0.append(text) }
        }
    }
}
