import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryCore
import InventoryTestBackends
import InventoryTesting
import Logging
import Testing

@testable import InventoryServer

@Suite struct EventAPITests {
    /// One event of `GET /v1/events` as JSON.
    struct EventPage: Decodable {
        struct Item: Decodable {
            var id: String
            var type: String
            var storeID: Int64?

            enum CodingKeys: String, CodingKey {
                case id, type
                case storeID = "store_id"
            }
        }
        var events: [Item]
        var next: String
    }

    /// Pages of the log after `after` as `credential`, followed to the end, once at least `count`
    /// are readable (on PostgreSQL a fresh commit can wait for another test's open transaction).
    static func page(
        _ client: any TestClientProtocol, _ query: String = "", as credential: Credential = .admin, count: Int
    ) async throws -> [EventPage.Item] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while true {
            var items: [EventPage.Item] = []
            var cursor = "0-0"
            while true {
                let response = try await client.send(.get, "/v1/events?after=\(cursor)&limit=3\(query)", as: credential)
                #expect(response.status == .ok)
                let page = try response.decode(EventPage.self)
                items += page.events
                if page.next == cursor { break }
                cursor = page.next
            }
            if items.count >= count || ContinuousClock.now > deadline { return items }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func clerkKey(_ client: any TestClientProtocol, role: String = "clerk", stores: String = "[1]")
        async throws -> Credential
    {
        let created = try await client.send(
            .post, "/v1/api-keys", json: #"{"name":"\#(role)","role":"\#(role)","store_ids":\#(stores)}"#)
        return .bearer(try #require(try created.decode(APIKeyWire.self).key))
    }

    @Test(arguments: TestBackend.allCases)
    func theLogPagesByCursorWithinTheCallersScope(backend: TestBackend) async throws {
        try await withAPI(backend) { client, _ in
            // Given a second store, a product stocked at both, and a clerk at store 1
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            try await client.createProduct("RICE")
            for store in [1, 2] {
                let response = try await client.send(
                    .post, "/v1/stores/\(store)/movements", json: #"{"sku":"RICE","kind":"stock_in","quantity":"5"}"#)
                #expect(response.status == .created)
            }
            let clerk = try await Self.clerkKey(client)

            // When the admin and the clerk page through the log
            let all = try await Self.page(client, count: 8)
            let mine = try await Self.page(client, as: clerk, count: 3)

            // Then the admin sees every change in order, the clerk only store 1's and the catalog's
            #expect(
                all.map(\.type) == [
                    "api_key.created", "store.created", "product.created", "movement.recorded", "stock.changed",
                    "movement.recorded",
                    "stock.changed", "api_key.created",
                ])
            #expect(mine.map(\.type) == ["product.created", "movement.recorded", "stock.changed"])
            #expect(mine.allSatisfy { $0.storeID == nil || $0.storeID == 1 })
            // Filters narrow it; a store that is not theirs is refused; a cursor that is not one is a 400
            let stock = try await Self.page(client, "&types=stock.changed&store_id=2", count: 1)
            #expect(stock.map(\.storeID) == [2])
            #expect(try await client.send(.get, "/v1/events?store_id=2", as: clerk).status == .forbidden)
            #expect(try await client.send(.get, "/v1/events?after=nope").status == .badRequest)
            #expect(try await client.send(.get, "/v1/events?types=stock.exploded").status == .badRequest)
        }
    }

    /// A cursor into what retention pruned is told so, on a page and on a stream, instead of skipping.
    @Test(arguments: TestBackend.allCases)
    func aCursorIntoPrunedEventsIsGone(backend: TestBackend) async throws {
        let time = ManualTime()
        try await withAPI(backend, time: time) { client, storage in
            // Given two products created 40 days ago and one today, and the old events pruned
            try await client.createProduct("OLD1")
            try await client.createProduct("OLD2")
            let old = try await Self.page(client, count: 3)
            time.advance(by: .seconds(40 * 86_400))
            try await client.createProduct("NEW")
            _ = try await Self.page(client, count: 4)
            #expect(try await storage.pruneEvents(recordedBefore: time.now.addingTimeInterval(-30 * 86_400)) == 3)

            // Then a cursor between the pruned events is 410, as a page and as a stream
            let page = try await client.send(.get, "/v1/events?after=\(old[0].id)")
            #expect(page.status == .gone)
            #expect(try page.problem().type.hasSuffix("events-pruned"))
            let stream = try await client.send(
                .get, "/v1/events", headers: ["Accept": "text/event-stream", "Last-Event-ID": old[1].id])
            #expect(stream.status == .gone)
            // and a read from the start returns what is kept
            #expect(try await Self.page(client, count: 1).map(\.type) == ["product.created"])
        }
    }

    /// A stream's slot is given back even when its response is dropped before its body runs.
    @Test func aStreamSlotIsFreedEvenWhenItsBodyNeverRuns() async throws {
        try await TestBackend.sqlite.withStorage { storage in
            let hub = EventHub(
                reader: storage, configuration: .init(streamsPerPrincipalMax: 1), logger: Logger(label: "test"))
            var slot: EventController.StreamSlot? = try await EventController.StreamSlot(hub: hub, key: "admin")
            await #expect(throws: InventoryError.rateLimited(retryAfterSeconds: 5)) {
                try await EventController.StreamSlot(hub: hub, key: "admin")
            }
            _ = slot
            slot = nil  // dropped without its body ever running
            var again: EventController.StreamSlot?
            for _ in 0..<100 where again == nil {
                again = try? await EventController.StreamSlot(hub: hub, key: "admin")
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(again != nil)
            // A released slot is given back once, however often it is released
            await again?.release()
            await again?.release()
            let first = try await EventController.StreamSlot(hub: hub, key: "admin")
            await #expect(throws: InventoryError.rateLimited(retryAfterSeconds: 5)) {
                try await EventController.StreamSlot(hub: hub, key: "admin")
            }
            await first.release()
        }
    }

    /// A client that stops reading is dropped once a write has waited `stalledWriteTimeout`: its
    /// stream slot is free again (one per caller here), instead of held for as long as the socket lives.
    @Test func aStalledReaderIsDropped() async throws {
        let events = EventHub.Configuration(
            pollInterval: .milliseconds(50), streamsPerPrincipalMax: 1, stalledWriteTimeout: .seconds(1))
        try await withAPI(.sqlite, .live, events: events) { client, _ in
            let port = try #require(client.port)
            try await client.createProduct("RICE")
            // Given a stream whose client reads nothing, through a small receive window
            let stalled = try TCPSocket(port: port, receiveBufferBytes: 4096)
            defer { withExtendedLifetime(stalled) {} }
            try stalled.send(
                "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: \(Credential.admin.header)\r\n\r\n")
            let streamAsAdmin = { () async throws -> HTTPResponse.Status in
                let probe = try await RawConnection.open(port: port)
                defer { Task { await probe.close() } }
                try await probe.send(
                    "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        + "Authorization: \(Credential.admin.header)\r\n\r\n")
                let head = try await probe.received(within: .seconds(10)) { $0.contains("\r\n\r\n") }
                return head.hasPrefix("HTTP/1.1 200")
                    ? .ok : head.hasPrefix("HTTP/1.1 429") ? .tooManyRequests : .badRequest
            }
            var held = HTTPResponse.Status.ok
            for _ in 0..<100 where held != .tooManyRequests {
                held = try await streamAsAdmin()
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(held == .tooManyRequests, "the stalled stream holds the caller's one slot")

            // When far more events are written than the socket buffers hold
            let batch =
                "{\"movements\":["
                + Array(repeating: #"{"sku":"RICE","kind":"stock_in","quantity":"1"}"#, count: 500)
                .joined(separator: ",") + "]}"
            for _ in 0..<20 {
                #expect(try await client.send(.post, "/v1/stores/1/movements", json: batch).status == .created)
            }

            // Then the stalled stream is dropped and the slot serves a new stream
            var status = HTTPResponse.Status.tooManyRequests
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while status != .ok && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                status = try await streamAsAdmin()
            }
            #expect(status == .ok)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func aStreamDeliversEachEventOnceAndResumesAfterLastEventID(backend: TestBackend) async throws {
        try await withAPI(backend, .live) { client, _ in
            let port = try #require(client.port)
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            try await client.createProduct("DAL")
            let clerk = try await Self.clerkKey(client)
            let request = { (credential: Credential, extra: String) in
                "GET /v1/events?types=movement.recorded,stock.changed HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n"
                    + "Authorization: \(credential.header)\r\n\(extra)\r\n"
            }
            // Given an admin's and a clerk's stream, both open
            let admin = try await RawConnection.open(port: port)
            try await admin.send(request(.admin, ""))
            let store1 = try await RawConnection.open(port: port)
            try await store1.send(request(clerk, ""))
            for stream in [admin, store1] {
                let opened = try await stream.received(within: .seconds(10)) { $0.contains(": stream open") }
                #expect(opened.contains("text/event-stream"))
            }

            // When ten movements are recorded at each store
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? 1 : 2
                let response = try await client.send(
                    .post, "/v1/stores/\(store)/movements", json: #"{"sku":"DAL","kind":"stock_in","quantity":"1"}"#)
                #expect(response.status == .created)
            }

            // Then the admin's stream carries all twenty, each once, in order; the clerk's only store 1's
            let everything = Self.frames(
                try await admin.received(within: .seconds(20)) { Self.frames($0).count >= 40 })
            #expect(everything.filter { $0.type == "movement.recorded" }.count == 20)
            #expect(everything.count == 40)
            #expect(Set(everything.map(\.id)).count == everything.count)
            let clerkFrames = Self.frames(
                try await store1.received(within: .seconds(20)) { Self.frames($0).count >= 20 })
            #expect(clerkFrames.count == 20)
            #expect(clerkFrames.allSatisfy { $0.data.contains(#""store_id":1,"#) })
            #expect(clerkFrames.map(\.id) == everything.filter { $0.data.contains(#""store_id":1,"#) }.map(\.id))

            // And a client that dropped after the 15th event resumes exactly after it
            await admin.close()
            try #require(everything.count == 40)
            let resumed = try await RawConnection.open(port: port)
            try await resumed.send(request(.admin, "Last-Event-ID: \(everything[14].id)\r\n"))
            let rest = Self.frames(try await resumed.received(within: .seconds(20)) { Self.frames($0).count >= 25 })
            #expect(rest.map(\.id) == everything[15...].map(\.id))
            await resumed.close()
            await store1.close()
        }
    }

    struct Frame: Equatable {
        var id: String
        var type: String
        var data: String
    }

    /// The events of a Server-Sent Events body (comments and the HTTP head left out).
    static func frames(_ text: String) -> [Frame] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { continue }
                let name = String(line[..<colon])
                var value = line[line.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
                fields[name] = String(value)
            }
            guard let id = fields["id"], let type = fields["event"], let data = fields["data"] else { return nil }
            return Frame(id: id, type: type, data: data)
        }
    }
}

@Suite struct AlertAPITests {
    struct AlertPage: Decodable {
        var items: [AlertWire]
    }

    @Test(arguments: TestBackend.allCases)
    func aLowStockAlertIsRaisedAcknowledgedAndResolvedOverHTTP(backend: TestBackend) async throws {
        try await withAPI(backend, .live) { client, _ in
            // Given rice at store 1 and store 2, a manager and a clerk at store 1
            #expect(
                try await client.send(.post, "/v1/stores", json: #"{"code":"S2","name":"Second"}"#).status == .created)
            try await client.createProduct("RICE")
            let manager = try await EventAPITests.clerkKey(client, role: "manager")
            let clerk = try await EventAPITests.clerkKey(client)
            for store in [1, 2] {
                let stocked = try await client.send(
                    .post, "/v1/stores/\(store)/movements", json: #"{"sku":"RICE","kind":"stock_in","quantity":"3"}"#)
                #expect(stocked.status == .created)
                let level = try await client.send(
                    .put, "/v1/stores/\(store)/stock/RICE/reorder-level", json: #"{"reorder_level":"5"}"#)
                #expect(level.status == .ok)
            }

            // When the consumer running in the server sees both stores low
            let open = try await Self.alerts(client, "?state=open", count: 2)
            #expect(open.map(\.storeID).sorted() == [1, 2])
            // Then the clerk sees store 1's only; the manager acknowledges it, the clerk may not
            let mine = try await Self.alerts(client, "", as: clerk, count: 1)
            #expect(mine.map(\.storeID) == [1])
            let id = mine[0].id
            #expect(try await client.send(.post, "/v1/alerts/\(id)/acknowledge", as: clerk).status == .forbidden)
            let other = try #require(open.first { $0.storeID == 2 })
            #expect(try await client.send(.post, "/v1/alerts/\(other.id)/acknowledge", as: manager).status == .notFound)
            let acknowledged = try await client.send(.post, "/v1/alerts/\(id)/acknowledge", as: manager)
            #expect(acknowledged.status == .ok)
            #expect(try acknowledged.decode(AlertWire.self).state == "acknowledged")

            // And stock arriving resolves it
            let restocked = try await client.send(
                .post, "/v1/stores/1/movements", json: #"{"sku":"RICE","kind":"stock_in","quantity":"10"}"#)
            #expect(restocked.status == .created)
            let resolved = try await Self.alerts(client, "?state=resolved", count: 1)
            #expect(resolved.map(\.id) == [id])
            #expect(try await client.send(.get, "/v1/alerts?state=lost").status == .badRequest)
        }
    }

    /// The alerts `query` lists, once there are `count` (the consumer runs in the background).
    static func alerts(
        _ client: any TestClientProtocol, _ query: String, as credential: Credential = .admin, count: Int
    ) async throws -> [AlertWire] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(15))
        while true {
            let page = try await client.send(.get, "/v1/alerts\(query)", as: credential).decode(AlertPage.self)
            if page.items.count >= count || ContinuousClock.now > deadline { return page.items }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
