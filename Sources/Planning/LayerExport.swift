import FeatureStore
public import GeoEngine
public import GeoModel

/// A layer written out as GeoJSON for map viewers, streamed from the store feature by feature.
public struct ExportRequest: Hashable, Sendable {
    public var layer: String
    /// Output coordinates: EPSG:4326 (RFC 7946), a metric CRS such as EPSG:4550, or GCJ-02 for
    /// Amap or Tencent based viewers.
    public var crs: CRS
    /// Keep only features whose geometry's box meets this WGS84 box.
    public var bbox: BoundingBox?
    /// Add the layer's simplestyle-spec properties (stroke, fill, marker-color ...) to each feature.
    public var includeStyle: Bool

    public init(layer: String, crs: CRS = .wgs84, bbox: BoundingBox? = nil, includeStyle: Bool = false) {
        self.layer = layer
        self.crs = crs
        self.bbox = bbox
        self.includeStyle = includeStyle
    }
}

extension Atlas {
    /// Writes the layer to `sink` and returns how many features it wrote.
    @discardableResult
    public func export(_ request: ExportRequest, to sink: any ByteSink,
                       progress: ((Int) -> Void)? = nil) async throws(PlanningError) -> Int {
        _ = try await layerIDs([request.layer])
        let transform = request.crs == .wgs84 ? nil : CoordinateTransform(from: .wgs84, to: request.crs)
        let style = request.includeStyle ? catalogue?.styles[request.layer] : nil
        // RFC 7946 output keeps the right-hand rule; coordinates in metres need fewer decimals.
        let precision = request.crs.isGeographic ? 7 : 3
        var writer = GeoJSONWriter(to: sink, options: .init(coordinatePrecision: precision))
        var members: JSONObject = ["name": .string(request.layer)]
        if request.crs != .wgs84 && request.crs != .gcj02 {
            // Not RFC 7946 any more: say which CRS, the way GDAL and QGIS read it.
            members["crs"] = ["type": "name", "properties": ["name": .string(request.crs.urn)]]
        }
        var written = 0
        let draining = sink as? any DrainingByteSink
        // The next batch is read from the store while this one is written: decoding stored rows
        // and formatting GeoJSON then run on two cores.
        let store = self.store
        let layer = request.layer
        func read(after cursor: FeatureCursor?) -> Task<FeatureBatch, any Error> {
            Task { try await store.batch(ofLayer: layer, after: cursor, limit: 2000) }
        }
        var pending: Task<FeatureBatch, any Error>? = read(after: nil)
        defer { pending?.cancel() }
        do {
            try writer.beginFeatureCollection(members: members)
            while let reading = pending {
                let batch = try await reading.value
                pending = batch.next.map(read)
                for stored in batch.features {
                    var feature = stored.feature
                    if let bbox = request.bbox {
                        guard let box = feature.geometry?.boundingBox, box.intersects(bbox) else { continue }
                    }
                    if let transform, let geometry = feature.geometry {
                        feature.geometry = try transform.transform(geometry)
                    }
                    if let style {
                        let status = feature.properties["status"]?.stringValue
                        feature.properties.merge(Style.simplestyle(style, status: status)) { current, _ in current }
                    }
                    try writer.write(feature)
                    try await draining?.drain()
                    written += 1
                    if written % 10_000 == 0 { progress?(written) }
                }
            }
            try writer.endFeatureCollection()
            try writer.flush()
        } catch let error as PlanningError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .output("exporting '\(request.layer)': \(error)")
        }
        progress?(written)
        return written
    }
}

extension CRS {
    /// The OGC URN GDAL and QGIS read from a GeoJSON "crs" member.
    var urn: String {
        if let code = epsgCode { "urn:ogc:def:crs:EPSG::\(code)" } else { identifier }
    }
}
