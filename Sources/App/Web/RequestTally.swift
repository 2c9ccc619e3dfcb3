import Foundation
import Synchronization
import Vapor

/// What this instance knows of each signed-in person's requests in the current window: the
/// count last written to `request_counts` (which includes other instances' requests), the
/// requests being written now, and those counted here since (`RequestAllowance.take`).
/// Entries for past windows with nothing to write are dropped each second, so it holds about
/// the people active this hour.
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
        var writing = 0
        var waiting = 0
        var known: Int { written + writing + waiting }
    }

    private struct State {
        var entries: [UUID: Entry] = [:]
        /// Set as the instance stops: every request is then written as it is made.
        var stopping = false
    }

    private let state = Mutex(State())

    /// Counts one request into the person's window. Once the person's requests as this
    /// instance knows them reach `threshold`, or the instance is stopping, it takes what
    /// waits for them, this request included, to be written now, in the same step, so no
    /// other request can take it from under this one. A request from an earlier window (this
    /// instance's clock behind another's) counts into the later one, as the database would;
    /// what waited from a window past counts into the new one rather than being dropped.
    func count(_ practitioner: UUID, window: Int64, writingAt threshold: Int) -> Count? {
        state.withLock { state in
            var entry = state.entries[practitioner] ?? Entry(window: window)
            if entry.window < window { entry = Entry(window: window, writing: entry.writing, waiting: entry.waiting) }
            entry.waiting += 1
            var taken: Count?
            if entry.known >= threshold || state.stopping {
                taken = Count(practitioner: practitioner, window: entry.window, requests: entry.waiting)
                entry.writing += entry.waiting
                entry.waiting = 0
            }
            state.entries[practitioner] = entry
            return taken
        }
    }

    /// Takes everyone's waiting counts to be written; they stay known while written.
    func takeAll() -> [Count] {
        state.withLock { state in
            var taken: [Count] = []
            for (id, entry) in state.entries where entry.waiting > 0 {
                taken.append(Count(practitioner: id, window: entry.window, requests: entry.waiting))
            }
            for count in taken {
                state.entries[count.practitioner]?.writing += count.requests
                state.entries[count.practitioner]?.waiting = 0
            }
            return taken
        }
    }

    /// Learns each person's count as written by these counts. Two writes may return out of
    /// order, so within a window the higher count stands; a later window in the database
    /// (begun by an instance whose clock is ahead) replaces this one.
    func learn(_ written: [Written], for counts: some Collection<Count>) {
        let sent = Dictionary(counts.map { ($0.practitioner, $0.requests) }, uniquingKeysWith: +)
        state.withLock { state in
            for row in written {
                guard var entry = state.entries[row.practitioner] else { continue }
                entry.writing = max(0, entry.writing - (sent[row.practitioner] ?? 0))
                if row.window > entry.window {
                    (entry.window, entry.written) = (row.window, row.requests)
                } else if row.window == entry.window {
                    entry.written = max(entry.written, row.requests)
                }
                state.entries[row.practitioner] = entry
            }
        }
    }

    /// Puts back counts that could not be written, to be written with the next.
    func restore(_ counts: some Collection<Count>) {
        state.withLock { state in
            for count in counts {
                guard var entry = state.entries[count.practitioner] else { continue }
                entry.writing = max(0, entry.writing - count.requests)
                entry.waiting += count.requests
                state.entries[count.practitioner] = entry
            }
        }
    }

    /// Drops people whose window is past and who have nothing to write.
    func prune(before window: Int64) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.window >= window || $0.value.writing + $0.value.waiting > 0 }
        }
    }

    /// From now on every request is written as it is made: the instance is stopping, and
    /// its last write may already have been made.
    func stop() {
        state.withLock { $0.stopping = true }
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

    /// Vapor stops its lifecycle services before its server: requests answered after this
    /// are each written as they are made.
    func shutdownAsync(_ app: Application) async {
        app.requestTally.stop()
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
