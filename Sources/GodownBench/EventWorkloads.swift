import AsyncHTTPClient
import Foundation
import Histogram
import InventoryCore
import NIOConcurrencyHelpers
import NIOCore

/// 6. The event stream across instances: single movements written through the server under test
/// while a second instance on the same database streams them. It measures what an open stream
/// costs the writers (single movements without and with a stream listening), and how long a
/// movement takes from being sent to instance A to arriving on instance B's stream at a steady rate.
struct EventWorkloads: Sendable {
    let writer: HTTPCaller
    let streamer: HTTPCaller
    let draw: Draw
    let settings: RunSettings
    /// Movements per second of the delivery workload.
    let rate: Int

    func runAll() async throws -> [Measurement] {
        let quiet = await settings.measure("single movement, no stream open") { random in
            let line = draw.movement(&random)
            return await writer.recordMovement(storeID: line.store, productID: line.product, kind: line.kind)
        }
        let arrivals = Arrivals()
        let stream = try await streamer.openStream("/v1/events?types=movement.recorded")
        let reading = Task { try await Self.read(stream, into: arrivals) }
        defer { reading.cancel() }
        try await arrivals.waitUntilOpen()
        var listened = await settings.measure("single movement, a stream open on another instance") { random in
            let line = draw.movement(&random)
            return await writer.recordMovement(storeID: line.store, productID: line.product, kind: line.kind)
        }
        listened = listened.against(quiet)
        return [quiet, listened, try await delivery(arrivals)]
    }

    /// Movements at `rate` per second for the measured time; each one's delay from being sent to its
    /// event arriving on the stream.
    private func delivery(_ arrivals: Arrivals) async throws -> Measurement {
        let name = "event delivery at \(rate)/s: sent to one instance, streamed by another"
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + settings.duration
        let sent = NIOLockedValueBox([Int64: ContinuousClock.Instant]())
        let failures = NIOLockedValueBox(0)
        let refusals = NIOLockedValueBox(0)
        await withTaskGroup(of: Void.self) { group in
            var next = start
            var random = SeedRandom.derived(6, 0)
            while next < end {
                try? await clock.sleep(until: next)
                let line = draw.movement(&random)
                group.addTask {
                    let began = clock.now
                    switch await writer.recordMovementID(storeID: line.store, productID: line.product, kind: line.kind)
                    {
                    case .stored(let id): sent.withLockedValue { $0[id] = began }
                    case .refused: refusals.withLockedValue { $0 += 1 }
                    case .failed: failures.withLockedValue { $0 += 1 }
                    }
                }
                next = next + interval
            }
        }
        // Whatever is still on its way gets a few seconds more.
        let expected = sent.withLockedValue { $0 }
        let deadline = clock.now + .seconds(5)
        while clock.now < deadline, arrivals.count(of: expected.keys) < expected.count {
            try await Task.sleep(for: .milliseconds(20))
        }
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000_000)
        var delivered = 0
        for (id, began) in expected {
            guard let arrived = arrivals.arrival(of: id) else { continue }
            let delay = max(arrived - began, .zero)
            _ = histogram.record(
                UInt64(delay.components.seconds) * 1_000_000_000 + UInt64(delay.components.attoseconds / 1_000_000_000))
            delivered += 1
        }
        let seconds = Double(settings.duration.components.seconds)
        let milliseconds = { (nanoseconds: UInt64) in Double(nanoseconds) / 1_000_000 }
        let lost = expected.count - delivered
        print(
            "  \(name): \(delivered) of \(expected.count) delivered, p99 \(milliseconds(histogram.valueAtPercentile(99))) ms"
        )
        return Measurement(
            workload: name, concurrency: 1, seconds: seconds, done: delivered, warmupDone: 0,
            refused: refusals.withLockedValue { $0 },
            errors: failures.withLockedValue { $0 } + lost, throughput: Double(delivered) / seconds,
            unitsPerSecond: Double(delivered) / seconds,
            latencyMillisecondsP50: milliseconds(histogram.valueAtPercentile(50)),
            latencyMillisecondsP99: milliseconds(histogram.valueAtPercentile(99)),
            latencyMillisecondsP999: milliseconds(histogram.valueAtPercentile(99.9)),
            latencyMillisecondsMax: milliseconds(histogram.maxRecorded))
    }

    /// Notes when each movement's event arrives: the movement id is the first `"id":` inside `"data":`.
    private static func read(_ response: HTTPClientResponse, into arrivals: Arrivals) async throws {
        var pending = ""
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let end = pending.range(of: "\n\n") {
                let frame = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                if frame.contains(": stream open") { arrivals.open() }
                guard let data = frame.range(of: #""data":{"#),
                    let key = frame[data.upperBound...].range(of: #""id":"#)
                else { continue }
                if let id = Int64(frame[key.upperBound...].prefix { $0.isNumber }) { arrivals.arrived(id) }
            }
        }
    }
}

/// When each movement's event arrived on the stream.
final class Arrivals: Sendable {
    private let state = NIOLockedValueBox((open: false, times: [Int64: ContinuousClock.Instant]()))

    func open() { state.withLockedValue { $0.open = true } }

    func arrived(_ id: Int64) {
        let now = ContinuousClock.now
        state.withLockedValue { $0.times[id] = now }
    }

    func arrival(of id: Int64) -> ContinuousClock.Instant? { state.withLockedValue { $0.times[id] } }

    func count(of ids: some Sequence<Int64>) -> Int {
        state.withLockedValue { state in ids.filter { state.times[$0] != nil }.count }
    }

    func waitUntilOpen() async throws {
        for _ in 0..<500 {
            if state.withLockedValue({ $0.open }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchFailure(reason: "the event stream did not open")
    }
}

extension HTTPCaller {
    /// A Server-Sent Events response, its body still arriving.
    func openStream(_ path: String) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await http.execute(request, timeout: .hours(1))
        guard response.status == .ok else {
            throw BenchFailure(reason: "the event stream answered \(response.status.code)")
        }
        return response
    }

    enum Recorded {
        case stored(Int64)
        /// A sale of stock that ran out (409).
        case refused
        case failed
    }

    /// Records one movement and answers its id.
    func recordMovementID(storeID: Int64, productID: Int64, kind: String) async -> Recorded {
        var request = HTTPClientRequest(url: base + "/v1/stores/\(storeID)/movements")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(
            ByteBuffer(string: #"{"product_id":\#(productID),"kind":"\#(kind)","quantity":"1"}"#))
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            if response.status.code == 409 { return .refused }
            guard response.status == .created, let key = body.range(of: #""id":"#),
                let id = Int64(body[key.upperBound...].prefix { $0.isNumber })
            else { return .failed }
            return .stored(id)
        } catch {
            return .failed
        }
    }
}
