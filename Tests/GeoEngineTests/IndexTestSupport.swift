import GeoModel
import TestSupport
@testable import GeoEngine


enum IndexFixtures {
    /// A mix like a planning layer's: mostly points, some small boxes, a few large ones, some
    /// exact duplicates (so distance ties happen) and a dense cluster, in `extent`.
    static func mixedBoxes(count: Int, seed: UInt64, in extent: BoundingBox, smallSize: Double, largeSize: Double) -> [BoundingBox] {
        var random = SeededGenerator(seed: seed)
        var boxes: [BoundingBox] = []
        boxes.reserveCapacity(count)
        let clusterX = random.uniform(extent.minX, extent.maxX)
        let clusterY = random.uniform(extent.minY, extent.maxY)
        for _ in 0..<count {
            let kind = random.below(100)
            if kind < 5, let earlier = boxes.isEmpty ? nil : boxes[random.below(boxes.count)] {
                boxes.append(earlier)
                continue
            }
            let inCluster = kind < 15
            let x = inCluster ? clusterX + random.uniform(-smallSize, smallSize) : random.uniform(extent.minX, extent.maxX)
            let y = inCluster ? clusterY + random.uniform(-smallSize, smallSize) : random.uniform(extent.minY, extent.maxY)
            let size = kind < 70 ? 0 : (kind < 97 ? smallSize : largeSize)
            boxes.append(BoundingBox(minX: x, minY: y, maxX: x + random.uniform(0, size), maxY: y + random.uniform(0, size)))
        }
        return boxes
    }

    /// A per-item extra distance standing in for "the item lies somewhere inside its box": a
    /// caller's exact distance to a line or polygon is its box distance plus something ≥ 0.
    static func extraDistances(count: Int, seed: UInt64, upTo limit: Double) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in random.below(4) == 0 ? 0 : random.uniform(0, limit) }
    }
}

extension Array {
    /// A deterministic shuffle (Fisher–Yates driven by SeededGenerator).
    func shuffledBySeed(_ seed: Int) -> [Element] {
        var random = SeededGenerator(seed: UInt64(seed))
        var copy = self
        for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, random.below(i + 1)) }
        return copy
    }
}

enum BruteForce {
    static func search(_ boxes: [BoundingBox], _ query: BoundingBox) -> [Int] {
        boxes.indices.filter { boxes[$0].intersects(query) }
    }

    static func planarDistance(from p: Coordinate, to b: BoundingBox) -> Double {
        let dx = max(max(b.minX - p.x, p.x - b.maxX), 0)
        let dy = max(max(b.minY - p.y, p.y - b.maxY), 0)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Every item with its distance, nearest first, ties by index, NaN distances dropped.
    static func ranked(count: Int, distance: (Int) -> Double) -> [Neighbor] {
        (0..<count).map { Neighbor(index: $0, distance: distance($0)) }
            .filter { !$0.distance.isNaN }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
    }

    static func within(_ radius: Double, count: Int, distance: (Int) -> Double) -> [Neighbor] {
        ranked(count: count, distance: distance).filter { $0.distance <= radius }
    }

    static func nearest(_ k: Int, maxDistance: Double = .infinity, count: Int, distance: (Int) -> Double) -> [Neighbor] {
        Array(ranked(count: count, distance: distance).filter { $0.distance <= maxDistance }.prefix(k))
    }

    static func pairs(_ a: [BoundingBox], _ b: [BoundingBox]) -> [IndexPair] {
        var pairs: [IndexPair] = []
        for i in a.indices { for j in b.indices where a[i].intersects(b[j]) { pairs.append(IndexPair(i, j)) } }
        return pairs
    }
}
