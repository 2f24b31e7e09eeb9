import ArgumentParser
import Foundation
import Histogram
import InventoryCore

/// What one call of a workload came to.
enum Outcome: Sendable {
    /// Done as asked.
    case done
    /// Refused for a business reason the workload expects (a sale of stock that ran out: 409).
    case refused
    /// Anything else: a failed request, a 5xx, a timeout.
    case failed
}

/// The figures of one workload.
struct Measurement: Codable, Sendable {
    var workload: String
    var concurrency: Int
    var seconds: Double
    var done: Int
    /// Calls done during the warm-up (they count for the ledger check, not for the figures).
    var warmupDone: Int
    var refused: Int
    var errors: Int
    /// Calls per second (done and refused: both are complete round trips).
    var throughput: Double
    /// Units of work per second (movements for a batch upload, else calls).
    var unitsPerSecond: Double
    var latencyMillisecondsP50: Double
    var latencyMillisecondsP99: Double
    var latencyMillisecondsP999: Double
    var latencyMillisecondsMax: Double
    /// This workload's throughput over its ceiling's, when it has one.
    var ratioToCeiling: Double?
    var ceiling: String?
    /// The server's resident memory after the workload, and its peak so far, in MiB.
    var serverResidentMiB: Double?
    var serverPeakResidentMiB: Double?
}

extension Measurement {
    /// This measurement with its throughput compared to `ceiling`'s.
    func against(_ ceiling: Measurement) -> Measurement {
        var compared = self
        compared.ratioToCeiling = throughput / ceiling.throughput
        compared.ceiling = ceiling.workload
        return compared
    }
}

/// The workloads, in groups that `--only` can pick.
enum WorkloadGroup: String, CaseIterable, Sendable, ExpressibleByArgument {
    case movements, batches, reads, reports, sqlite, events
}

/// How every workload of a run is measured.
struct RunSettings: Sendable {
    var concurrency: Int
    /// Concurrent callers for the store page and the reports.
    var reportConcurrency: Int
    var warmup: Duration
    var duration: Duration
    /// The server under test, to read its memory after each workload.
    var serverPID: Int32?
    /// Which workloads to run.
    var groups: Set<WorkloadGroup> = Set(WorkloadGroup.allCases)

    func measure(
        _ name: String, units: Int = 1, concurrency: Int? = nil,
        _ operation: @escaping @Sendable (inout SeedRandom) async -> Outcome
    ) async -> Measurement {
        var measurement = await Runner.measure(
            name, concurrency: concurrency ?? self.concurrency, warmup: warmup, duration: duration, unitsPerCall: units,
            operation: operation)
        (measurement.serverResidentMiB, measurement.serverPeakResidentMiB) = ServerMemory.read(pid: serverPID)
        print(
            "  \(name): \(Int(measurement.throughput))/s, p99 \(measurement.latencyMillisecondsP99) ms, \(measurement.errors) errors"
        )
        return measurement
    }
}

/// Runs a workload from a fixed number of concurrent callers for a fixed time, after a warm-up.
enum Runner {
    static func measure(
        _ name: String, concurrency: Int, warmup: Duration, duration: Duration, unitsPerCall: Int = 1,
        operation: @escaping @Sendable (inout SeedRandom) async -> Outcome
    ) async -> Measurement {
        let warm = await phase(concurrency: concurrency, duration: warmup, seed: 1, operation: operation)
        let started = ContinuousClock.now
        let result = await phase(concurrency: concurrency, duration: duration, seed: 2, operation: operation)
        let seconds =
            Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        let calls = Double(result.done + result.refused)
        let milliseconds = { (nanoseconds: UInt64) in Double(nanoseconds) / 1_000_000 }
        return Measurement(
            workload: name, concurrency: concurrency, seconds: seconds, done: result.done, warmupDone: warm.done,
            refused: result.refused, errors: result.failed + warm.failed, throughput: calls / seconds,
            unitsPerSecond: Double(result.done * unitsPerCall) / seconds,
            latencyMillisecondsP50: milliseconds(result.histogram.valueAtPercentile(50)),
            latencyMillisecondsP99: milliseconds(result.histogram.valueAtPercentile(99)),
            latencyMillisecondsP999: milliseconds(result.histogram.valueAtPercentile(99.9)),
            latencyMillisecondsMax: milliseconds(result.histogram.maxRecorded))
    }

    private struct PhaseResult: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000_000)
        var done = 0
        var refused = 0
        var failed = 0
    }

    private static func phase(
        concurrency: Int, duration: Duration, seed: UInt64,
        operation: @escaping @Sendable (inout SeedRandom) async -> Outcome
    ) async -> PhaseResult {
        let deadline = ContinuousClock.now + duration
        return await withTaskGroup(of: PhaseResult.self) { group in
            for caller in 0..<concurrency {
                group.addTask {
                    var random = SeedRandom.derived(seed, UInt64(caller))
                    var result = PhaseResult()
                    while ContinuousClock.now < deadline {
                        let began = ContinuousClock.now
                        let outcome = await operation(&random)
                        let elapsed = ContinuousClock.now - began
                        _ = result.histogram.record(
                            UInt64(elapsed.components.seconds) * 1_000_000_000
                                + UInt64(elapsed.components.attoseconds / 1_000_000_000))
                        switch outcome {
                        case .done: result.done += 1
                        case .refused: result.refused += 1
                        case .failed: result.failed += 1
                        }
                    }
                    return result
                }
            }
            var total = PhaseResult()
            for await part in group {
                total.histogram.add(part.histogram)
                total.done += part.done
                total.refused += part.refused
                total.failed += part.failed
            }
            return total
        }
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of async work, so clean-up can run before the error is rethrown.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
