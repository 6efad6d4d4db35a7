public import FeatureStore
import GeoEngine
public import GeoModel

/// "Where do planned zones collide?" Overlap means the interiors intersect with positive area
/// (not OGC `ST_Overlaps`, which misses a zone lying wholly inside another).
public struct OverlapQuery: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        /// Every pair between two layers; the same layer twice compares a layer with itself.
        case layers(String, String)
        /// A candidate geometry (WGS84) against these layers (empty: every layer).
        case candidate(Geometry, name: String, layers: [String])
        /// The conflict rules of the catalogue, or those with these ids.
        case rules([String])
    }

    public static let maximumBuffer = 5000.0
    public static let candidateLayer = "candidate"

    public var subject: Subject
    /// Corridor buffer in metres for line and point layers (and the candidate) when no rule says.
    public var bufferMetres: Double?

    public init(subject: Subject, bufferMetres: Double? = nil) {
        self.subject = subject
        self.bufferMetres = bufferMetres
    }
}

/// One overlapping pair: where they overlap and by how much.
public struct Overlap: Hashable, Sendable {
    public var layerA: String
    /// nil for the candidate geometry of an `OverlapQuery.Subject.candidate` query.
    public var featureA: StoredFeature?
    public var layerB: String
    public var featureB: StoredFeature
    /// The intersection in WGS84.
    public var intersection: Geometry
    public var area: Area
    /// Share of each side's (buffered) area inside the intersection, in %.
    public var shareAPercent: Double
    public var shareBPercent: Double
    public var bufferA: Double
    public var bufferB: Double
    public var rule: ConflictRule?
}

public struct OverlapReport: Hashable, Sendable {
    public var overlaps: [Overlap]
    public var totalArea: Area { overlaps.reduce(Area(squareMetres: 0)) { $0 + $1.area } }
}

extension Atlas {
    /// Intersections smaller than this (m²) are numerical noise from touching boundaries.
    static let minimumOverlapArea = 1e-4

    public func overlaps(_ query: OverlapQuery) async throws(PlanningError) -> OverlapReport {
        if let buffer = query.bufferMetres {
            guard buffer.isFinite, buffer >= 0, buffer <= OverlapQuery.maximumBuffer else {
                throw .invalidParameter(name: "buffer", reason: "must be between 0 and \(Int(OverlapQuery.maximumBuffer)) metres, got \(buffer)")
            }
        }
        let buffer = query.bufferMetres ?? 0
        switch query.subject {
        case .layers(let a, let b):
            _ = try await layerIDs([a, b])
            let bufferA = try await snapshot(of: a).corridorBuffer(buffer)
            let bufferB = try await snapshot(of: b).corridorBuffer(buffer)
            let pairs = try await overlapPairs(a, bufferA, b, bufferB, rule: nil)
            return OverlapReport(overlaps: pairs)
        case .rules(let ids):
            guard let catalogue else { throw .catalogue("no conflict rules: the atlas was opened without a catalogue") }
            var rules = catalogue.rules
            if !ids.isEmpty {
                for id in ids where !rules.contains(where: { $0.id == id }) {
                    throw .invalidParameter(name: "rules", reason: "no conflict rule '\(id)'")
                }
                rules = rules.filter { ids.contains($0.id) }
            }
            var all: [Overlap] = []
            for rule in rules {
                guard rule.layers.count == 2 else { throw .catalogue("rule '\(rule.id)' must name two layers") }
                let (a, b) = (rule.layers[0], rule.layers[1])
                _ = try await layerIDs([a, b])
                all += try await overlapPairs(a, rule.bufferMetres[a] ?? 0, b, rule.bufferMetres[b] ?? 0, rule: rule)
            }
            return OverlapReport(overlaps: all)
        case .candidate(let geometry, let name, let layers):
            return OverlapReport(overlaps: try await candidateOverlaps(geometry, name: name, buffer: buffer, layers: layers))
        }
    }

    private func overlapPairs(_ a: String, _ bufferA: Double, _ b: String, _ bufferB: Double,
                              rule: ConflictRule?) async throws(PlanningError) -> [Overlap] {
        // Both layers' snapshots are fetched (and built, when they must be) at the same time.
        async let madeRight = snapshotResult(a == b ? nil : b)
        let left = try await snapshot(of: a)
        let right = try await madeRight.get() ?? left
        return try await left.overlaps(with: right, buffer: bufferA, otherBuffer: bufferB, rule: rule)
    }

