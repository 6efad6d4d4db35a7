import GeoModel

/// Writes a FeatureCollection to standard output, streamed.
func printFeatureCollection(_ features: some Sequence<Feature>, members: JSONObject = [:]) throws {
    let sink = FileSink.standardOutput()
    var writer = GeoJSONWriter(to: sink)
    try writer.beginFeatureCollection(members: members)
    for feature in features { try writer.write(feature) }
    try writer.endFeatureCollection()
    try writer.flush()
}

/// A property as table text: strings as they are, numbers without needless decimals.
func text(_ value: JSONValue?) -> String {
    switch value {
    case nil, .null?: ""
    case .string(let s)?: s
    case .integer(let i)?: String(i)
    case .number(let d)?: d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    case .bool(let b)?: String(b)
    case .array?, .object?: "…"
    }
}
