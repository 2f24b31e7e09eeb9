import AsyncHTTPClient
import Foundation
import InventoryCore
import InventoryPostgres
import NIOCore
import NIOHTTP1
import PostgresNIO

/// The workloads of the benchmark, each measured on its own after a warm-up.
struct Workloads: Sendable {
    let http: HTTPClient
    let storage: PostgresInventoryStorage
    let client: PostgresClient
    let base: String
    let stores: Int
    let products: Int
    let historyStores: Int
    let concurrency: Int
    let warmup: Duration
    let duration: Duration
    let serverPID: Int32?
    /// `Bearer <access token>` of the user the benchmark logged in as.
    let authorization: String

    func runAll() async throws -> [Measurement] {
        var results: [Measurement] = []
        func measure(_ name: String, units: Int = 1, _ operation: @escaping @Sendable (inout SeedRandom) async -> Outcome) async
            -> Measurement
        {
            var measurement = await Runner.measure(
                name, concurrency: concurrency, warmup: warmup, duration: duration, unitsPerCall: units, operation: operation)
            (measurement.serverResidentMiB, measurement.serverPeakResidentMiB) = ServerMemory.read(pid: serverPID)
            print("  \(name): \(Int(measurement.throughput))/s, p99 \(measurement.latencyMillisecondsP99) ms, \(measurement.errors) errors")
            return measurement
        }
        let ceiling = await measure("http ceiling: GET /ping") { _ in await get("/ping") }
        results.append(ceiling)

        // 1. Single movements: over HTTP, and the same storage call without HTTP.
        let directWrite = try await checkingLedger("direct: single movement", units: 1) {
            await measure("direct: single movement") { random in await recordDirect(&random) }
        }
        var httpWrite = try await checkingLedger("single movement", units: 1) {
            await measure("single movement") { random in await recordOverHTTP(&random) }
        }
        httpWrite.ratioToCeiling = httpWrite.throughput / directWrite.throughput
        httpWrite.ceiling = directWrite.workload
        results += [directWrite, httpWrite]

        // 2. A point-of-sale batch of 50 movements.
        var batch = try await checkingLedger("batch of 50", units: 50) {
            await measure("batch of 50", units: 50) { random in await batchOverHTTP(&random) }
        }
        batch.ceiling = "movements per second"
        results.append(batch)

        // 3. Point stock reads.
        let directRead = await measure("direct: point stock read") { random in
            let (store, product) = pick(&random)
            do {
                _ = try await storage.stockLevel(storeID: store, product: .id(product))
                return .done
            } catch { return .failed }
        }
        var httpRead = await measure("point stock read") { random in
            let (store, product) = pick(&random)
            return await get("/v1/stores/\(store)/stock/\(product)")
        }
        httpRead.ratioToCeiling = httpRead.throughput / directRead.throughput
        httpRead.ceiling = directRead.workload
        results += [directRead, httpRead]

        // 4. One store's full stock page; 5. the reports with realistic filters.
        let now = Date()
        let monthAgo = WireTime.format(now.addingTimeInterval(-30 * 86_400))
        let today = WireTime.format(now)
        let reads: [(String, @Sendable (inout SeedRandom) -> String)] = [
            ("store stock page (500)", { random in "/v1/stores/\(pick(&random).0)/stock?limit=500" }),
            ("report: movements, one store, 30 days", { random in
                "/v1/movements?store_id=\(historyStore(&random))&from=\(monthAgo)&to=\(today)&limit=100"
            }),
            ("report: stock by product, one store", { random in "/v1/reports/stock?group_by=product&store_id=\(historyStore(&random))" }),
            ("report: low stock, one city", { random in "/v1/reports/low-stock?city_id=\(Int.random(in: 1...cities, using: &random))&limit=100" }),
            ("report: sales by day, one store, a month", { random in
                "/v1/reports/sales?period=day&group_by=store&store_id=\(historyStore(&random))&from=\(monthAgo)&to=\(today)"
            }),
            ("report: sales by day, one city, a month", { random in
                "/v1/reports/sales?period=day&group_by=city&city_id=\(Int.random(in: 1...cities, using: &random))&from=\(monthAgo)&to=\(today)"
            }),
        ]
        for (name, path) in reads {
            var measurement = await measure(name) { random in await get(path(&random)) }
            measurement.ratioToCeiling = measurement.throughput / ceiling.throughput
            measurement.ceiling = ceiling.workload
            results.append(measurement)
        }

        let verification = try await storage.verifyLedger()
        print("ledger: \(verification.movementsChecked) movements in \(verification.chainsChecked) chains, \(verification.breakCount) breaks")
        guard verification.isIntact else { throw LedgerBroken(reason: verification.breaks.map(\.description).joined(separator: "; ")) }
        return results
    }

