import Foundation
import InventoryCore
import Testing

/// Low-stock alerts every backend must keep: raised when on-hand falls to the reorder level,
/// one per (store, product) however often stock moves or consumers run, acknowledged by a person,
/// resolved when stock recovers or the level is cleared, each step an event.
public struct AlertContract<Storage: InventoryStorage>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case alertsFollowTheStock
        case concurrentConsumersRaiseEachAlertOnce
    }

    let storage: Storage
    let time: ManualTime

    public init(storage: Storage, time: ManualTime) {
        self.storage = storage
        self.time = time
    }

    public func run(_ check: Check) async throws {
        switch check {
        case .alertsFollowTheStock: try await alertsFollowTheStock()
        case .concurrentConsumersRaiseEachAlertOnce: try await concurrentConsumersRaiseEachAlertOnce()
        }
    }

    /// Runs the consumer until the alerts of store 1 are `expected` (newest first, as "SKU state"),
    /// or ten seconds pass: on PostgreSQL an event just committed can wait for another database's
    /// open transaction before a reader may pass it.
    func settle(_ expected: [String]) async throws -> [Alert] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while true {
            _ = try await storage.processAlerts(limit: 500)
            let alerts = try await storage.alerts(AlertQuery(scope: .all, page: PageRequest(limit: 500))).items
            if alerts.map({ "\($0.sku) \($0.state.rawValue)" }) == expected || ContinuousClock.now > deadline {
                return alerts
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension AlertContract {
    func alertsFollowTheStock() async throws {
        // Given rice in stock above its reorder level
        try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
        try await storage.createProduct(Fixtures.draft("OIL", unit: .l))
        try await storage.record(Fixtures.command("RICE", .stockIn, "10"))
        try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("RICE")), level: Fixtures.quantity("5"))
        #expect(try await settle([]).isEmpty)

        // When sales take it to the level, an alert is raised once, however often stock moves after
        try await storage.record(Fixtures.command("RICE", .sale, "5"))
        try await storage.record(Fixtures.command("RICE", .sale, "1"))
        var alerts = try await settle(["RICE open"])
        #expect(alerts.map(\.onHand.description) == ["5"] || alerts.map(\.onHand.description) == ["4"])
        #expect(alerts[0].reorderLevel == Fixtures.quantity("5"))
        try await storage.record(Fixtures.command("RICE", .sale, "1"))
        alerts = try await settle(["RICE open"])

        // Then someone acknowledges it; it stays until stock recovers, then it is resolved
        let acknowledged = try await storage.acknowledgeAlert(id: alerts[0].id, by: .test)
        #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy?.name == "test")
        #expect(try await storage.acknowledgeAlert(id: alerts[0].id, by: .test) == acknowledged)
        try await storage.record(Fixtures.command("RICE", .stockIn, "20"))
        alerts = try await settle(["RICE resolved"])
        #expect(alerts[0].resolvedAt != nil)

        // A level set above the on-hand raises one; clearing it resolves it
        try await storage.record(Fixtures.command("OIL", .stockIn, "2"))
        try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("OIL")), level: Fixtures.quantity("3"))
        _ = try await settle(["OIL open", "RICE resolved"])
        try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("OIL")), level: nil)
        _ = try await settle(["OIL resolved", "RICE resolved"])
        await expectError(.alertNotFound(id: 999)) { _ = try await storage.acknowledgeAlert(id: 999, by: .test) }

        // Each step was an event, in order
        let reader = EventContract(storage: storage, time: time)
        var alertEvents: [EventType] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while alertEvents.count < 5 && ContinuousClock.now < deadline {
            alertEvents = try await reader.allEvents().map(\.type).filter { $0.rawValue.hasPrefix("alert.") }
        }
        #expect(
            alertEvents == [
                .alertRaised, .alertAcknowledged, .alertResolved, .alertRaised, .alertResolved,
            ])
        // and nothing more happens on another pass
        #expect(try await storage.processAlerts(limit: 500).raised == 0)
        #expect(try await settle(["OIL resolved", "RICE resolved"]).count == 2)
    }

    func concurrentConsumersRaiseEachAlertOnce() async throws {
        // Given twenty products each at a low level
        let skus = (1...20).map { "P\($0)" }
        for sku in skus {
            try await storage.createProduct(Fixtures.draft(sku))
            try await storage.record(Fixtures.command(sku, .stockIn, "1"))
            try await storage.setReorderLevel(storeID: 1, product: .sku(SKU(sku)), level: Fixtures.quantity("2"))
        }

        // When four consumers run at once, each many passes of a few events
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<30 { _ = try await storage.processAlerts(limit: 7) }
                }
            }
            try await group.waitForAll()
        }

        // Then each product has exactly one open alert
        let alerts = try await settle(skus.reversed().map { "\($0) open" })
        #expect(alerts.count == 20)
        #expect(Set(alerts.map(\.productID)).count == 20)
    }
}
