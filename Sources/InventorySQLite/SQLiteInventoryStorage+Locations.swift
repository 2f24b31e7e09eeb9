import Foundation
import GRDB
import InventoryCore

extension SQLiteInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City {
        try await write { db, now in
            try Self.checkCityUnique(db, name: draft.name, state: draft.state, exceptID: 0)
            let row = try Row.fetchOne(
                db,
                literal: """
                    INSERT INTO cities (name, state, created_at) VALUES (\(draft.name), \(draft.state), \(now.unixMilliseconds))
                    RETURNING *
                    """)!
            let city = Self.city(row)
            try Self.appendAudit(db, .city(.create, before: nil, after: city), context, now: now)
            return city
        }
    }

    public func city(id: Int64) async throws -> City {
        try await read { db in try Self.requireCity(db, id: id) }
    }

    public func listCities(_ query: DirectoryQuery) async throws -> Page<City> {
        try await read { db in
            let conditions = SQLiteConditions(page: query.page, includeDeleted: query.includeDeleted)
            let rows = try Row.fetchAll(
                db, literal: "SELECT * FROM cities WHERE \(conditions.sql) ORDER BY id LIMIT \(query.page.limit + 1)")
            return Page(fetched: rows.map(Self.city), request: query.page, sortKey: \.id)
        }
    }

    public func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City {
        try await write { db, now in
            let current = try Self.requireCity(db, id: id)
            let changed = changes.applied(to: current)
            try Self.checkCityUnique(db, name: changed.name, state: changed.state, exceptID: id)
            let row = try Row.fetchOne(
                db,
                literal:
                    "UPDATE cities SET name = \(changed.name), state = \(changed.state) WHERE id = \(id) RETURNING *")!
            let city = Self.city(row)
            try Self.appendAudit(db, .city(.update, before: current, after: city), context, now: now)
            return city
        }
    }

    public func deleteCity(id: Int64, by context: ChangeContext) async throws {
        try await write { db, now in
            let city = try Self.requireCity(db, id: id)
            try db.execute(literal: "UPDATE cities SET deleted_at = \(now.unixMilliseconds) WHERE id = \(id)")
            try Self.appendAudit(db, .city(.delete, before: city, after: nil), context, now: now)
        }
    }

    private static func checkCityUnique(_ db: Database, name: String, state: String?, exceptID: Int64) throws {
        let taken = try Bool.fetchOne(
            db,
            literal: """
                SELECT EXISTS (SELECT 1 FROM cities WHERE name = \(name) AND COALESCE(state, '') = COALESCE(\(state), '')
                    AND deleted_at IS NULL AND id <> \(exceptID))
                """)
        if taken == true { throw InventoryError.duplicateCity(name: name) }
    }

    // MARK: Stores

    public func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store {
        try await write { db, now in
            if let cityID = draft.cityID { _ = try Self.requireCity(db, id: cityID) }
            if try Bool.fetchOne(db, literal: "SELECT EXISTS (SELECT 1 FROM stores WHERE code = \(draft.code))") == true
            {
                throw InventoryError.duplicateStoreCode(draft.code)
            }
            let row = try Row.fetchOne(
                db,
                literal: """
                    INSERT INTO stores (code, name, city_id, address, active, created_at)
                    VALUES (\(draft.code), \(draft.name), \(draft.cityID), \(draft.address), \(draft.active),
                        \(now.unixMilliseconds))
                    RETURNING *
                    """)!
            let store = Self.store(row)
            try Self.appendAudit(db, .store(.create, before: nil, after: store), context, now: now)
            return store
        }
    }

    public func store(id: Int64) async throws -> Store {
        try await read { db in try Self.requireStore(db, id: id) }
    }

    public func listStores(_ query: StoreQuery) async throws -> Page<Store> {
        try await read { db in
            var conditions = SQLiteConditions(page: query.page, includeDeleted: query.includeDeleted)
            conditions.stores("id", scope: query.scope, storeID: nil, cityID: nil)
            conditions.equal("city_id", query.cityID)
            conditions.equal("active", query.active)
            let rows = try Row.fetchAll(
                db, literal: "SELECT * FROM stores WHERE \(conditions.sql) ORDER BY id LIMIT \(query.page.limit + 1)")
            return Page(fetched: rows.map(Self.store), request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store {
        try await write { db, now in
            let current = try Self.requireStore(db, id: id)
            let changed = changes.applied(to: current)
            if let cityID = changed.cityID, changes.cityID != nil { _ = try Self.requireCity(db, id: cityID) }
            let row = try Row.fetchOne(
                db,
                literal: """
                    UPDATE stores SET name = \(changed.name), city_id = \(changed.cityID), address = \(changed.address),
                        active = \(changed.active)
                    WHERE id = \(id) RETURNING *
                    """)!
            let store = Self.store(row)
            try Self.appendAudit(db, .store(.update, before: current, after: store), context, now: now)
            return store
        }
    }

    public func deleteStore(id: Int64, by context: ChangeContext) async throws {
        try await write { db, now in
            let store = try Self.requireStore(db, id: id)
            if try Bool.fetchOne(
                db, literal: "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = \(id) AND on_hand > 0)")
                == true
            {
                throw InventoryError.storeHasStock(storeID: id)
            }
            try db.execute(literal: "UPDATE stores SET deleted_at = \(now.unixMilliseconds) WHERE id = \(id)")
            try Self.appendAudit(db, .store(.delete, before: store, after: nil), context, now: now)
        }
    }
}
