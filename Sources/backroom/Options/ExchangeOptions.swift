import ArgumentParser
import BackroomCore
import BackroomSync
import Foundation

/// Where the sync engine's connections may reach: the ERP folders' root and the internal hosts
/// HTTP connectors may call. Shared by `serve` and `connection add`, which check the same way.
struct ExchangeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            The folder every ERP files connection must lie in (env BACKROOM_ERP_ROOT; default erp/ beside a SQLite database; \
            with PostgreSQL, ERP folders need it).
            """,
            valueName: "dir"
        )
    )
    var erpRoot: String?

    @Option(
        help: ArgumentHelp(
            """
            An internal host (loopback, link-local) that HTTP connectors may reach all the same, HOST or HOST:PORT; \
            repeatable (env BACKROOM_CONNECTOR_ALLOW, comma-separated).
            """,
            valueName: "host[:port]"
        )
    )
    var connectorAllow: [String] = []

    func root(for database: DatabaseLocation) -> ErpRoot {
        if let configured = EnvironmentFallback.value(erpRoot, "BACKROOM_ERP_ROOT") { return ErpRoot(configured) }
        switch database {
        case .sqlite(let path): return ErpRoot(URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("erp").path)
        case .postgres: return ErpRoot(nil)
        }
    }

    func allowed() throws(ConfigurationError) -> ConnectorAllowList {
        try ConnectorAllowList(parsing: EnvironmentFallback.list(connectorAllow, "BACKROOM_CONNECTOR_ALLOW"))
    }
}
