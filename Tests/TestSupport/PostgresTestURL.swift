import Foundation

/// The PostGIS test cluster's URL (`PLANATLAS_TEST_POSTGRES_URL`), nil when unset, with waits fit
/// for the test suites: hundreds of tests share two cores at once, so a store's call can wait its
/// turn for longer than the service's defaults (5 s for a connection) allow. Timeouts the URL
/// names itself are kept.
public func postgresTestURL() -> String? {
    guard let url = ProcessInfo.processInfo.environment["PLANATLAS_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
    guard var components = URLComponents(string: url) else { return url }  // the store reports what is wrong
    var items = components.queryItems ?? []
    for (name, value) in [("connect_timeout", "60"), ("query_timeout", "300")] where !items.contains(where: { $0.name == name }) {
        items.append(URLQueryItem(name: name, value: value))
    }
    components.queryItems = items
    return components.string ?? url
}
