import GRDB

// Fetching with GRDB's SQL interpolation (`SQLRequest(literal:)`) as briefly as executing with it
// (`db.execute(literal:)`): every statement of this backend binds its values this way.

extension Row {
    static func fetchOne(_ db: Database, literal sql: SQL) throws -> Row? {
        try fetchOne(db, SQLRequest<Row>(literal: sql))
    }

    static func fetchAll(_ db: Database, literal sql: SQL) throws -> [Row] {
        try fetchAll(db, SQLRequest<Row>(literal: sql))
    }

    static func fetchCursor(_ db: Database, literal sql: SQL) throws -> RowCursor {
        try fetchCursor(db, SQLRequest<Row>(literal: sql))
    }
}

extension DatabaseValueConvertible {
    static func fetchOne(_ db: Database, literal sql: SQL) throws -> Self? {
        try fetchOne(db, SQLRequest<Self>(literal: sql))
    }

    static func fetchAll(_ db: Database, literal sql: SQL) throws -> [Self] {
        try fetchAll(db, SQLRequest<Self>(literal: sql))
    }
}
