import Foundation
import InventoryCore
import InventoryPostgres
import PostgresNIO

/// The PostgreSQL workloads, each measured on its own after a warm-up, with their ceilings.
struct Workloads: Sendable {
    let server: HTTPCaller
    let storage: PostgresInventoryStorage
    /// A separate pool of `concurrency` connections for the raw SQL ceiling and the ledger checks.
    let raw: PostgresClient
    let draw: Draw
    let historyStores: Int
    let settings: RunSettings

    func runAll() async throws -> [Measurement] {
        let ceiling = await settings.measure("http ceiling: GET /ping") { _ in await server.get("/ping") }
        var results = [ceiling]
        if settings.groups.contains(.movements) { results += try await singleMovements() }
        if settings.groups.contains(.batches) { results += try await batches() }
        if settings.groups.contains(.reads) { results += await pointReads() }
        if settings.groups.contains(.reports) {
            // 4. One store's full stock page; 5. the reports with realistic filters.
            for (name, path) in reads {
                let measurement = await settings.measure(name, concurrency: settings.reportConcurrency) { random in
                    await server.get(path(&random))
                }
                results.append(measurement.against(ceiling))
            }
        }
        let verification = try await storage.verifyLedger()
        print(
            "ledger: \(verification.movementsChecked) movements in \(verification.chainsChecked) chains, \(verification.breakCount) breaks"
        )
        guard verification.isIntact else {
            throw BenchFailure(
                reason: "the ledger is broken: " + verification.breaks.map(\.description).joined(separator: "; "))
        }
        return results
    }

    /// 1. Single movements: raw SQL, the storage without HTTP, and over HTTP.
    private func singleMovements() async throws -> [Measurement] {

        let rawWrite = try await checkingLedger(units: 1) {
            await settings.measure("raw sql: single movement") { random in await recordRaw(draw.movement(&random)) }
        }
        let directWrite = try await checkingLedger(units: 1) {
            await settings.measure("storage: single movement") { random in await recordDirect(draw.movement(&random)) }
        }
        let httpWrite = try await checkingLedger(units: 1) {
            await settings.measure("single movement") { random in
                let line = draw.movement(&random)
                return await server.recordMovement(storeID: line.store, productID: line.product, kind: line.kind)
            }
        }
        return [rawWrite, directWrite.against(rawWrite), httpWrite.against(rawWrite)]
    }

    /// 2. A point-of-sale batch of 50 movements: raw set-based SQL, and over HTTP.
    private func batches() async throws -> [Measurement] {
        let rawBatch = try await checkingLedger(units: Draw.batchSize) {
            await settings.measure("raw sql: batch of 50", units: Draw.batchSize) { random in
                await recordRawBatch(draw.batch(&random))
            }
        }
        let httpBatch = try await checkingLedger(units: Draw.batchSize) {
            await settings.measure("batch of 50", units: Draw.batchSize) { random in
                let batch = draw.batch(&random)
                return await server.post("/v1/stores/\(batch.store)/movements", Draw.batchBody(batch.lines))
            }
        }
        return [rawBatch, httpBatch.against(rawBatch)]
    }

    /// 3. Point stock reads: raw SQL, the storage without HTTP, and over HTTP.
    private func pointReads() async -> [Measurement] {
        let rawRead = await settings.measure("raw sql: point stock read") { random in
            let (store, product) = draw.storeAndProduct(&random)
            return await outcome {
                guard
                    try await rowCount(raw.execute(RawPostgres.ReadStockLevel(storeID: store, productID: product))) == 1
                else {
                    throw BenchFailure(reason: "no stock level")
                }
            }
        }
        let directRead = await settings.measure("storage: point stock read") { random in
            let (store, product) = draw.storeAndProduct(&random)
            return await outcome { _ = try await storage.stockLevel(storeID: store, product: .id(product)) }
        }
        let httpRead = await settings.measure("point stock read") { random in
            let (store, product) = draw.storeAndProduct(&random)
            return await server.readStockLevel(storeID: store, productID: product)
        }
        return [rawRead, directRead.against(rawRead), httpRead.against(rawRead)]
    }

