/// How `buffer(by:options:)` shapes its result. The defaults are GEOS's and PostGIS's
/// (round caps and joins, 8 segments per quarter circle; Shapely 2 uses 16).
public struct BufferOptions: Hashable, Sendable {
    /// The shape at the free ends of a buffered line.
    public enum Cap: Hashable, Sendable { case round, flat, square }
    /// The shape at a convex corner.
    public enum Join: Hashable, Sendable { case round, mitre, bevel }

    /// Segments used to approximate a quarter circle (GEOS "quadrant segments"); at least 1.
    public var quadrantSegments: Int
    public var cap: Cap
    public var join: Join
    /// For mitre joins: how far a corner may reach, as a multiple of the buffer distance.
    public var mitreLimit: Double
    /// Buffer one side of a line only: the left for a positive distance, the right for a negative one.
    public var singleSided: Bool

    public init(
        quadrantSegments: Int = 8, cap: Cap = .round, join: Join = .round,
        mitreLimit: Double = 5, singleSided: Bool = false
    ) {
        self.quadrantSegments = quadrantSegments
        self.cap = cap
        self.join = join
        self.mitreLimit = mitreLimit
        self.singleSided = singleSided
    }
}
