import Foundation

/// Which store to open: a SpatiaLite file or a PostgreSQL/PostGIS database.
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    case spatiaLite(path: String)
    /// `postgres://user:password@host:port/database`.
    case postGIS(url: String)

    /// A `postgres://` or `postgresql://` URL, or else a file path.
    public init(_ text: String) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postGIS(url: text)
        } else {
            self = .spatiaLite(path: text)
        }
    }

    /// The default location: `$PLANATLAS_DATABASE` (a path or a postgres:// URL) when set, else
    /// `$XDG_DATA_HOME/planatlas/planatlas.sqlite`, else `$HOME/.local/share/planatlas/planatlas.sqlite`
    /// (the XDG base-directory default), else `./planatlas.sqlite`. `environment` defaults to
    /// the process's.
    public static func `default`(environment: [String: String]? = nil) -> StoreLocation {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let configured = environment["PLANATLAS_DATABASE"], !configured.isEmpty { return StoreLocation(configured) }
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return .spatiaLite(path: dataHome + "/planatlas/planatlas.sqlite")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return .spatiaLite(path: home + "/.local/share/planatlas/planatlas.sqlite")
        }
        return .spatiaLite(path: "planatlas.sqlite")
    }

    /// Opens (creating or migrating as needed) the store.
    public func open() async throws(StoreError) -> any FeatureStore {
        switch self {
        case .spatiaLite(let path): try await SpatiaLiteStore(path: path)
        case .postGIS(let url): try await PostGISStore(url: url)
        }
    }

    /// The location for messages, without a password.
    public var description: String {
        switch self {
        case .spatiaLite(let path): return path
        case .postGIS(let url):
            if var components = URLComponents(string: url), components.password != nil {
                components.password = "***"
                return components.string ?? "postgres://…"
            }
            return url
        }
    }
}
