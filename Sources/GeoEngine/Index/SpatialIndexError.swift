public import GeoModel

/// Why a spatial index could not be built or a query could not be answered. Each case carries the
/// offending value, so a caller can report exactly which feature or argument was wrong.
public enum SpatialIndexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Item `index` has a NaN or infinite coordinate, or a minimum above its maximum.
    case invalidBox(index: Int, box: BoundingBox)
    /// Item `index` is not a longitude/latitude box (longitude −180…180, latitude −90…90).
    case boxOutsideLonLatRange(index: Int, box: BoundingBox)
    /// More items than the index's 32-bit item numbers can address.
    case tooManyItems(count: Int)
    /// Node sizes outside 2…256 either cannot form a tree or waste the cache.
    case invalidNodeSize(Int)
    /// A query point with a NaN or infinite coordinate (or, for lon/lat queries, out of range).
    case invalidQueryPoint(Coordinate)
    /// A negative or NaN search distance.
    case invalidDistance(Double)
    /// A negative number of neighbours.
    case invalidNeighborCount(Int)
    /// A metric plane needs an origin with finite longitude and a latitude strictly between the poles.
    case invalidPlaneOrigin(Coordinate)
    /// A join partition that does not exist (`part` must lie in `0..<parts`).
    case invalidPartition(part: Int, parts: Int)

    public var description: String {
        switch self {
        case .invalidBox(let index, let box):
            "item \(index) has an invalid bounding box \(Self.format(box)): coordinates must be finite and min ≤ max"
        case .boxOutsideLonLatRange(let index, let box):
            "item \(index) has bounding box \(Self.format(box)) outside longitude −180…180 / latitude −90…90"
        case .tooManyItems(let count):
            "\(count) items exceed the index's limit of \(PackedRTree.maximumCount)"
        case .invalidNodeSize(let size):
            "node size \(size) is outside 2…256"
        case .invalidQueryPoint(let c):
            "query point (\(c.x), \(c.y)) is not a finite position in the index's coordinates"
        case .invalidDistance(let d):
            "search distance \(d) must be zero or positive"
        case .invalidNeighborCount(let k):
            "neighbour count \(k) must be zero or positive"
        case .invalidPlaneOrigin(let c):
            "metric plane origin (\(c.x), \(c.y)) must have a finite longitude and a latitude strictly between −90 and 90"
        case .invalidPartition(let part, let parts):
            "join partition \(part) of \(parts) does not exist"
        }
    }

    private static func format(_ b: BoundingBox) -> String {
        "[\(b.minX), \(b.minY), \(b.maxX), \(b.maxY)]"
    }
}
