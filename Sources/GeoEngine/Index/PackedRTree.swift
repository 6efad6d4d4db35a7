public import GeoModel

/// An immutable packed R-tree over axis-aligned boxes, built once in O(n log n), queried by any
/// number of threads at once. Queries answer with item indices: positions in the array of boxes
/// the tree was built from (Shapely's STRtree convention).
///
/// Items are sorted along a Hilbert curve through their box centres and packed `nodeSize` to a
/// node, level by level up to a single root, so every node except the last of each level is full
/// and the tree has the least possible height.
///
/// Storage is three flat arrays and no per-node objects:
/// - `boxes`: the items' boxes in curve order (positions `0..<count`), then each level of nodes.
/// - `links`: for an item position, the item's index in the input; for a node, the position of
///   its first child. A node's children are the next `nodeSize` positions of the level below.
/// - `levelEnds`: where each level stops (level 0 is the items).
///
/// Boxes are kept as Float64. Float32 with outward rounding would save about 17 MB per million
/// items, but its answers would only be candidates needing a second, Float64 check; at about
/// 38 MB per million items (see `memoryFootprint`) exact storage is well inside the budget.
public struct PackedRTree: Sendable {
    /// The most items one tree can hold: positions are stored as 32-bit integers.
    public static let maximumCount = 1 << 30
    /// Sixteen children fill eight 64-byte cache lines per node and keep a million-item tree
    /// five levels deep.
    public static let defaultNodeSize = 16

    /// Number of items.
    public let count: Int
    /// Children per node.
    public let nodeSize: Int
    /// The box around every item, or nil when the tree is empty.
    public let extent: BoundingBox?

    let boxes: [BoundingBox]
    let links: [Int32]
    let levelEnds: [Int]

    /// Builds the tree. Rejects, rather than silently mis-sorting, any box with a NaN or infinite
    /// coordinate or with a minimum above its maximum. A point is a box with min == max.
    public init(boxes input: [BoundingBox], nodeSize: Int = defaultNodeSize) throws(SpatialIndexError) {
        guard (2...256).contains(nodeSize) else { throw .invalidNodeSize(nodeSize) }
        guard input.count <= Self.maximumCount else { throw .tooManyItems(count: input.count) }
        for (index, box) in input.enumerated() where !Self.isValid(box) {
            throw .invalidBox(index: index, box: box)
        }
        self.count = input.count
        self.nodeSize = nodeSize
        guard let extent = input.first.map({ input.dropFirst().reduce($0) { $0.union($1) } }) else {
            self.extent = nil
            self.boxes = []
            self.links = []
            self.levelEnds = [0]
            return
        }
        self.extent = extent

        let order = Self.curveOrder(of: input, in: extent)
        var boxes: [BoundingBox] = []
        var links: [Int32] = []
        let estimatedTotal = input.count + input.count / (nodeSize - 1) + 8
        boxes.reserveCapacity(estimatedTotal)
        links.reserveCapacity(estimatedTotal)
        for index in order {
            boxes.append(input[index])
            links.append(Int32(index))
        }

        var levelEnds = [input.count]
        var levelStart = 0
        repeat {
            let levelEnd = boxes.count
            var first = levelStart
            while first < levelEnd {
                let end = min(first + nodeSize, levelEnd)
                var box = boxes[first]
                for child in (first + 1)..<end { box = box.union(boxes[child]) }
                boxes.append(box)
                links.append(Int32(first))
                first = end
            }
            levelStart = levelEnd
            levelEnds.append(boxes.count)
        } while boxes.count - levelStart > 1

        self.boxes = boxes
        self.links = links
        self.levelEnds = levelEnds
    }

    public var isEmpty: Bool { count == 0 }

    /// Bytes held by the tree's arrays (boxes and links), for memory budgets and reports.
    public var memoryFootprint: Int {
        boxes.capacity * MemoryLayout<BoundingBox>.stride + links.capacity * MemoryLayout<Int32>.stride
    }

    static func isValid(_ b: BoundingBox) -> Bool {
        b.minX.isFinite && b.minY.isFinite && b.maxX.isFinite && b.maxY.isFinite
            && b.minX <= b.maxX && b.minY <= b.maxY
    }

    /// The order in which a tree built from `boxes` stores its items (input indices, by Hilbert
    /// curve position). A caller that stores its own items (geometries, features) in this order
    /// and then builds the tree from the reordered boxes gets a tree whose item indices are its
    /// storage positions, in curve order: the items one query touches then sit close together
    /// in memory, which at a million items saves a cache miss per measured item.
    public static func storageOrder(of boxes: [BoundingBox]) throws(SpatialIndexError) -> [Int] {
        for (index, box) in boxes.enumerated() where !isValid(box) { throw .invalidBox(index: index, box: box) }
        guard let extent = boxes.first.map({ boxes.dropFirst().reduce($0) { $0.union($1) } }) else { return [] }
        return curveOrder(of: boxes, in: extent)
    }