    private var reads: [(String, @Sendable (inout SeedRandom) -> String)] {
        let now = Date()
        let monthAgo = now.addingTimeInterval(-30 * 86_400).formatted(Date.ISO8601FormatStyle())
        let today = now.formatted(Date.ISO8601FormatStyle())
        let draw = draw
        let historyStores = max(1, historyStores)
        // The seed puts 50 stores in a city (at most 40 cities).
        let cities = min(40, max(1, draw.stores / 50))
        return [
            (
                "store stock page (500)",
                { random in "/v1/stores/\(draw.storeAndProduct(&random).store)/stock?limit=500" }
            ),
            (
                "report: movements, one store, 30 days",
                { random in
                    "/v1/movements?store_id=\(Int.random(in: 1...historyStores, using: &random))&from=\(monthAgo)&to=\(today)&limit=100"
                }
            ),
            (
                "report: stock by product, one store",
                { random in
                    "/v1/reports/stock?group_by=product&store_id=\(Int.random(in: 1...historyStores, using: &random))"
                }
            ),
            (
                "report: low stock, one city",
                { random in
                    "/v1/reports/low-stock?city_id=\(Int.random(in: 1...cities, using: &random))&limit=100"
                }
            ),
            (
                "report: sales by day, one store, a month",
                { random in
                    "/v1/reports/sales?period=day&group_by=store&store_id=\(Int.random(in: 1...historyStores, using: &random))&from=\(monthAgo)&to=\(today)"
                }
            ),
            (
                "report: sales by day, one city, a month",
                { random in
                    "/v1/reports/sales?period=day&group_by=city&city_id=\(Int.random(in: 1...cities, using: &random))&from=\(monthAgo)&to=\(today)"
                }
            ),
        ]
    }

    // MARK: Operations

    private func recordRaw(_ line: (store: Int64, product: Int64, kind: String, delta: Int64)) async -> Outcome {
        do {
            let rows = try await rowCount(
                raw.execute(
                    RawPostgres.RecordMovement(
                        storeID: line.store, productID: line.product, kind: line.kind, delta: line.delta)))
            return rows == 0 ? .refused : .done
        } catch {
            return .failed
        }
    }

    private func recordRawBatch(_ batch: (store: Int64, lines: [(product: Int64, kind: String, delta: Int64)])) async
        -> Outcome
    {
        do {
            let rows = try await rowCount(
                raw.execute(
                    RawPostgres.RecordBatch(
                        storeID: batch.store, productIDs: batch.lines.map(\.product), kinds: batch.lines.map(\.kind),
                        deltas: batch.lines.map(\.delta))))
            return rows == batch.lines.count ? .done : .failed
        } catch {
            return .failed
        }
    }

    private func recordDirect(_ line: (store: Int64, product: Int64, kind: String, delta: Int64)) async -> Outcome {
        do {
            let command = try MovementCommand(
                product: .id(line.product), kind: MovementKind(rawValue: line.kind)!, quantity: Quantity(units: 1))
            _ = try await storage.recordMovements(
                MovementBatch(storeID: line.store, commands: [command]),
                by: ChangeContext(actor: Identity(kind: .system, id: nil, name: "godown-bench"), role: .admin))
            return .done
        } catch InventoryError.insufficientStock {
            return .refused
        } catch {
            return .failed
        }
    }

    private func rowCount<Rows: AsyncSequence>(_ rows: Rows) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    private func outcome(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .done
        } catch {
            return .failed
        }
    }

    // MARK: Ledger checks

    /// Runs a write workload and checks that exactly the acknowledged movements were stored and no
    /// stock went below zero.
    private func checkingLedger(units: Int, _ body: () async -> Measurement) async throws -> Measurement {
        let before = try await count("SELECT count(*) FROM movements")
        let measurement = await body()
        let stored = try await count("SELECT count(*) FROM movements") - before
        try LedgerCount(measurement: measurement, units: units, stored: stored).check()
        let negative = try await count("SELECT count(*) FROM stock_levels WHERE on_hand < 0")
        guard negative == 0 else {
            throw BenchFailure(reason: "\(measurement.workload): \(negative) stock levels below zero")
        }
        return measurement
    }

    private func count(_ sql: PostgresQuery) async throws -> Int {
        for try await count in try await raw.query(sql).decode(Int64.self) { return Int(count) }
        return 0
    }
}

/// Acknowledged movements against stored ones, after a write workload.
struct LedgerCount {
    var measurement: Measurement
    var units: Int
    var stored: Int

    /// An acknowledged movement must be stored exactly once; a failed call (a timeout) may or may not
    /// have been.
    func check() throws {
        let acknowledged = (measurement.done + measurement.warmupDone) * units
        guard stored >= acknowledged, stored <= acknowledged + measurement.errors * units else {
            throw BenchFailure(
                reason:
                    "the ledger is broken: \(measurement.workload): \(acknowledged) movements acknowledged, \(stored) stored"
            )
        }
        print("  ledger: \(acknowledged) movements acknowledged, \(stored) stored")
    }
}
