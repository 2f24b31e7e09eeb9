import Foundation
import InventoryCore
import Testing

/// The event log every backend must keep: each change appends its events in its own transaction,
/// a refused change appends none, readers see only what they may, pages resume exactly after their
/// cursor, concurrent writers lose and repeat nothing, and a pruned cursor is told so.
public struct EventContract<Storage: InventoryStorage>: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, ContractCheck {
        case everyChangePublishesItsEvents
        case aRefusedChangePublishesNothing
        case readersSeeOnlyWhatTheyMay
        case pagesResumeExactlyAfterTheirCursor
        case concurrentWritersPublishEveryEventOnce
        case pruningTellsAnOldCursor
    }

    let storage: Storage
    /// The time the storage records with, which a check moves forward instead of sleeping.
    let time: ManualTime

    public init(storage: Storage, time: ManualTime) {
        self.storage = storage
        self.time = time
    }

    public func run(_ check: Check) async throws {
        switch check {
        case .everyChangePublishesItsEvents: try await everyChangePublishesItsEvents()
        case .aRefusedChangePublishesNothing: try await aRefusedChangePublishesNothing()
        case .readersSeeOnlyWhatTheyMay: try await readersSeeOnlyWhatTheyMay()
        case .pagesResumeExactlyAfterTheirCursor: try await pagesResumeExactlyAfterTheirCursor()
        case .concurrentWritersPublishEveryEventOnce: try await concurrentWritersPublishEveryEventOnce()
        case .pruningTellsAnOldCursor: try await pruningTellsAnOldCursor()
        }
    }

    /// Every event after `position` an administrator may read, following pages to the end, once at
    /// least `count` are readable. On PostgreSQL a read stops below the oldest transaction still
    /// running anywhere in the cluster, so an event just committed can wait for another database's
    /// transaction (the tests share one cluster); the read tries again for up to ten seconds.
    public func allEvents(after position: EventPosition = .start, limit: Int = 100, count: Int = 1) async throws
        -> [Event]
    {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while true {
            var events: [Event] = []
            var cursor = position
            while true {
                let batch = try await storage.events(
                    EventQuery(after: cursor, scope: .all, administrator: true, limit: limit))
                events += batch.events
                if batch.reachedPosition == cursor { break }
                cursor = batch.reachedPosition
            }
            if events.count >= count || clock.now > deadline { return events }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func object(_ payload: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
    }
}

extension EventContract {
    func everyChangePublishesItsEvents() async throws {
        // Given a catalog, a second store and a supplier
        let rice = try await storage.createProduct(Fixtures.draft("RICE", unit: .kg))
        try await storage.createProduct(Fixtures.draft("OIL", unit: .l))
        let branch = try await storage.createStore(StoreDraft(code: "BR-1", name: "Branch", cityID: nil, address: nil))
        let supplier = try await storage.createSupplier(
            SupplierDraft(name: "Agro", phone: nil))

        // When stock moves in a batch, a reorder level is set, stock is transferred and a user is created
        let recorded = try await storage.recordMovements(
            Fixtures.batch([
                Fixtures.command("RICE", .stockIn, "10", supplierID: supplier.id, unitCost: "40"),
                Fixtures.command("OIL", .stockIn, "5"),
                Fixtures.command("RICE", .sale, "2.5"),
            ]))
        try await storage.setReorderLevel(storeID: 1, product: .sku(SKU("RICE")), level: Fixtures.quantity("3"))
        let transfer = try await storage.transferStock(
            TransferRequest(
                fromStoreID: 1, toStoreID: branch.id,
                lines: [TransferRequest.Line(product: .sku(SKU("RICE")), quantity: Fixtures.quantity("1.5"))],
                note: nil)
        ).transfer
        let user = try await storage.createUser(
            UserDraft(username: "clerk", passwordHash: "x", role: .clerk, storeIDs: [1]), by: .test)

        // Then the log holds each change's events in the order they were made
        let events = try await allEvents(count: 16)
        #expect(
            events.map(\.type.rawValue) == [
                "product.created", "product.created", "store.created", "supplier.created",
                "movement.recorded", "movement.recorded", "movement.recorded", "stock.changed", "stock.changed",
                "reorder_level.set",
                "transfer.recorded", "movement.recorded", "movement.recorded", "stock.changed", "stock.changed",
                "user.created",
            ])
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.position < $1.position })
        #expect(
            events.map(\.storeID) == [nil, nil, branch.id, nil, 1, 1, 1, 1, 1, 1, 1, 1, branch.id, 1, branch.id, nil])
        #expect(events.last?.audience == .administrators)
        #expect(events.dropLast().allSatisfy { $0.audience == .readers })

        // Each payload is the resource: a movement with its id and balance, a stock level with its on-hand
        let product = try Self.object(events[0].payload)
        #expect(product["id"] as? Int == Int(rice.id) && product["sku"] as? String == "RICE")
        let movements = try events[4...6].map { try Self.object($0.payload) }
        #expect(movements.map { $0["id"] as? Int } == recorded.movements.map { Int($0.id) })
        #expect(movements.map { $0["balance_after"] as? String } == ["10", "5", "7.5"])
        #expect(
            movements[0]["supplier_id"] as? Int == Int(supplier.id) && movements[0]["unit_cost"] as? String == "40.00")
        let stock = try events[7...8].map { try Self.object($0.payload) }
        #expect(stock.map { $0["sku"] as? String } == ["RICE", "OIL"])
        #expect(stock.map { $0["on_hand"] as? String } == ["7.5", "5"])
        #expect(try Self.object(events[10].payload)["id"] as? Int == Int(transfer.id))
        #expect(try Self.object(events[13].payload)["on_hand"] as? String == "6")
        #expect(try Self.object(events[14].payload)["on_hand"] as? String == "1.5")
        let created = try Self.object(events[15].payload)
        #expect(created["username"] as? String == "clerk" && created["id"] as? Int == Int(user.id))
        #expect(created["password_hash"] == nil)
    }

    func aRefusedChangePublishesNothing() async throws {
        // Given one product in stock
        try await storage.createProduct(Fixtures.draft("TEA"))
        try await storage.record(Fixtures.command("TEA", .stockIn, "2"))
        let before = try await allEvents(count: 3)
        let head = try await storage.events(EventQuery(after: .start, scope: .all, administrator: true, limit: 1000))
        #expect(head.events == before)

        // When a batch fails on its last line, and a duplicate SKU is refused
        await expectError(
            .insufficientStock(
                sku: "TEA", storeID: 1, requested: Fixtures.quantity("3"), available: Fixtures.quantity("1"))
        ) {
            _ = try await storage.recordMovements(
                Fixtures.batch([Fixtures.command("TEA", .sale, "1"), Fixtures.command("TEA", .sale, "3")]))
        }
        await expectError(.duplicateSKU(try SKU("TEA"))) {
            try await storage.createProduct(Fixtures.draft("TEA"))
        }

        // Then nothing was published, and a read from the head finds nothing new
        let after = try await storage.events(
            EventQuery(after: head.reachedPosition, scope: .all, administrator: true, limit: 1000))
        #expect(after.events.isEmpty)
        #expect(after.reachedPosition == head.reachedPosition)
        #expect(head.events.map(\.type) == [.productCreated, .movementRecorded, .stockChanged])
    }

    func readersSeeOnlyWhatTheyMay() async throws {
        // Given changes at two stores, to the catalog, and to users
        let branch = try await storage.createStore(StoreDraft(code: "BR-1", name: "Branch", cityID: nil, address: nil))
        try await storage.createProduct(Fixtures.draft("SALT"))
        try await storage.record(Fixtures.command("SALT", .stockIn, "4"))
        try await storage.recordMovements(
            MovementBatch(storeID: branch.id, commands: [Fixtures.command("SALT", .stockIn, "9")]))
        try await storage.createUser(
            UserDraft(username: "manager", passwordHash: "x", role: .manager, storeIDs: [branch.id]), by: .test)

        // When a reader scoped to the branch reads everything
        let everything = try await allEvents(count: 7)
        let scoped = try await storage.events(
            EventQuery(after: .start, scope: .stores([branch.id]), administrator: false, limit: 1000))

        // Then they see their store's events and the catalog's, never store 1's or the user's
        #expect(
            scoped.events.map(\.type) == [.storeCreated, .productCreated, .movementRecorded, .stockChanged])
        #expect(scoped.events.allSatisfy { $0.storeID == nil || $0.storeID == branch.id })
        // and their read reaches the head all the same, so they do not read past events again
        #expect(scoped.reachedPosition == everything.last?.position)

        // A store filter leaves out events of no store; a type filter keeps only those types
        let atBranch = try await storage.events(
            EventQuery(after: .start, scope: .all, administrator: true, storeID: branch.id, limit: 1000))
        #expect(atBranch.events.map(\.type) == [.storeCreated, .movementRecorded, .stockChanged])
        let stock = try await storage.events(
            EventQuery(after: .start, scope: .all, administrator: true, types: [.stockChanged], limit: 1000))
        #expect(stock.events.map(\.storeID) == [1, branch.id])
    }

    func pagesResumeExactlyAfterTheirCursor() async throws {
        // Given 13 movements, one at a time
        try await storage.createProduct(Fixtures.draft("DAL"))
        for _ in 0..<13 { try await storage.record(Fixtures.command("DAL", .stockIn, "1")) }

        // When a reader pages through with pages of 4
        let whole = try await allEvents(limit: 1000, count: 27)
        let paged = try await allEvents(limit: 4)

        // Then every event arrives once, in order, as one read of everything returns them
        #expect(paged == whole)
        #expect(whole.count == 1 + 13 * 2)
        #expect(Set(whole.map(\.position)).count == whole.count)
        // and resuming from any event returns exactly those after it
        let middle = whole[10].position
        #expect(try await allEvents(after: middle) == Array(whole[11...]))
    }

    func concurrentWritersPublishEveryEventOnce() async throws {
        // Given products at two stores and a reader following the log while writers run
        let branch = try await storage.createStore(StoreDraft(code: "BR-1", name: "Branch", cityID: nil, address: nil))
        for sku in ["A", "B", "C", "D"] { try await storage.createProduct(Fixtures.draft(sku)) }
        let created = try await allEvents(count: 5)
        let start = EventBatch(events: created, reachedPosition: created.last!.position)
        let writers = 8
        let perWriter = 10
        let follower = Task {
            var seen: [Event] = []
            var cursor = start.reachedPosition
            // Each movement is two events: itself and its stock level.
            while seen.count < writers * perWriter * 2 {
                let batch = try await storage.events(
                    EventQuery(after: cursor, scope: .all, administrator: true, limit: 7))
                seen += batch.events
                cursor = batch.reachedPosition
                if batch.events.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            }
            return seen
        }

        // When eight writers record ten movements each, at two stores and on crossing products
        let acknowledged = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var ids: [Int64] = []
                    for index in 0..<perWriter {
                        let sku = ["A", "B", "C", "D"][(writer + index) % 4]
                        let batch = try MovementBatch(
                            storeID: writer.isMultiple(of: 2) ? 1 : branch.id,
                            commands: [Fixtures.command(sku, .stockIn, "1")])
                        ids += try await storage.recordMovements(batch).movements.map(\.id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        // Then the follower saw each acknowledged movement exactly once, in log order, with its stock level
        let seen = try await follower.value
        let movementIDs = try seen.filter { $0.type == .movementRecorded }.map {
            try #require(Self.object($0.payload)["id"] as? Int)
        }
        #expect(movementIDs.count == writers * perWriter)
        #expect(Set(movementIDs) == Set(acknowledged.map { Int($0) }))
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.position < $1.position })
        #expect(seen.filter { $0.type == .stockChanged }.count == writers * perWriter)
        // and a fresh read of the whole log agrees with what it followed
        #expect(try await allEvents(after: start.reachedPosition, count: seen.count) == seen)
    }

    func pruningTellsAnOldCursor() async throws {
        // Given two events from 40 days ago and one from today
        try await storage.createProduct(Fixtures.draft("OLD1"))
        try await storage.createProduct(Fixtures.draft("OLD2"))
        let old = try await allEvents(count: 2)
        time.advance(by: .seconds(40 * 86_400))
        try await storage.createProduct(Fixtures.draft("NEW"))
        _ = try await allEvents(count: 3)

        // When events older than 30 days are pruned
        let pruned = try await storage.pruneEvents(recordedBefore: time.now.addingTimeInterval(-30 * 86_400))

        // Then only the old ones went, a cursor between them is told so, and a read from the start or
        // from the last pruned event returns what is kept
        #expect(pruned == 2)
        await expectError(.eventsPruned(prunedThrough: old[1].position)) {
            _ = try await storage.events(EventQuery(after: old[0].position, scope: .all, administrator: true))
        }
        let kept = try await allEvents()
        #expect(kept.map(\.type) == [.productCreated])
        #expect(try Self.object(kept[0].payload)["sku"] as? String == "NEW")
        #expect(try await allEvents(after: old[1].position) == kept)
        #expect(try await storage.pruneEvents(recordedBefore: time.now.addingTimeInterval(-30 * 86_400)) == 0)
    }
}