    /// The seed puts 50 stores in a city (at most 40 cities).
    private var cities: Int { min(40, max(1, stores / 50)) }

    // MARK: Operations

    private func pick(_ random: inout SeedRandom) -> (Int64, Int64) {
        (Int64.random(in: 1...Int64(stores), using: &random), Int64.random(in: 1...Int64(products), using: &random))
    }

    private func historyStore(_ random: inout SeedRandom) -> Int {
        Int.random(in: 1...max(1, historyStores), using: &random)
    }

    /// Half stock-ins, half sales of one unit: sales of stock that ran out are refused (409), as in a shop.
    private func movementBody(_ random: inout SeedRandom) -> (store: Int64, product: Int64, kind: MovementKind) {
        let (store, product) = pick(&random)
        return (store, product, Bool.random(using: &random) ? .stockIn : .sale)
    }

    private func recordDirect(_ random: inout SeedRandom) async -> Outcome {
        let line = movementBody(&random)
        do {
            let command = try MovementCommand(product: .id(line.product), kind: line.kind, quantity: Quantity(units: 1))
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

    private func recordOverHTTP(_ random: inout SeedRandom) async -> Outcome {
        let line = movementBody(&random)
        return await post(
            "/v1/stores/\(line.store)/movements",
            #"{"product_id":\#(line.product),"kind":"\#(line.kind.rawValue)","quantity":"1"}"#)
    }

    /// 25 products each received and sold in one upload, so the batch always applies.
    private func batchOverHTTP(_ random: inout SeedRandom) async -> Outcome {
        let store = Int64.random(in: 1...Int64(stores), using: &random)
        var lines: [String] = []
        for _ in 0..<25 {
            let product = Int64.random(in: 1...Int64(products), using: &random)
            lines.append(#"{"product_id":\#(product),"kind":"stock_in","quantity":"2"}"#)
            lines.append(#"{"product_id":\#(product),"kind":"sale","quantity":"1"}"#)
        }
        return await post("/v1/stores/\(store)/movements", #"{"movements":[\#(lines.joined(separator: ","))]}"#)
    }

    private func get(_ path: String) async -> Outcome {
        await send(HTTPClientRequest(url: base + path))
    }

    private func post(_ path: String, _ body: String) async -> Outcome {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return await send(request)
    }

    private func send(_ request: HTTPClientRequest) async -> Outcome {
        var request = request
        request.headers.add(name: "Authorization", value: authorization)
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 16 << 20)
            switch response.status.code {
            case 200..<300: return .done
            case 409: return .refused
            default: return .failed
            }
        } catch {
            return .failed
        }
    }

    // MARK: Ledger checks

    /// Runs a write workload and checks that exactly the acknowledged movements were stored.
    private func checkingLedger(_ name: String, units: Int, _ body: () async -> Measurement) async throws -> Measurement {
        let before = try await movementCount()
        let measurement = await body()
        let stored = try await movementCount() - before
        let acknowledged = (measurement.done + measurement.warmupDone) * units
        // A failed call (a timeout) may or may not have been stored; an acknowledged one must be, once.
        guard stored >= acknowledged, stored <= acknowledged + measurement.errors * units else {
            throw LedgerBroken(reason: "\(name): \(acknowledged) movements acknowledged, \(stored) stored")
        }
        print("  ledger: \(acknowledged) movements acknowledged, \(stored) stored")
        let negative = try await client.query("SELECT count(*) FROM stock_levels WHERE on_hand < 0")
        for try await count in negative.decode(Int64.self) where count > 0 {
            throw LedgerBroken(reason: "\(name): \(count) stock levels below zero")
        }
        return measurement
    }

    private func movementCount() async throws -> Int {
        for try await count in try await client.query("SELECT count(*) FROM movements").decode(Int64.self) {
            return Int(count)
        }
        return 0
    }
}

struct LedgerBroken: Error, CustomStringConvertible {
    var reason: String
    var description: String { "the ledger is broken: \(reason)" }
}

/// ISO 8601 for query strings.
enum WireTime {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
