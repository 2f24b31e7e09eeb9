import ArgumentParser

/// The `godown` command: a stock book for kiryana stores, from the command line or over HTTP.
@main
struct Godown: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "godown",
        abstract: "Godown: an exact, trustworthy stock book for kiryana stores.",
        discussion: """
            The database is ./godown.sqlite unless --database or GODOWN_DATABASE names another file.
            A running server and the CLI can use the same file at once.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, MigrateCommand.self, ServeCommand.self, ProductCommand.self, SupplierCommand.self,
            CityCommand.self, StoreCommand.self, StockCommand.self, TransferCommand.self, ReportCommand.self,
            HistoryCommand.self, VerifyCommand.self, SeedCommand.self, UserCommand.self, AuditCommand.self,
            EventsCommand.self, AlertsCommand.self,
        ])
}
