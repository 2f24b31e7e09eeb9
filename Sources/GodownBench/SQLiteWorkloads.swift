import InventoryCore

/// Workloads 1 and 3 against `godown serve` on the embedded SQLite backend, with the raw SQLite
/// ceiling on the same file.
struct SQLiteWorkloads: Sendable {
    let server: HTTPCaller
    let raw: RawSQLite
    let draw: Draw
    let settings: RunSettings

    func runAll() async throws -> [Measurement] {
        let rawWrite = try await checkingLedger {
            await settings.measure("sqlite raw sql: single movement") { random in
                let line = draw.movement(&random)
                do {
                    let applied = try await raw.recordMovement(
                        storeID: line.store, productID: line.product, kind: line.kind, delta: line.delta)
                    return applied ? .done : .refused
                } catch {
                    return .failed
                }
            }
        }
        let httpWrite = try await checkingLedger {
            await settings.measure("sqlite: single movement") { random in
                let line = draw.movement(&random)
                return await server.recordMovement(storeID: line.store, productID: line.product, kind: line.kind)
            }
        }
        let rawRead = await settings.measure("sqlite raw sql: point stock read") { random in
            let (store, product) = draw.storeAndProduct(&random)
            do {
                try await raw.readStockLevel(storeID: store, productID: product)
                return .done
            } catch {
                return .failed
            }
        }
        let httpRead = await settings.measure("sqlite: point stock read") { random in
            let (store, product) = draw.storeAndProduct(&random)
            return await server.readStockLevel(storeID: store, productID: product)
        }
        return [rawWrite, httpWrite.against(rawWrite), rawRead, httpRead.against(rawRead)]
    }

    private func checkingLedger(_ body: () async -> Measurement) async throws -> Measurement {
        let before = try await raw.counts()
        let measurement = await body()
        let after = try await raw.counts()
        try LedgerCount(measurement: measurement, units: 1, stored: after.movements - before.movements).check()
        guard after.negative == 0 else {
            throw BenchFailure(reason: "\(measurement.workload): \(after.negative) stock levels below zero")
        }
        return measurement
    }
}