    /// `snapshot(of:)` as a value (nil for no layer), for fetching two at once with `async let`.
    private func snapshotResult(_ layerID: String?) async -> Result<LayerSnapshot?, PlanningError> {
        guard let layerID else { return .success(nil) }
        do { return .success(try await snapshot(of: layerID)) } catch { return .failure(error) }
    }

    private func candidateOverlaps(_ geometry: Geometry, name: String, buffer: Double,
                                   layers: [String]) async throws(PlanningError) -> [Overlap] {
        let reason: String?
        do { reason = try geometry.validityReason() } catch { throw .invalidGeometry(what: "the candidate", reason: error.description) }
        if let reason { throw .invalidGeometry(what: "the candidate", reason: reason) }
        guard !geometry.isEmpty else { throw .invalidGeometry(what: "the candidate", reason: "it is EMPTY") }
        let metric: Geometry
        do { metric = try toMetric.transform(geometry) } catch {
            throw .invalidGeometry(what: "the candidate", reason: error.description)
        }
        let zone = try Zones(single: metric, buffer: buffer, name: name)
        var all: [Overlap] = []
        for layerID in try await layerIDs(layers) {
            let snapshot = try await snapshot(of: layerID)
            // A line or point layer without a buffer has no area to overlap: skip it when
            // checking against every layer, but say so when the user named it.
            let layerBuffer = snapshot.corridorBuffer(buffer)
            let zones: Zones
            do { zones = try Zones(snapshot, buffer: layerBuffer) } catch {
                if case .needsBuffer = error, layers.isEmpty { continue }
                throw error
            }
            let candidates = await zone.tree.pairs(with: zones.tree, sameSide: false)
            for found in try await Self.intersect(candidates, zone, zones) {
                all.append(Overlap(layerA: OverlapQuery.candidateLayer, featureA: nil, layerB: layerID,
                                   featureB: snapshot.features[zones.feature[found.second]],
                                   intersection: found.geometry, area: Area(squareMetres: found.area),
                                   shareAPercent: 100 * found.area / found.areaA, shareBPercent: 100 * found.area / found.areaB,
                                   bufferA: buffer, bufferB: layerBuffer, rule: nil))
            }
        }
        return all
    }

    static func toWGS84(_ metric: [Geometry]) throws(PlanningError) -> [Geometry] {
        do { return try CoordinateTransform(from: Atlas.metricFrame, to: .wgs84).transform(metric) } catch {
            throw .geometryOperation(what: "projecting intersections back to WGS84", reason: error.description)
        }
    }

    /// One overlapping pair of zones: where they overlap (in WGS84), by how much, and the area
    /// of each zone, for the shares.
    struct ZoneOverlap: Sendable {
        var first: Int
        var second: Int
        var geometry: Geometry
        var area: Double
        var areaA: Double
        var areaB: Double
    }

