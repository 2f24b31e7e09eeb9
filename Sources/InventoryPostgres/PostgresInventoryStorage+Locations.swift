import Foundation
import InventoryCore
import PostgresNIO

extension PostgresInventoryStorage {
    // MARK: Cities

    public func createCity(_ draft: CityDraft, by context: ChangeContext) async throws -> City {
        try await transaction { connection in
            let city: City
            let now = self.now
            do {
                city = try await connection.query(
                    "INSERT INTO cities (name, state, created_at) VALUES (\(draft.name), \(draft.state), \(now)) RETURNING *",
                    logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: draft.name)
            }
            try await self.appendAudit(connection, .city(.create, before: nil, after: city), context, now: now)
            return city
        }
    }

    public func city(id: Int64) async throws -> City {
        try await access { try await Self.requireCity($0, id: id, logger: self.logger) }
    }

    public func listCities(_ query: DirectoryQuery) async throws -> Page<City> {
        try await access { connection in
            let conditions = PostgresConditions(page: query.page, includeDeleted: query.includeDeleted)
            let statement: QueryFragment =
                "SELECT * FROM cities \(conditions.whereClause) ORDER BY id LIMIT \(query.page.limit + 1)"
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.city)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateCity(id: Int64, changes: CityChanges, by context: ChangeContext) async throws -> City {
        try await transaction { connection in
            let current = try await Self.requireCity(connection, id: id, logger: self.logger)
            let changed = changes.applied(to: current)
            let city: City
            do {
                city = try await connection.query(
                    "UPDATE cities SET name = \(changed.name), state = \(changed.state) WHERE id = \(id) RETURNING *",
                    logger: self.logger
                ).collectRows(Self.city)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "cities_live_name" {
                throw InventoryError.duplicateCity(name: changed.name)
            }
            try await self.appendAudit(connection, .city(.update, before: current, after: city), context, now: self.now)
            return city
        }
    }

    public func deleteCity(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            let now = self.now
            let city = try await Self.requireCity(connection, id: id, logger: self.logger)
            try await connection.query("UPDATE cities SET deleted_at = \(now) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .city(.delete, before: city, after: nil), context, now: now)
        }
    }

    // MARK: Stores

    public func createStore(_ draft: StoreDraft, by context: ChangeContext) async throws -> Store {
        try await transaction { connection in
            if let cityID = draft.cityID { _ = try await Self.requireCity(connection, id: cityID, logger: self.logger) }
            let now = self.now
            let store: Store
            do {
                store = try await connection.query(
                    """
                    INSERT INTO stores (code, name, city_id, address, active, created_at)
                    VALUES (\(draft.code), \(draft.name), \(draft.cityID), \(draft.address), \(draft.active), \(now))
                    RETURNING *
                    """, logger: self.logger
                ).collectRows(Self.store)[0]
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "stores_code_key" {
                throw InventoryError.duplicateStoreCode(draft.code)
            }
            try await self.appendAudit(connection, .store(.create, before: nil, after: store), context, now: now)
            return store
        }
    }

    public func store(id: Int64) async throws -> Store {
        try await access { try await Self.requireStore($0, id: id, logger: self.logger) }
    }

    public func listStores(_ query: StoreQuery) async throws -> Page<Store> {
        try await access { connection in
            var conditions = PostgresConditions(page: query.page, includeDeleted: query.includeDeleted)
            conditions.equal("city_id", query.cityID)
            conditions.equal("active", query.active)
            conditions.stores("id", scope: query.scope, storeID: nil, cityID: nil)
            let statement: QueryFragment =
                "SELECT * FROM stores \(conditions.whereClause) ORDER BY id LIMIT \(query.page.limit + 1)"
            let rows = try await connection.query(statement.query, logger: self.logger).collectRows(Self.store)
            return Page(fetched: rows, request: query.page, sortKey: \.id)
        }
    }

    public func updateStore(id: Int64, changes: StoreChanges, by context: ChangeContext) async throws -> Store {
        try await transaction { connection in
            let current = try await Self.requireStore(connection, id: id, lock: .update, logger: self.logger)
            let changed = changes.applied(to: current)
            if let cityID = changed.cityID, changes.cityID != nil {
                _ = try await Self.requireCity(connection, id: cityID, logger: self.logger)
            }
            let store = try await connection.query(
                """
                UPDATE stores SET name = \(changed.name), city_id = \(changed.cityID), address = \(changed.address),
                    active = \(changed.active)
                WHERE id = \(id) RETURNING *
                """, logger: self.logger
            ).collectRows(Self.store)[0]
            try await self.appendAudit(
                connection, .store(.update, before: current, after: store), context, now: self.now)
            return store
        }
    }

    public func deleteStore(id: Int64, by context: ChangeContext) async throws {
        try await transaction { connection in
            // FOR UPDATE waits for movements in flight, which hold the store FOR SHARE.
            let now = self.now
            let store = try await Self.requireStore(connection, id: id, lock: .update, logger: self.logger)
            let holds = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM stock_levels WHERE store_id = \(id) AND on_hand > 0)", logger: self.logger
            ).collectRows { try $0[0].decode(Bool.self) }[0]
            if holds { throw InventoryError.storeHasStock(storeID: id) }
            try await connection.query("UPDATE stores SET deleted_at = \(now) WHERE id = \(id)", logger: self.logger)
            try await self.appendAudit(connection, .store(.delete, before: store, after: nil), context, now: now)
        }
    }
}