    /// Input indices sorted by the Hilbert-curve position of each box's centre on a 65536 × 65536
    /// grid over `extent`. Sorting one 64-bit key per item (curve position above, index below)
    /// keeps the sort fast and makes equal positions fall back to input order.
    private static func curveOrder(of input: [BoundingBox], in extent: BoundingBox) -> [Int] {
        let cells = 65535.0
        let scaleX = extent.maxX > extent.minX ? cells / (extent.maxX - extent.minX) : 0
        let scaleY = extent.maxY > extent.minY ? cells / (extent.maxY - extent.minY) : 0
        func cell(_ v: Double) -> UInt32 {
            // Written so that an overflowing (infinite or NaN) product lands on the grid's edge.
            v >= 1 ? (v < cells ? UInt32(v) : UInt32(cells)) : 0
        }
        var keys = [UInt64](repeating: 0, count: input.count)
        for (index, box) in input.enumerated() {
            let x = cell((box.minX / 2 + box.maxX / 2 - extent.minX) * scaleX)
            let y = cell((box.minY / 2 + box.maxY / 2 - extent.minY) * scaleY)
            keys[index] = UInt64(hilbertDistance(x: x, y: y)) << 32 | UInt64(index)
        }
        keys.sort()
        return keys.map { Int($0 & 0xFFFF_FFFF) }
    }
}

extension PackedRTree {
    /// Level and position of a node packed into one Int, for traversal stacks and queues.
    static let positionBits = 40
    static let positionMask = (1 << positionBits) - 1

    /// The tree's three arrays as buffers, for inner loops without bounds checks or retains.
    @inline(__always)
    func withTreeBuffers<Result>(
        _ body: (UnsafeBufferPointer<BoundingBox>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int>) -> Result
    ) -> Result {
        boxes.withUnsafeBufferPointer { boxes in
            links.withUnsafeBufferPointer { links in
                levelEnds.withUnsafeBufferPointer { levelEnds in body(boxes, links, levelEnds) }
            }
        }
    }

    /// Depth-first walk over the nodes whose boxes satisfy `descendInto`, handing every item of
    /// every accepted leaf node to `visitCandidate` as (position, box). Items are not filtered:
    /// the caller tests them, usually with a sharper test than the one for nodes.
    @inline(__always)
    func forEachCandidate(
        descendInto: (BoundingBox) -> Bool,
        _ visitCandidate: (_ position: Int, _ box: BoundingBox) -> Void
    ) {
        boxes.withUnsafeBufferPointer { boxes in
            forEachLeaf(descendInto: descendInto) { leaf in
                for position in leaf { visitCandidate(position, boxes[position]) }
            }
        }
    }

    /// Depth-first walk over the nodes whose boxes satisfy `descendInto`, handing the item
    /// positions of every accepted leaf node to `visitLeaf`.
    ///
    /// Inlined into each query so the closures become straight-line code.
    @inline(__always)
    func forEachLeaf(descendInto: (BoundingBox) -> Bool, _ visitLeaf: (_ positions: Range<Int>) -> Void) {
        guard count > 0 else { return }
        let rootLevel = levelEnds.count - 1
        let rootPosition = boxes.count - 1
        withTreeBuffers { boxes, links, levelEnds in
            guard descendInto(boxes[rootPosition]) else { return }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: nodeSize * rootLevel + 1) { stack in
                stack[0] = rootLevel << Self.positionBits | rootPosition
                var depth = 1
                while depth > 0 {
                    depth -= 1
                    let entry = stack[depth]
                    let level = entry >> Self.positionBits
                    let first = Int(links[entry & Self.positionMask])
                    let end = min(first + nodeSize, levelEnds[level - 1])
                    if level == 1 {
                        visitLeaf(first..<end)
                    } else {
                        let childTag = (level - 1) << Self.positionBits
                        for position in first..<end where descendInto(boxes[position]) {
                            stack[depth] = childTag | position
                            depth += 1
                        }
                    }
                }
            }
        }
    }
}

extension BoundingBox {
    /// Box overlap, closed on every side (touching boxes intersect), written out so that the
    /// inner loops inline it.
    @inline(__always)
    func overlaps(_ o: BoundingBox) -> Bool {
        (minX <= o.maxX) && (o.minX <= maxX) && (minY <= o.maxY) && (o.minY <= maxY)
    }

    /// Squared planar distance from (x, y) to the nearest point of the box; 0 inside it. For a
    /// point (min == max) this is the exact squared distance (x − px)² + (y − py)².
    @inline(__always)
    func squaredDistance(x: Double, y: Double) -> Double {
        let dx = Swift.max(Swift.max(minX - x, x - maxX), 0)
        let dy = Swift.max(Swift.max(minY - y, y - maxY), 0)
        return dx * dx + dy * dy
    }

    var isPoint: Bool { minX == maxX && minY == maxY }
}