    /// Exact intersections of candidate pairs (sorted by `first`), spread over the cores; each
    /// task has its own GEOS context, converts and prepares each of its zones of `a` once and
    /// converts each zone of `b` it meets once. Results come sorted by (first, second).
    static func intersect(_ candidates: [IndexPair], _ a: Zones, _ b: Zones) async throws(PlanningError) -> [ZoneOverlap] {
        guard !candidates.isEmpty else { return [] }
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, max(1, candidates.count / 64))
        let chunk = (candidates.count + parts - 1) / parts
        do {
            return try await withThrowingTaskGroup(of: (Int, [ZoneOverlap]).self) { group in
                for (n, start) in stride(from: 0, to: candidates.count, by: chunk).enumerated() {
                    let slice = candidates[start..<min(start + chunk, candidates.count)]
                    group.addTask { (n, try Self.intersectChunk(slice, a, b)) }
                }
                var parts = [[ZoneOverlap]](repeating: [], count: parts)
                for try await (n, part) in group { parts[n] = part }
                return Array(parts.joined())
            }
        } catch let error as PlanningError {
            throw error
        } catch {
            throw .geometryOperation(what: "overlap", reason: "\(error)")
        }
    }

    private static func intersectChunk(_ pairs: ArraySlice<IndexPair>, _ a: Zones, _ b: Zones) throws(PlanningError)
        -> [ZoneOverlap]
    {
        var found: [ZoneOverlap] = []
        var current: (index: Int, prepared: PreparedGeometry, area: Double)?
        var converted: [Int: (geometry: GEOSGeometry, area: Double)] = [:]
        do {
            let context = try GEOSContext()
            for pair in pairs {
                let zoneA: (index: Int, prepared: PreparedGeometry, area: Double)
                if let current, current.index == pair.first { zoneA = current } else {
                    let geometry = try GEOSGeometry(a.geometry[pair.first], in: context)
                    zoneA = (pair.first, try PreparedGeometry(geometry), try geometry.area())
                    current = zoneA
                }
                let zoneB: (geometry: GEOSGeometry, area: Double)
                if let known = converted[pair.second] { zoneB = known } else {
                    let geometry = try GEOSGeometry(b.geometry[pair.second], in: context)
                    zoneB = (geometry, try geometry.area())
                    converted[pair.second] = zoneB
                }
                guard try zoneA.prepared.intersects(zoneB.geometry) else { continue }
                let intersection = try zoneA.prepared.geometry.intersection(zoneB.geometry)
                let area = try intersection.area()
                guard area > minimumOverlapArea else { continue }
                found.append(ZoneOverlap(first: pair.first, second: pair.second, geometry: try Geometry(intersection),
                                         area: area, areaA: zoneA.area, areaB: zoneB.area))
            }
        } catch {
            throw .geometryOperation(
                what: "intersecting \(a.describe(current?.index ?? 0)) with its candidates", reason: error.description)
        }
        // Back to WGS84 here too, while the other cores do the same with their chunks, in one batch.
        for (i, geometry) in try toWGS84(found.map(\.geometry)).enumerated() { found[i].geometry = geometry }
        return found
    }
}

extension LayerSnapshot {
    /// The query's corridor buffer as it applies to this layer: lines and points get it, polygons
    /// have their area already and are compared as drawn.
    func corridorBuffer(_ buffer: Double) -> Double {
        layer.geometryType.dimension == 2 ? 0 : buffer
    }

    /// Every overlap between this layer's features and `other`'s (the same snapshot twice
    /// compares a layer with itself, each pair once): what `Atlas.overlaps` reports for
    /// `.layers(layer.id, other.layer.id)`, in the same order (by feature position in each layer).
    /// `buffer` and `otherBuffer` widen each side into corridors (metres); line and point layers
    /// need one.
    public func overlaps(with other: LayerSnapshot, buffer: Double = 0,
                         otherBuffer: Double = 0) async throws(PlanningError) -> [Overlap] {
        for value in [buffer, otherBuffer] {
            guard value.isFinite, value >= 0, value <= OverlapQuery.maximumBuffer else {
                let limit = Int(OverlapQuery.maximumBuffer)
                throw .invalidParameter(name: "buffer", reason: "must be between 0 and \(limit) metres, got \(value)")
            }
        }
        return try await overlaps(with: other, buffer: buffer, otherBuffer: otherBuffer, rule: nil)
    }

    func overlaps(with other: LayerSnapshot, buffer: Double, otherBuffer: Double,
                  rule: ConflictRule?) async throws(PlanningError) -> [Overlap] {
        let sameSide = layer.id == other.layer.id && buffer == otherBuffer
        // The two layers' zones are made at the same time, on two cores.
        async let madeB = Result { () throws(PlanningError) in sameSide ? nil : try Zones(other, buffer: otherBuffer) }
        let zonesA = try Zones(self, buffer: buffer)
        let zonesB = try await madeB.get() ?? zonesA
        let candidates = await zonesA.tree.pairs(with: zonesB.tree, sameSide: sameSide)
        return try await Atlas.intersect(candidates, zonesA, zonesB).map { found throws(PlanningError) in
            Overlap(layerA: layer.id, featureA: features[zonesA.feature[found.first]], layerB: other.layer.id,
                    featureB: other.features[zonesB.feature[found.second]], intersection: found.geometry,
                    area: Area(squareMetres: found.area), shareAPercent: 100 * found.area / found.areaA,
                    shareBPercent: 100 * found.area / found.areaB, bufferA: buffer, bufferB: otherBuffer, rule: rule)
        }
    }
}

