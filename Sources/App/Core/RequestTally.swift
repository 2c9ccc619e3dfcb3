import Foundation
import Synchronization
import Vapor

/// What this instance knows of each signed-in person's requests in the current window: the
/// count last written to `request_counts` (which includes other instances' requests) and
/// the requests counted here since (`RequestAllowance.take`). Entries for past windows with
/// nothing to write are dropped at each write, so it holds about the people active this hour.
final class RequestTally: Sendable {
    struct Count: Sendable {
        let practitioner: UUID
        let window: Int64
        let requests: Int
    }

    struct Written: Sendable {
        let practitioner: UUID
        let window: Int64
        let requests: Int
        let alerted: Bool
    }

    private struct Entry {
        var window: Int64
        var written = 0
        var pending = 0
    }

    private let entries = Mutex<[UUID: Entry]>([:])

    /// Counts one request into the person's window and returns their requests in it as far as
    /// this instance knows. A request from an earlier window (this instance's clock behind
    /// another's) counts into the later one, as the database would.
    func count(_ practitioner: UUID, window: Int64) -> Int {
        entries.withLock { entries in
            var entry = entries[practitioner] ?? Entry(window: window)
            if entry.window < window { entry = Entry(window: window) }
            entry.pending += 1
            entries[practitioner] = entry
            return entry.written + entry.pending
        }
    }

    /// Takes the counts waiting to be written: one person's, or everyone's.
    func drain(_ practitioner: UUID? = nil) -> [Count] {
        entries.withLock { entries in
            let ids = practitioner.map { [$0] } ?? Array(entries.keys)
            return ids.compactMap { id in
                guard var entry = entries[id], entry.pending > 0 else { return nil }
                defer {
                    entry.pending = 0
                    entries[id] = entry
                }
                return Count(practitioner: id, window: entry.window, requests: entry.pending)
            }
        }
    }

    /// Puts back counts that could not be written.
    func restore(_ counts: [Count]) {
        entries.withLock { entries in
            for count in counts {
                var entry = entries[count.practitioner] ?? Entry(window: count.window)
                if entry.window == count.window { entry.pending += count.requests }
                entries[count.practitioner] = entry
            }
        }
    }

    /// Learns each person's count as written. Two writes may return out of order, so within a
    /// window the higher count stands; a later window in the database (begun by an instance
    /// whose clock is ahead) replaces this one, and what is waiting counts into it.
    func learn(_ written: [Written]) {
        entries.withLock { entries in
            for row in written {
                var entry = entries[row.practitioner] ?? Entry(window: row.window)
                if row.window > entry.window {
                    (entry.window, entry.written) = (row.window, row.requests)
                } else if row.window == entry.window {
                    entry.written = max(entry.written, row.requests)
                }
                entries[row.practitioner] = entry
            }
            let latest = entries.values.map(\.window).max() ?? 0
            entries = entries.filter { $0.value.pending > 0 || $0.value.window >= latest - Int64(RequestAllowance.window * 1000) }
        }
    }
}

/// Writes the tally each second while `ecaf serve` runs, and once more as it stops.
struct RequestTallyService: LifecycleHandler {
    var interval: Duration = .seconds(1)
    private let task = PostmanService.TaskHolder()

    func didBootAsync(_ app: Application) async throws {
        let interval = self.interval
        await task.start {
            while !Task.isCancelled {
                await Self.flush(app)
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await task.stop()
        await Self.flush(app)
    }

    private static func flush(_ app: Application) async {
        do {
            try await RequestAllowance.flush(app)
        } catch {
            app.logger.warning("The request counts could not be written: \(String(describing: error))")
        }
    }
}
