/// Everything a Godown backend provides: the read side and every write side. Each backend
/// implements all of it and passes the contract suite of each concern
/// (`InventoryTesting.CatalogContract` and its siblings), so the server and the CLI never know
/// which backend runs.
///
/// Parts of Godown take only the sides they use: reporting takes an `InventoryReader`, the ledger
/// a `LedgerReader & LedgerWriter`, so the compiler proves a reader never writes.
/// Backends hold the invariants in the database itself (on-hand ≥ 0, unique SKUs, foreign keys,
/// an append-only movement table) and apply the `Journal` under a lock no concurrent write can
/// slip past.
public typealias InventoryStorage = InventoryReader & CatalogWriter & LocationWriter & LedgerWriter & AccessWriter
    & AlertWriter & WebhookWriter & StorageMaintenance & EventMaintenance

/// The read side: lookups, listings, stock, history, reports, users and keys, the audit log, the
/// event log.
public typealias InventoryReader = CatalogReader & LocationReader & LedgerReader & ReportReader & AccessReader
    & AuditReader & EventReader & AlertReader & WebhookReader
