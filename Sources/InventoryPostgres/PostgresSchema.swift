/// The numbered, forward-only migrations of the PostgreSQL schema, each a list of statements
/// run in one transaction.
///
/// PostgreSQL holds the ledger's invariants itself: CHECK on-hand ≥ 0, unique live SKUs and
/// barcodes, foreign keys, movements that refuse UPDATE and DELETE, and a trigger that applies
/// each inserted movement to its stock level, refusing it unless it continues the balance chain.
/// `on_hand` can change in no other way. Quantities are BIGINT thousandths, money BIGINT paise.
enum PostgresSchema {
    struct Migration {
        var version: Int
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "stock ledger", statements: stockLedger),
        Migration(version: 2, name: "locations and suppliers", statements: locationsAndSuppliers),
        Migration(version: 3, name: "transfers", statements: transfers),
        Migration(version: 4, name: "report indexes", statements: reportIndexes),
        Migration(version: 5, name: "access and audit", statements: accessAndAudit),
        Migration(version: 6, name: "set-based ledger", statements: setBasedLedger),
        Migration(version: 7, name: "covering report indexes", statements: coveringReportIndexes),
        Migration(version: 8, name: "event log", statements: eventLog),
        Migration(version: 9, name: "low-stock alerts", statements: alerts),
        Migration(version: 10, name: "webhooks", statements: webhooks),
    ]

    /// Webhook endpoints and the queue of deliveries to them. The fan-out's cursor lives in
    /// `event_consumers` and moves in the same transaction as the deliveries it queued; each
    /// delivery keeps the body it is sent as. Workers claim due rows with `FOR UPDATE SKIP LOCKED`
    /// and push `next_attempt_at` past the attempt (a lease), so no two instances send one at once
    /// and a delivery whose sender died is sent again once the lease ends.
    static let webhooks = [
        """
        CREATE TABLE webhooks (
            id BIGSERIAL PRIMARY KEY,
            url TEXT NOT NULL,
            event_types TEXT[] NOT NULL,
            store_id BIGINT REFERENCES stores (id),
            secret TEXT NOT NULL,
            enabled BOOLEAN NOT NULL,
            disabled_reason TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE webhook_deliveries (
            id BIGSERIAL PRIMARY KEY,
            webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TIMESTAMPTZ,
            last_attempt_at TIMESTAMPTZ,
            last_status INTEGER,
            last_error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            scheduled_from TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ,
            UNIQUE (webhook_id, event_id)
        )
        """,
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'",
        "CREATE INDEX webhook_deliveries_listing ON webhook_deliveries (webhook_id, id)",
        "INSERT INTO event_consumers (name, xid, id) VALUES ('webhooks', '0', 0)",
    ]

    /// Low-stock alerts, raised and resolved by a consumer of the event log whose cursor lives in
    /// `event_consumers` and moves in the same transaction as the alerts it wrote. At most one
    /// alert per (store, product) is not resolved.
    static let alerts = [
        """
        CREATE TABLE alerts (
            id BIGSERIAL PRIMARY KEY,
            store_id BIGINT NOT NULL REFERENCES stores (id),
            product_id BIGINT NOT NULL REFERENCES products (id),
            state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
            reorder_level BIGINT NOT NULL,
            on_hand BIGINT NOT NULL,
            raised_at TIMESTAMPTZ NOT NULL,
            acknowledged_at TIMESTAMPTZ,
            acknowledged_by_kind TEXT,
            acknowledged_by_id BIGINT,
            acknowledged_by_name TEXT,
            resolved_at TIMESTAMPTZ
        )
        """,
        "CREATE UNIQUE INDEX alerts_unresolved ON alerts (store_id, product_id) WHERE state <> 'resolved'",
        "CREATE INDEX alerts_store ON alerts (store_id, id)",
        "CREATE TABLE event_consumers (name TEXT PRIMARY KEY, xid XID8 NOT NULL, id BIGINT NOT NULL)",
        "INSERT INTO event_consumers (name, xid, id) VALUES ('alerts', '0', 0)",
    ]

    /// The event log: every change appends its events in its own transaction (a transactional
    /// outbox). Each event keeps the id of the transaction that wrote it, and readers read only
    /// below the oldest transaction still running, so an event whose transaction commits late is
    /// never passed by a cursor: positions are (xid, id). Pruning records how far it went, so a
    /// cursor older than that is told instead of silently skipping. (Listeners are woken after
    /// commit by the writing process, not by a trigger: see `ListenerWake`.)
    static let eventLog = [
        """
        CREATE TABLE events (
            id BIGINT GENERATED ALWAYS AS IDENTITY,
            xid XID8 NOT NULL DEFAULT pg_current_xact_id(),
            type TEXT NOT NULL,
            store_id BIGINT,
            audience TEXT NOT NULL CHECK (audience IN ('readers', 'administrators')),
            recorded_at TIMESTAMPTZ NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (xid, id)
        )
        """,
        "CREATE INDEX events_recorded ON events USING brin (recorded_at)",
        """
        CREATE TABLE event_log_state (
            singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
            pruned_xid XID8 NOT NULL,
            pruned_id BIGINT NOT NULL
        )
        """,
        "INSERT INTO event_log_state (pruned_xid, pruned_id) VALUES ('0', 0)",
    ]

    /// The channel on which writers wake the instances listening for events.
    static let eventChannel = "godown_events"

    /// Reports that read many movements read them from an index alone (an index-only scan, once
    /// vacuum has marked the pages all-visible): a store's sales in a time range with what they
    /// sum, and the ids of a store's movements in a time range, so that a page of its history
    /// sorts ids and fetches only the rows it returns.
    static let coveringReportIndexes = [
        """
        CREATE INDEX movements_sales ON movements (store_id, occurred_at) INCLUDE (product_id, delta, unit_price)
        WHERE kind = 'sale'
        """,
        "CREATE INDEX movements_store_occurred_ids ON movements (store_id, occurred_at) INCLUDE (id)",
        "DROP INDEX movements_store_occurred",
    ]

    /// Months of audit partitions kept ready ahead of now; every start tops them up.
    static let auditPartitionsAheadMonths = 12

    /// Applies each insert of movements to the stock levels with one set-based UPDATE (a statement
    /// trigger over the inserted rows) instead of one UPDATE per movement, and records on each stock
    /// level the last movement applied: a movement must continue its chain's balance *and* come after
    /// that movement in id order, so chains ordered by id stay unbroken whoever chose the ids.
    static let setBasedLedger = [
        "ALTER TABLE stock_levels ADD COLUMN last_movement_id BIGINT NOT NULL DEFAULT 0",
        """
        UPDATE stock_levels s SET last_movement_id = m.last_id
        FROM (SELECT store_id, product_id, max(id) AS last_id FROM movements GROUP BY store_id, product_id) m
        WHERE s.store_id = m.store_id AND s.product_id = m.product_id
        """,
        """
        CREATE OR REPLACE FUNCTION stock_levels_only_through_movements() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF pg_trigger_depth() = 1 AND (
                NEW.on_hand IS DISTINCT FROM (CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.on_hand END)
                OR NEW.last_movement_id IS DISTINCT FROM (CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.last_movement_id END)
            ) THEN
                RAISE EXCEPTION 'on_hand changes only through movements' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        "DROP TRIGGER movements_apply ON movements",
        "DROP FUNCTION movements_apply()",
        """
        CREATE FUNCTION movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            chains BIGINT;
            applied BIGINT;
        BEGIN
            WITH chained AS (
                SELECT store_id, product_id, id, delta, balance_after,
                    lag(balance_after) OVER (PARTITION BY store_id, product_id ORDER BY id) AS previous_balance
                FROM inserted
            ), chain AS (
                SELECT store_id, product_id, min(id) AS first_id, max(id) AS last_id,
                    (array_agg(balance_after - delta ORDER BY id))[1] AS opening,
                    (array_agg(balance_after ORDER BY id DESC))[1] AS closing,
                    bool_and(previous_balance IS NULL OR previous_balance = balance_after - delta) AS continuous
                FROM chained GROUP BY store_id, product_id
            ), updated AS (
                UPDATE stock_levels s SET on_hand = c.closing, last_movement_id = c.last_id
                FROM chain c
                WHERE s.store_id = c.store_id AND s.product_id = c.product_id AND c.continuous
                    AND s.on_hand = c.opening AND s.last_movement_id < c.first_id
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM chain), (SELECT count(*) FROM updated) INTO chains, applied;
            IF applied <> chains THEN
                RAISE EXCEPTION 'movement does not continue the balance chain' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER movements_apply AFTER INSERT ON movements REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION movements_apply()
        """,
    ]

    /// Users, API keys, refresh tokens, who recorded each movement, and the audit log: append-only,
    /// partitioned by month of `recorded_at` so old months can be detached and archived without
    /// rewriting the table. A default partition catches anything outside the prepared months.
    static let accessAndAudit = [
        """
        CREATE TABLE users (
            id BIGSERIAL PRIMARY KEY,
            username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'clerk', 'auditor')),
            active BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE user_stores (
            user_id BIGINT NOT NULL REFERENCES users (id),
            store_id BIGINT NOT NULL REFERENCES stores (id),
            PRIMARY KEY (user_id, store_id)
        )
        """,
        """
        CREATE TABLE api_keys (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'clerk', 'auditor')),
            prefix TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            revoked_at TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE api_key_stores (
            api_key_id BIGINT NOT NULL REFERENCES api_keys (id),
            store_id BIGINT NOT NULL REFERENCES stores (id),
            PRIMARY KEY (api_key_id, store_id)
        )
        """,
        """
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            family_id TEXT NOT NULL,
            user_id BIGINT NOT NULL REFERENCES users (id),
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            spent_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
        "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
        "ALTER TABLE movements ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system'",
        "ALTER TABLE movements ADD COLUMN actor_id BIGINT",
        "ALTER TABLE movements ADD COLUMN actor_name TEXT NOT NULL DEFAULT 'system'",
        """
        CREATE TABLE audit_chains (
            chain BIGINT PRIMARY KEY,
            sequence BIGINT NOT NULL CHECK (sequence >= 0),
            hash TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE audit_log (
            id BIGINT GENERATED ALWAYS AS IDENTITY,
            chain BIGINT NOT NULL,
            sequence BIGINT NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_id BIGINT,
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
            hash TEXT NOT NULL,
            PRIMARY KEY (id, recorded_at)
        ) PARTITION BY RANGE (recorded_at)
        """,
        "CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT",
        "CREATE INDEX audit_log_chain ON audit_log (chain, sequence)",
        "CREATE INDEX audit_log_recorded ON audit_log (recorded_at)",
        "CREATE INDEX audit_log_actor ON audit_log (actor_name, id)",
        "CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id)",
        """
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION refuse_change()
        """,
        """
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()
        """,
        """
        CREATE FUNCTION audit_log_ensure_partitions(first_month DATE, months INT) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            month DATE;
            partition TEXT;
        BEGIN
            FOR i IN 0..months - 1 LOOP
                month := (date_trunc('month', first_month) + make_interval(months => i))::DATE;
                partition := format('audit_log_%s', to_char(month, 'YYYY_MM'));
                IF to_regclass(partition) IS NULL THEN
                    BEGIN
                        EXECUTE format(
                            'CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)', partition,
                            to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00',
                            to_char(month + INTERVAL '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
                    EXCEPTION WHEN check_violation THEN
                        -- Rows of that month already sit in the default partition; they stay there.
                        RAISE NOTICE 'audit_log_default holds rows of %; partition % not created', month, partition;
                    END;
                END IF;
            END LOOP;
        END
        $$
        """,
    ]

    /// Reports filter movements by time with or without a store, and find low stock without a scan.
    static let reportIndexes = [
        "CREATE INDEX movements_occurred ON movements (occurred_at)",
        """
        CREATE INDEX stock_levels_low ON stock_levels (store_id, product_id)
        WHERE reorder_level IS NOT NULL AND on_hand <= reorder_level
        """,
    ]

    static let transfers = [
        """
        CREATE TABLE transfers (
            id BIGSERIAL PRIMARY KEY,
            from_store_id BIGINT NOT NULL REFERENCES stores (id),
            to_store_id BIGINT NOT NULL REFERENCES stores (id),
            note TEXT,
            idempotency_key TEXT UNIQUE REFERENCES idempotency_keys (key),
            created_at TIMESTAMPTZ NOT NULL,
            CHECK (from_store_id <> to_store_id)
        )
        """,
        "CREATE INDEX transfers_from ON transfers (from_store_id, id)",
        "CREATE INDEX transfers_to ON transfers (to_store_id, id)",
        "ALTER TABLE movements ADD COLUMN transfer_id BIGINT REFERENCES transfers (id)",
        "CREATE INDEX movements_transfer ON movements (transfer_id) WHERE transfer_id IS NOT NULL",
    ]

    static let locationsAndSuppliers = [
        """
        CREATE TABLE cities (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
            state TEXT CHECK (state IS NULL OR char_length(state) BETWEEN 1 AND 200),
            created_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ
        )
        """,
        "CREATE UNIQUE INDEX cities_live_name ON cities (name, COALESCE(state, '')) WHERE deleted_at IS NULL",
        """
        ALTER TABLE stores
            ADD COLUMN city_id BIGINT REFERENCES cities (id),
            ADD COLUMN address TEXT CHECK (address IS NULL OR char_length(address) <= 300),
            ADD COLUMN active BOOLEAN NOT NULL DEFAULT true,
            ADD COLUMN deleted_at TIMESTAMPTZ
        """,
        "CREATE INDEX stores_city ON stores (city_id)",
        """
        ALTER TABLE suppliers
            ADD COLUMN contact TEXT CHECK (contact IS NULL OR char_length(contact) <= 200),
            ADD COLUMN active BOOLEAN NOT NULL DEFAULT true,
            ADD COLUMN deleted_at TIMESTAMPTZ
        """,
        """
        CREATE TABLE product_suppliers (
            product_id BIGINT NOT NULL REFERENCES products (id),
            supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
            supplier_sku TEXT CHECK (supplier_sku IS NULL OR char_length(supplier_sku) <= 64),
            cost_price BIGINT CHECK (cost_price IS NULL OR cost_price >= 0),
            lead_time_days INTEGER CHECK (lead_time_days IS NULL OR lead_time_days BETWEEN 0 AND 365),
            preferred BOOLEAN NOT NULL DEFAULT false,
            PRIMARY KEY (product_id, supplier_id)
        )
        """,
        "CREATE UNIQUE INDEX product_suppliers_one_preferred ON product_suppliers (product_id) WHERE preferred",
        "CREATE INDEX product_suppliers_supplier ON product_suppliers (supplier_id, product_id)",
    ]

    static var latestVersion: Int { migrations.map(\.version).max() ?? 0 }

    static let stockLedger = [
        """
        CREATE TABLE stores (
            id BIGSERIAL PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """,
        "INSERT INTO stores (code, name, created_at) VALUES ('MAIN', 'Main store', date_trunc('milliseconds', now()))",
        """
        CREATE TABLE suppliers (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
            phone TEXT CHECK (phone IS NULL OR char_length(phone) <= 32),
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE products (
            id BIGSERIAL PRIMARY KEY,
            sku TEXT NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 64 AND sku = upper(sku)),
            name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
            unit TEXT NOT NULL CHECK (unit IN ('piece', 'pack', 'kg', 'g', 'l', 'ml')),
            barcode TEXT CHECK (barcode IS NULL OR char_length(barcode) BETWEEN 1 AND 48),
            sale_price BIGINT CHECK (sale_price IS NULL OR sale_price >= 0),
            active BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ
        )
        """,
        "CREATE UNIQUE INDEX products_live_sku ON products (sku) WHERE deleted_at IS NULL",
        "CREATE UNIQUE INDEX products_live_barcode ON products (barcode) WHERE deleted_at IS NULL AND barcode IS NOT NULL",
        """
        CREATE TABLE stock_levels (
            store_id BIGINT NOT NULL REFERENCES stores (id),
            product_id BIGINT NOT NULL REFERENCES products (id),
            on_hand BIGINT NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
            reorder_level BIGINT CHECK (reorder_level IS NULL OR reorder_level >= 0),
            PRIMARY KEY (store_id, product_id)
        )
        """,
        "CREATE INDEX stock_levels_product ON stock_levels (product_id)",
        """
        CREATE TABLE idempotency_keys (
            key TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            store_id BIGINT NOT NULL REFERENCES stores (id),
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE movements (
            id BIGSERIAL PRIMARY KEY,
            store_id BIGINT NOT NULL REFERENCES stores (id),
            product_id BIGINT NOT NULL REFERENCES products (id),
            kind TEXT NOT NULL CHECK (kind IN ('stock_in', 'sale', 'removal', 'adjustment', 'count', 'transfer_out', 'transfer_in')),
            delta BIGINT NOT NULL,
            balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
            reason TEXT,
            supplier_id BIGINT REFERENCES suppliers (id),
            unit_cost BIGINT CHECK (unit_cost IS NULL OR unit_cost >= 0),
            unit_price BIGINT CHECK (unit_price IS NULL OR unit_price >= 0),
            note TEXT,
            occurred_at TIMESTAMPTZ NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL,
            idempotency_key TEXT REFERENCES idempotency_keys (key),
            CHECK (kind = 'count' OR delta <> 0),
            CHECK (kind NOT IN ('removal', 'adjustment') OR reason IS NOT NULL)
        )
        """,
        "CREATE INDEX movements_chain ON movements (store_id, product_id, id)",
        "CREATE INDEX movements_store_occurred ON movements (store_id, occurred_at)",
        "CREATE INDEX movements_product ON movements (product_id, id)",
        "CREATE INDEX movements_idempotency_key ON movements (idempotency_key) WHERE idempotency_key IS NOT NULL",
        """
        CREATE FUNCTION movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE stock_levels SET on_hand = NEW.balance_after
            WHERE store_id = NEW.store_id AND product_id = NEW.product_id AND on_hand = NEW.balance_after - NEW.delta;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'movement does not continue the balance chain' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        "CREATE TRIGGER movements_apply AFTER INSERT ON movements FOR EACH ROW EXECUTE FUNCTION movements_apply()",
        """
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        """
        CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements
        FOR EACH ROW EXECUTE FUNCTION refuse_change()
        """,
        """
        CREATE FUNCTION stock_levels_only_through_movements() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF pg_trigger_depth() = 1 AND NEW.on_hand IS DISTINCT FROM
                (CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.on_hand END) THEN
                RAISE EXCEPTION 'on_hand changes only through movements' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER stock_levels_only_through_movements BEFORE INSERT OR UPDATE ON stock_levels
        FOR EACH ROW EXECUTE FUNCTION stock_levels_only_through_movements()
        """,
    ]
}
