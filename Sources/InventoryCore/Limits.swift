/// Upper bounds on everything Godown accepts, each with the reason it exists.
public enum Limits {
    /// Fractional digits a quantity may carry: grams of a kilogram, millilitres of a litre.
    public static let quantityFractionDigitsMax = 3
    /// Largest quantity one movement may carry (one million units): far beyond any real delivery,
    /// small enough that sums over millions of movements cannot overflow 64-bit thousandths.
    public static let quantityUnitsMax: Int64 = 1_000_000
    /// Largest on-hand a stock level may reach (one billion units), so totals stay exact.
    public static let onHandUnitsMax: Int64 = 1_000_000_000
    /// Fractional digits a money amount may carry (paise).
    public static let moneyFractionDigitsMax = 2
    /// Largest unit cost or price (ten million rupees), to catch typing slips such as extra zeros.
    public static let moneyUnitsMax: Int64 = 10_000_000
    /// Characters in a SKU: long enough for supplier codes, short enough to type and index.
    public static let skuLengthMax = 64
    /// Characters in a store code, such as "BLR-KORA-07".
    public static let storeCodeLengthMax = 32
    /// Characters in an address.
    public static let addressLengthMax = 300
    /// Days a supplier may take to deliver: a year covers imports; more is a typing slip.
    public static let leadTimeDaysMax = 365
    /// Characters in a barcode: EAN/UPC need 8 to 14; custom shop codes get some room.
    public static let barcodeLengthMax = 48
    /// Characters in a product, store or supplier name.
    public static let nameLengthMax = 200
    /// Characters in a phone number.
    public static let phoneLengthMax = 32
    /// Characters in a movement note or adjustment reason.
    public static let noteLengthMax = 500
    /// Characters in an Idempotency-Key header (a UUID is 36).
    public static let idempotencyKeyLengthMax = 128
    /// Movements in one batch: a point-of-sale upload of a day's sales fits; a runaway client does not.
    public static let batchSizeMax = 500
    /// Items a listing returns when the client does not say.
    public static let pageSizeDefault = 50
    /// Items a listing may return at once.
    public static let pageSizeMax = 500
    /// Events one read of the event log returns.
    public static let eventPageSizeMax = 1_000
    /// Bytes in a request body: a full batch of 500 movements is about 150 KiB.
    public static let requestBodyBytesMax = 512 * 1024
    /// Rows an aggregated report returns; past this it says `truncated` and asks for narrower filters.
    public static let reportRowsMax = 10_000
    /// Longest date range of a sales report (a little over a year of days).
    public static let reportRangeDaysMax = 400
    /// Characters in a search text.
    public static let searchTextLengthMax = 100
    /// Ledger breaks `verify` lists before it stops collecting details (it still counts them all).
    public static let ledgerBreaksReportedMax = 100
    /// How long a health check waits for the database: a load balancer needs an answer, not a hang.
    public static let healthCheckTimeout: Duration = .seconds(2)
    /// How long one database call may take before the request answers 503 (`--database-timeout`):
    /// far above any healthy call (milliseconds), short enough that a till retries rather than hangs.
    public static let databaseTimeoutDefault: Duration = .seconds(5)
    /// Seconds a client is told to wait (`Retry-After`) when the database is unavailable: about as
    /// long as PostgreSQL takes to restart.
    public static let storageRetryAfterSeconds = 2
    /// A keep-alive client connection idle this long is closed (nginx's `keepalive_timeout`).
    public static let idleTimeoutDefault: Duration = .seconds(75)
    /// From a request's first byte to the end of its head: a real client sends a head in one packet;
    /// a slowloris sends it a byte at a time to hold the connection.
    public static let requestHeadTimeoutDefault: Duration = .seconds(10)
    /// From the end of a request's head to the end of its body: a full batch (150 KiB) over a slow
    /// mobile link takes seconds, not a minute.
    public static let requestBodyTimeoutDefault: Duration = .seconds(60)
    /// Open client connections at most, each a file descriptor; lowered at start to what the
    /// process may open.
    public static let connectionsMaxDefault = 10_000
    /// How long SIGTERM waits for requests in flight before cutting them off: a load balancer has
    /// stopped sending new ones by then.
    public static let shutdownGraceDefault: Duration = .seconds(30)
    /// How long a verified HTTP Basic password is remembered: a till calling every second pays for one
    /// bcrypt a minute, and memory holds no more than a minute's worth.
    public static let verifiedPasswordLifetime: Duration = .seconds(60)
    /// How soon a change to a user made elsewhere (the CLI, another instance) ends their tokens.
    public static let userRecheckInterval: Duration = .seconds(30)
    /// The wait before each password check of a username failing from many addresses at once.
    public static let loginSlowdown: Duration = .seconds(1)
    /// Times a call takes another pooled connection when the one it was given had already closed
    /// (PostgreSQL restarted since it was last used); nothing was sent on a closed one.
    public static let closedConnectionRetries = 3
    /// How far in the future a client's `occurred_at` may lie, to allow for skewed shop clocks.
    public static let occurredAtFutureSkewMax: Duration = .seconds(24 * 3600)
    /// Characters in a username.
    public static let usernameLengthMax = 64
    /// Shortest password accepted: short ones fall to a dictionary even at bcrypt's pace.
    public static let passwordLengthMin = 8
    /// Longest password in bytes: bcrypt reads only the first 72.
    public static let passwordBytesMax = 72
    /// Stores one user or key may be assigned: a regional manager's, not the whole chain's.
    public static let assignedStoresMax = 1_000
    /// Audit breaks `audit verify` lists (one per broken chain at most).
    public static let auditBreaksReportedMax = 100
    /// Characters in an audit filter value (action, entity type, actor).
    public static let auditFilterLengthMax = 100
    /// Times a backend may try to record a batch without locks before it takes them: each try costs
    /// two round trips, and a try only fails when another writer changed the same store meanwhile.
    public static let optimisticRecordAttempts = 2
    /// Webhook endpoints at most: every event is matched against each, and a chain needs a handful.
    public static let webhooksMax = 100
    /// Bytes in a webhook URL.
    public static let webhookURLLengthMax = 2_048
    /// Characters of a receiver's error kept with a delivery.
    public static let webhookErrorLengthMax = 300
    /// How long one delivery attempt may take (`--webhook-timeout`), as Standard Webhooks suggests.
    public static let webhookTimeoutDefault: Duration = .seconds(10)
    /// Deliveries one instance attempts at once.
    public static let webhookConcurrentDeliveriesMax = 16
    /// Bytes of a receiver's answer read (and dropped) before the connection is closed.
    public static let webhookResponseBytesMax = 64 * 1024
    /// Event streams open at once on one instance: each holds a connection and a task.
    public static let eventStreamsMax = 1_000
    /// Event streams one caller may hold open: a dashboard in a few tabs, not a runaway client.
    public static let eventStreamsPerPrincipalMax = 5
    /// How often an idle event stream sends a comment, under the idle timeouts of common proxies.
    public static let eventStreamKeepAlive: Duration = .seconds(15)
    /// A stream whose client has taken nothing for this long while events wait is dropped.
    public static let eventStreamStalledWriteTimeout: Duration = .seconds(30)
    /// Recent events one instance keeps in memory for the streams that are up to date.
    public static let recentEventsKept = 10_000
}