/// The areal form of a layer for overlap work: each feature's metric geometry (buffered into a
/// corridor when asked) and a packed R-tree over the metric boxes. Areas are measured only for
/// zones that overlap something, by `Atlas.intersect`.
struct Zones: Sendable {
    var geometry: [Geometry] = []
    /// The feature index in the snapshot for each zone.
    var feature: [Int] = []
    var tree: PackedRTree
    /// For messages: the layer's id (or the candidate's name) and the layer's features.
    private var source: String
    private var sourceFeatures: [StoredFeature] = []

    init(_ snapshot: LayerSnapshot, buffer: Double) throws(PlanningError) {
        let type = snapshot.layer.geometryType
        if type.dimension != 2 && buffer <= 0 { throw .needsBuffer(layer: snapshot.layer.id, geometryType: type) }
        source = snapshot.layer.id
        sourceFeatures = snapshot.features
        var boxes: [BoundingBox] = []
        if buffer > 0 {
            do {
                let context = try GEOSContext()
                for (i, metric) in snapshot.metric.enumerated() {
                    guard let metric else { continue }
                    let zone = try GEOSGeometry(metric, in: context).buffer(by: buffer)
                    guard try zone.area() > 0 else { continue }
                    let value = try Geometry(zone)
                    guard let box = value.boundingBox else { continue }
                    geometry.append(value)
                    feature.append(i)
                    boxes.append(box)
                }
            } catch {
                let what = "preparing layer '\(snapshot.layer.id)' for overlaps"
                throw .geometryOperation(what: what, reason: error.description)
            }
        } else {
            // Polygons are their own zones (one without area overlaps nothing with positive area),
            // boxed as the snapshot boxed them.
            geometry.reserveCapacity(snapshot.withGeometry.count)
            for (i, box) in zip(snapshot.withGeometry, snapshot.boxes) {
                guard let metric = snapshot.metric[i] else { continue }
                geometry.append(metric)
                feature.append(i)
                boxes.append(box)
            }
        }
        do { tree = try PackedRTree(boxes: boxes) } catch { throw .index(layer: snapshot.layer.id, reason: error.description) }
    }

    init(single metric: Geometry, buffer: Double, name: String) throws(PlanningError) {
        source = name
        do {
            let context = try GEOSContext()
            var zone = try GEOSGeometry(metric, in: context)
            if buffer > 0 { zone = try zone.buffer(by: buffer) }
            guard try zone.area() > 0 else {
                throw PlanningError.invalidGeometry(what: "the candidate", reason: "it has no area: give a buffer in metres")
            }
            let value = try Geometry(zone)
            guard let box = value.boundingBox else {
                throw PlanningError.invalidGeometry(what: "the candidate", reason: "it is EMPTY")
            }
            geometry = [value]
            feature = [0]
            tree = try PackedRTree(boxes: [box])
        } catch let error as PlanningError {
            throw error
        } catch {
            throw .geometryOperation(what: "preparing the candidate", reason: "\(error)")
        }
    }

    /// Zone `i` as messages name it: "layer/feature id", or the candidate's name.
    func describe(_ i: Int) -> String {
        guard i < feature.count, feature[i] < sourceFeatures.count else { return source }
        return "\(source)/\(sourceFeatures[feature[i]].id)"
    }
}

extension PackedRTree {
    /// Box-intersecting pairs, sorted, joined on all cores; for a layer against itself each
    /// unordered pair once (first < second).
    func pairs(with other: PackedRTree, sameSide: Bool) async -> [IndexPair] {
        let parts = ProcessInfo.processInfo.activeProcessorCount
        // The partition count is always valid, so the join cannot fail.
        var pairs = (try? await intersectingPairs(with: other, parts: parts)) ?? []
        if sameSide { pairs.removeAll { $0.first >= $0.second } }
        pairs.sort()
        return pairs
    }
}

import Foundation
