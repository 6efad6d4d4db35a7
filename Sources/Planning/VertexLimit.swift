/// The most vertices a geometry may bring in: an HTTP write, a candidate for /overlaps, an import.
/// GEOS's validity check and overlays take time that grows with the vertex count, so one geometry
/// of a million vertices could keep a core busy for minutes; the HTTP body-size limit alone still
/// lets 800,000 through.
public struct VertexLimit: Hashable, Sendable {
    /// Far above any planned zone or line (the built-in data's largest has 593 vertices), and
    /// quick for GEOS.
    public static let standard = VertexLimit(maximum: 100_000)

    public var maximum: Int

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Throws `.tooManyVertices` when `what` (`the geometry`, `the request body`) has more than
    /// `maximum` vertices.
    public func check(vertexCount: Int, of what: String) throws(PlanningError) {
        if vertexCount > maximum { throw .tooManyVertices(what: what, count: vertexCount, maximum: maximum) }
    }
}
