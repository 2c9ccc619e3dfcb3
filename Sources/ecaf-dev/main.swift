import App
import Benchmarks

// `ecaf` with the benchmark commands scripts/bench-* run; never deployed.
try await CommandLineEntry.run(adding: [
    ("bench-search", BenchSearchCommand()), ("bench-measures", BenchMeasuresCommand()), ("bench-audit", BenchAuditCommand()),
])
