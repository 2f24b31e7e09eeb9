import Foundation
import GRDB
import InventoryCore

/// The numbered, forward-only migrations of the embedded database.
///
/// The database carries the invariants itself: on-hand and balances never below zero, unique
/// live SKUs and barcodes, foreign keys, movements that can be neither edited nor deleted, and
/// a trigger that refuses any movement whose `balance_after` does not continue its chain.
/// Quantities are integer thousandths, money integer paise, times integer Unix milliseconds.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001_stock_ledger") { db in
            try db.execute(sql: initialSchema)
            try db.execute(
                literal:
                    "INSERT INTO stores (id, code, name, created_at) VALUES (1, 'MAIN', 'Main store', \(Date().unixMilliseconds))"
            )
        }
        migrator.registerMigration("0002_locations_and_suppliers") { db in
            try db.execute(sql: locationsAndSuppliers)
        }
        migrator.registerMigration("0003_transfers") { db in
            try db.execute(sql: transfers)
        }
        migrator.registerMigration("0004_report_indexes") { db in
            try db.execute(sql: reportIndexes)
        }
        migrator.registerMigration("0005_access_and_audit") { db in
            try db.execute(sql: accessAndAudit)
        }
        migrator.registerMigration("0006_event_log") { db in
            try db.execute(sql: eventLog)
        }
        migrator.registerMigration("0007_alerts") { db in
            try db.execute(sql: alerts)
        }
        migrator.registerMigration("0008_webhooks") { db in
            try db.execute(sql: webhooks)
        }
        return migrator
    }

    /// Webhook endpoints (event types as comma-separated names) and the queue of deliveries to
    /// them, each with the body it is sent as. The fan-out's cursor lives in `event_consumers`;
    /// one writer at a time, so a claim in a write transaction is never made twice.
    static let webhooks = """
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            event_types TEXT NOT NULL,
            store_id INTEGER REFERENCES stores (id),
            secret TEXT NOT NULL,
            enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            disabled_reason TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            last_attempt_at INTEGER,
            last_status INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            scheduled_from INTEGER NOT NULL,
            delivered_at INTEGER,
            UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX webhook_deliveries_listing ON webhook_deliveries (webhook_id, id);
        INSERT INTO event_consumers (name, id) VALUES ('webhooks', 0);
        """

    /// Users, API keys, refresh tokens, who recorded each movement, and the append-only audit log
    /// with its hash chains (one head row per chain).
    /// The event log: every change appends its events in its own transaction. One writer at a time
    /// commits in id order, so the id alone is a gap-free cursor; AUTOINCREMENT never hands out an
    /// id twice, even after pruning. Pruning records how far it went.
    static let eventLog = """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            store_id INTEGER,
            audience TEXT NOT NULL CHECK (audience IN ('readers', 'administrators')),
            recorded_at INTEGER NOT NULL,
            payload TEXT NOT NULL
        );
        CREATE INDEX events_recorded ON events (recorded_at);
        CREATE TABLE event_log_state (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            pruned_id INTEGER NOT NULL
        );
        INSERT INTO event_log_state (singleton, pruned_id) VALUES (1, 0);
        """

    /// Low-stock alerts, raised and resolved by a consumer of the event log whose cursor moves in
    /// the same transaction as the alerts it wrote. At most one alert per (store, product) is not resolved.
    static let alerts = """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            store_id INTEGER NOT NULL REFERENCES stores (id),
            product_id INTEGER NOT NULL REFERENCES products (id),
            state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
            reorder_level INTEGER NOT NULL,
            on_hand INTEGER NOT NULL,
            raised_at INTEGER NOT NULL,
            acknowledged_at INTEGER,
            acknowledged_by_kind TEXT,
            acknowledged_by_id INTEGER,
            acknowledged_by_name TEXT,
            resolved_at INTEGER
        );
        CREATE UNIQUE INDEX alerts_unresolved ON alerts (store_id, product_id) WHERE state <> 'resolved';
        CREATE INDEX alerts_store ON alerts (store_id, id);
        CREATE TABLE event_consumers (name TEXT PRIMARY KEY, id INTEGER NOT NULL);
        INSERT INTO event_consumers (name, id) VALUES ('alerts', 0);
        """

    static let accessAndAudit = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'clerk', 'auditor')),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE user_stores (
            user_id INTEGER NOT NULL REFERENCES users (id),
            store_id INTEGER NOT NULL REFERENCES stores (id),
            PRIMARY KEY (user_id, store_id)
        ) WITHOUT ROWID;
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'clerk', 'auditor')),
            prefix TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE TABLE api_key_stores (
            api_key_id INTEGER NOT NULL REFERENCES api_keys (id),
            store_id INTEGER NOT NULL REFERENCES stores (id),
            PRIMARY KEY (api_key_id, store_id)
        ) WITHOUT ROWID;
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            family_id TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users (id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            spent_at INTEGER,
            revoked_at INTEGER
        );
        CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
        CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

        ALTER TABLE movements ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system';
        ALTER TABLE movements ADD COLUMN actor_id INTEGER;
        ALTER TABLE movements ADD COLUMN actor_name TEXT NOT NULL DEFAULT 'system';

        CREATE TABLE audit_chains (
            chain INTEGER PRIMARY KEY,
            sequence INTEGER NOT NULL CHECK (sequence >= 0),
            hash TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            chain INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_id INTEGER,
            actor_name TEXT NOT NULL,
            role TEXT,
            action TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            request_id TEXT,
            client_address TEXT,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_chain ON audit_log (chain, sequence);
        CREATE INDEX audit_log_recorded ON audit_log (recorded_at);
        CREATE INDEX audit_log_actor ON audit_log (actor_name, id);
        CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        """

    /// Reports filter movements by time with or without a store, and find low stock without a scan.
    static let reportIndexes = """
        CREATE INDEX movements_occurred ON movements (occurred_at);
        CREATE INDEX stock_levels_low ON stock_levels (store_id, product_id)
            WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level;
        """

    static let transfers = """
        CREATE TABLE transfers (
            id INTEGER PRIMARY KEY,
            from_store_id INTEGER NOT NULL REFERENCES stores (id),
            to_store_id INTEGER NOT NULL REFERENCES stores (id),
            note TEXT,
            idempotency_key TEXT UNIQUE REFERENCES idempotency_keys (key),
            created_at INTEGER NOT NULL,
            CHECK (from_store_id <> to_store_id)
        );
        CREATE INDEX transfers_from ON transfers (from_store_id, id);
        CREATE INDEX transfers_to ON transfers (to_store_id, id);
        ALTER TABLE movements ADD COLUMN transfer_id INTEGER REFERENCES transfers (id);
        CREATE INDEX movements_transfer ON movements (transfer_id) WHERE transfer_id IS NOT NULL;
        """

    static let locationsAndSuppliers = """
        CREATE TABLE cities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            state TEXT CHECK (state IS NULL OR length(state) BETWEEN 1 AND 200),
            created_at INTEGER NOT NULL,
            deleted_at INTEGER
        );
        CREATE UNIQUE INDEX cities_live_name ON cities (name, COALESCE(state, '')) WHERE deleted_at IS NULL;

        ALTER TABLE stores ADD COLUMN city_id INTEGER REFERENCES cities (id);
        ALTER TABLE stores ADD COLUMN address TEXT CHECK (address IS NULL OR length(address) <= 300);
        ALTER TABLE stores ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
        ALTER TABLE stores ADD COLUMN deleted_at INTEGER;
        CREATE INDEX stores_city ON stores (city_id);

        ALTER TABLE suppliers ADD COLUMN contact TEXT CHECK (contact IS NULL OR length(contact) <= 200);
        ALTER TABLE suppliers ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
        ALTER TABLE suppliers ADD COLUMN deleted_at INTEGER;

        CREATE TABLE product_suppliers (
            product_id INTEGER NOT NULL REFERENCES products (id),
            supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
            supplier_sku TEXT CHECK (supplier_sku IS NULL OR length(supplier_sku) <= 64),
            cost_price INTEGER CHECK (cost_price IS NULL OR cost_price >= 0),
            lead_time_days INTEGER CHECK (lead_time_days IS NULL OR lead_time_days BETWEEN 0 AND 365),
            preferred INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
            PRIMARY KEY (product_id, supplier_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX product_suppliers_one_preferred ON product_suppliers (product_id) WHERE preferred = 1;
        CREATE INDEX product_suppliers_supplier ON product_suppliers (supplier_id, product_id);
        """

    /// Refuses a movement whose balance_after is not the current on-hand plus its delta.
    static let chainTrigger = """
        CREATE TRIGGER movements_continue_chain BEFORE INSERT ON movements
        WHEN NEW.balance_after <> COALESCE(
            (SELECT on_hand FROM stock_levels WHERE store_id = NEW.store_id AND product_id = NEW.product_id), 0
        ) + NEW.delta
        BEGIN
            SELECT RAISE(ABORT, 'movement does not continue the balance chain');
        END;
        """

    static let initialSchema = """
        CREATE TABLE stores (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            created_at INTEGER NOT NULL
        );

        CREATE TABLE suppliers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            phone TEXT CHECK (phone IS NULL OR length(phone) <= 32),
            created_at INTEGER NOT NULL
        );

        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64 AND sku = upper(sku)),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            unit TEXT NOT NULL CHECK (unit IN ('piece', 'pack', 'kg', 'g', 'l', 'ml')),
            barcode TEXT CHECK (barcode IS NULL OR length(barcode) BETWEEN 1 AND 48),
            sale_price INTEGER CHECK (sale_price IS NULL OR sale_price >= 0),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        );
        CREATE UNIQUE INDEX products_live_sku ON products (sku) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX products_live_barcode ON products (barcode)
            WHERE deleted_at IS NULL AND barcode IS NOT NULL;

        CREATE TABLE stock_levels (
            store_id INTEGER NOT NULL REFERENCES stores (id),
            product_id INTEGER NOT NULL REFERENCES products (id),
            on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
            reorder_level INTEGER CHECK (reorder_level IS NULL OR reorder_level >= 0),
            PRIMARY KEY (store_id, product_id)
        ) WITHOUT ROWID;

        CREATE TABLE idempotency_keys (
            key TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            store_id INTEGER NOT NULL REFERENCES stores (id),
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE movements (
            id INTEGER PRIMARY KEY,
            store_id INTEGER NOT NULL REFERENCES stores (id),
            product_id INTEGER NOT NULL REFERENCES products (id),
            kind TEXT NOT NULL CHECK (kind IN ('stock_in', 'sale', 'removal', 'adjustment', 'count', 'transfer_out', 'transfer_in')),
            delta INTEGER NOT NULL,
            balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
            reason TEXT,
            supplier_id INTEGER REFERENCES suppliers (id),
            unit_cost INTEGER CHECK (unit_cost IS NULL OR unit_cost >= 0),
            unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
            note TEXT,
            occurred_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            idempotency_key TEXT REFERENCES idempotency_keys (key),
            CHECK (kind = 'count' OR delta <> 0),
            CHECK (kind NOT IN ('removal', 'adjustment') OR reason IS NOT NULL)
        );
        CREATE INDEX movements_chain ON movements (store_id, product_id, id);
        CREATE INDEX movements_store_occurred ON movements (store_id, occurred_at);
        CREATE INDEX movements_product ON movements (product_id, id);
        CREATE INDEX movements_idempotency_key ON movements (idempotency_key) WHERE idempotency_key IS NOT NULL;

        \(chainTrigger)
        CREATE TRIGGER movements_append_only_update BEFORE UPDATE ON movements
        BEGIN
            SELECT RAISE(ABORT, 'movements are append-only');
        END;
        CREATE TRIGGER movements_append_only_delete BEFORE DELETE ON movements
        BEGIN
            SELECT RAISE(ABORT, 'movements are append-only');
        END;
        """
}
