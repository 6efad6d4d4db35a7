import GeoModel
import Testing
import TestSupport
@testable import GeoEngine

@Suite("Packed R-tree")
struct IndexPackedRTreeTests {
    static let extent = BoundingBox(minX: 0, minY: 0, maxX: 1000, maxY: 1000)
    static let boxes = IndexFixtures.mixedBoxes(count: 3000, seed: 1, in: extent, smallSize: 15, largeSize: 200)
    static let extra = IndexFixtures.extraDistances(count: boxes.count, seed: 2, upTo: 30)

    /// The caller's exact distance in these tests: a point is measured by the index itself; any
    /// other item lies somewhere inside its box, `extra` beyond the box's nearest edge.
    static func exactDistance(from p: Coordinate) -> (Int) -> Double {
        { i in BruteForce.planarDistance(from: p, to: boxes[i]) + extra[i] }
    }

    static func itemDistance(from p: Coordinate) -> (Int) -> Double {
        { i in boxes[i].isPoint ? BruteForce.planarDistance(from: p, to: boxes[i]) : exactDistance(from: p)(i) }
    }

    static func queryPoints(seed: UInt64, count: Int) -> [Coordinate] {
        var random = SeededGenerator(seed: seed)
        var points = (0..<count).map { _ in Coordinate(x: random.uniform(-300, 1300), y: random.uniform(-300, 1300)) }
        points.append(Coordinate(x: boxes[10].minX, y: boxes[10].minY))  // exactly on an item
        points.append(Coordinate(x: 5000, y: -4000))                      // far outside
        return points
    }

    @Test("search finds exactly the boxes a brute-force scan finds", arguments: [2, 4, 16, 64])
    func searchMatchesBruteForce(nodeSize: Int) throws {
        let tree = try PackedRTree(boxes: Self.boxes, nodeSize: nodeSize)
        var random = SeededGenerator(seed: 3)
        for _ in 0..<300 {
            let x = random.uniform(-200, 1200), y = random.uniform(-200, 1200)
            let size: Double = [0, 1, 30, 300, 5000][random.below(5)]
            let query = BoundingBox(minX: x, minY: y, maxX: x + random.uniform(0, size), maxY: y + random.uniform(0, size))
            #expect(tree.search(query) == BruteForce.search(Self.boxes, query))
        }
    }

    @Test func searchVisitsEveryHitExactlyOnce() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        let query = BoundingBox(minX: 100, minY: 100, maxX: 600, maxY: 450)
        var visited: [Int] = []
        tree.search(query) { visited.append($0) }
        #expect(visited.count == Set(visited).count)
        #expect(visited.sorted() == BruteForce.search(Self.boxes, query))
    }

    @Test func searchTreatsTouchingEdgesAsIntersecting() throws {
        let tree = try PackedRTree(boxes: [BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)])
        #expect(tree.search(BoundingBox(minX: 1, minY: 1, maxX: 2, maxY: 2)) == [0])
        #expect(tree.search(BoundingBox(minX: 1.000001, minY: 0, maxX: 2, maxY: 1)) == [])
    }

    @Test("radius search equals a brute-force scan, nearest first", arguments: [0.0, 5, 40, 150, 1e9, .infinity])
    func radiusSearchMatchesBruteForce(radius: Double) throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        for q in Self.queryPoints(seed: 4, count: 60) {
            let found = try tree.neighbors(of: q, within: radius) { $0.map(Self.exactDistance(from: q)) }
            let expected = BruteForce.within(radius, count: Self.boxes.count, distance: Self.itemDistance(from: q))
            #expect(found == expected)
        }
    }

    @Test func radiusSearchAsksOnceForTheExactDistancesOfExactlyTheNonPointItemsInReach() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        let q = Coordinate(x: 500, y: 500)
        var batches: [[Int]] = []
        _ = try tree.neighbors(of: q, within: 40) { items in
            batches.append(items)
            return items.map(Self.exactDistance(from: q))
        }
        let inReach = Self.boxes.indices.filter { !Self.boxes[$0].isPoint && BruteForce.planarDistance(from: q, to: Self.boxes[$0]) <= 40 }
        #expect(batches.count == 1)
        #expect(batches.first?.sorted() == inReach)
    }

    @Test("k nearest equal a brute-force ranking, ties broken by index", arguments: [1, 3, 10, 64])
    func nearestMatchesBruteForce(k: Int) throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        for q in Self.queryPoints(seed: 5, count: 60) {
            let found = try tree.nearest(to: q, k: k, exactDistance: Self.exactDistance(from: q))
            #expect(found == BruteForce.nearest(k, count: Self.boxes.count, distance: Self.itemDistance(from: q)))
        }
    }

    @Test func nearestStopsAtMaxDistanceInclusive() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        for q in Self.queryPoints(seed: 6, count: 30) {
            let all = BruteForce.ranked(count: Self.boxes.count, distance: Self.itemDistance(from: q))
            let limit = all[7].distance  // an item sits exactly at the limit
            let found = try tree.nearest(to: q, k: 20, maxDistance: limit, exactDistance: Self.exactDistance(from: q))
            #expect(found == Array(all.filter { $0.distance <= limit }.prefix(20)))
            #expect(found.contains(all[7]))
        }
    }

    @Test func nearestMeasuresOnlyItemsNearTheAnswer() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        var asked = 0
        _ = try tree.nearest(to: Coordinate(x: 400, y: 700), k: 10) { i in
            asked += 1
            return Self.exactDistance(from: Coordinate(x: 400, y: 700))(i)
        }
        #expect(asked < Self.boxes.count / 20)
    }

    @Test func nearestReturnsEverythingWhenKExceedsCount() throws {
        let tree = try PackedRTree(boxes: Array(Self.boxes.prefix(40)))
        let q = Coordinate(x: 3, y: 3)
        let found = try tree.nearest(to: q, k: 100, exactDistance: Self.exactDistance(from: q))
        #expect(found == BruteForce.ranked(count: 40, distance: Self.itemDistance(from: q)))
    }

    @Test func withoutAnExactDistanceItemsAreMeasuredToTheirBoxes() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        for q in Self.queryPoints(seed: 7, count: 20) {
            let boxDistance = { (i: Int) in BruteForce.planarDistance(from: q, to: Self.boxes[i]) }
            #expect(try tree.neighbors(of: q, within: 60) == BruteForce.within(60, count: Self.boxes.count, distance: boxDistance))
            #expect(try tree.nearest(to: q, k: 12) == BruteForce.nearest(12, count: Self.boxes.count, distance: boxDistance))
        }
    }

    @Test func itemsLeftOutByTheFilterAreNeitherFoundNorCountedTowardsK() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        let isIncluded = { (i: Int) in i % 3 != 0 }
        for q in Self.queryPoints(seed: 9, count: 30) {
            let distance = Self.itemDistance(from: q)
            let included = { (i: Int) in isIncluded(i) ? distance(i) : .nan }
            let within = try tree.neighbors(of: q, within: 60, including: isIncluded) { $0.map(Self.exactDistance(from: q)) }
            #expect(within == BruteForce.within(60, count: Self.boxes.count, distance: included))
            let nearest = try tree.nearest(to: q, k: 12, including: isIncluded, exactDistance: Self.exactDistance(from: q))
            #expect(nearest == BruteForce.nearest(12, count: Self.boxes.count, distance: included))
        }
    }

    @Test func aLeftOutItemIsNeverMeasured() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        let q = Coordinate(x: 500, y: 500)
        var asked: Set<Int> = []
        let measure = { (i: Int) in
            asked.insert(i)
            return Self.exactDistance(from: q)(i)
        }
        _ = try tree.neighbors(of: q, within: 80, including: { $0 % 2 == 0 }) { $0.map(measure) }
        _ = try tree.nearest(to: q, k: 40, including: { $0 % 2 == 0 }, exactDistance: measure)
        #expect(!asked.isEmpty && asked.allSatisfy { $0 % 2 == 0 })
    }

    @Test func anExactDistanceOfNaNDropsTheItem() throws {
        let tree = try PackedRTree(boxes: [BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1), BoundingBox(minX: 2, minY: 2, maxX: 2, maxY: 2)])
        let q = Coordinate(x: 0, y: 0)
        #expect(try tree.neighbors(of: q, within: 10) { $0.map { _ in .nan } }.map(\.index) == [1])
        #expect(try tree.nearest(to: q, k: 2) { _ in .nan }.map(\.index) == [1])
    }

    @Test func equalPointsComeBackInIndexOrder() throws {
        let point = BoundingBox(minX: 7, minY: 7, maxX: 7, maxY: 7)
        let tree = try PackedRTree(boxes: Array(repeating: point, count: 1000))
        let q = Coordinate(x: 7, y: 7)
        #expect(tree.search(point) == Array(0..<1000))
        #expect(try tree.nearest(to: q, k: 3) == [0, 1, 2].map { Neighbor(index: $0, distance: 0) })
        #expect(try tree.neighbors(of: q, within: 0).map(\.index) == Array(0..<1000))
        #expect(try tree.neighbors(of: Coordinate(x: 7, y: 7.5), within: 0.4).isEmpty)
    }

    @Test func anEmptyTreeAnswersEveryQueryWithNothing() async throws {
        let empty = try PackedRTree(boxes: [])
        let other = try PackedRTree(boxes: Self.boxes)
        let q = Coordinate(x: 0, y: 0)
        #expect(empty.isEmpty && empty.extent == nil)
        #expect(empty.search(Self.extent).isEmpty)
        #expect(try empty.neighbors(of: q, within: .infinity).isEmpty)
        #expect(try empty.nearest(to: q, k: 5).isEmpty)
        #expect(try await empty.intersectingPairs(with: other, parts: 2).isEmpty)
        #expect(try await other.intersectingPairs(with: empty, parts: 2).isEmpty)
    }

    @Test func aOneItemTreeFindsItsItem() throws {
        let box = BoundingBox(minX: 10, minY: 20, maxX: 30, maxY: 40)
        let tree = try PackedRTree(boxes: [box])
        #expect(tree.extent == box)
        #expect(tree.search(BoundingBox(minX: 29, minY: 39, maxX: 50, maxY: 50)) == [0])
        #expect(tree.search(BoundingBox(minX: 31, minY: 0, maxX: 50, maxY: 50)).isEmpty)
        #expect(try tree.nearest(to: Coordinate(x: 0, y: 20), k: 1) == [Neighbor(index: 0, distance: 10)])
        #expect(try tree.neighbors(of: Coordinate(x: 33, y: 44), within: 5) == [Neighbor(index: 0, distance: 5)])
        #expect(try tree.neighbors(of: Coordinate(x: 33, y: 44), within: 4.99).isEmpty)
    }

    @Test("k of zero asks for nothing") func zeroNeighbours() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        #expect(try tree.nearest(to: Coordinate(x: 1, y: 1), k: 0).isEmpty)
    }

    @Test("join pairs equal a brute-force scan", arguments: [4, 16])
    func joinMatchesBruteForce(nodeSize: Int) throws {
        let a = IndexFixtures.mixedBoxes(count: 1500, seed: 8, in: Self.extent, smallSize: 25, largeSize: 120)
        let b = IndexFixtures.mixedBoxes(count: 1200, seed: 9, in: Self.extent, smallSize: 25, largeSize: 120)
        let tree = try PackedRTree(boxes: a, nodeSize: nodeSize)
        let other = try PackedRTree(boxes: b, nodeSize: 16)
        var pairs: [IndexPair] = []
        tree.intersectingPairs(with: other) { pairs.append(IndexPair($0, $1)) }
        #expect(pairs.count == Set(pairs).count)
        #expect(pairs.sorted() == BruteForce.pairs(a, b))
    }

    @Test("join slices are disjoint and together make the whole join", arguments: [1, 2, 3, 7, 5000])
    func joinPartitionsCoverTheJoin(parts: Int) async throws {
        let a = IndexFixtures.mixedBoxes(count: 900, seed: 10, in: Self.extent, smallSize: 30, largeSize: 150)
        let b = IndexFixtures.mixedBoxes(count: 800, seed: 11, in: Self.extent, smallSize: 30, largeSize: 150)
        let tree = try PackedRTree(boxes: a)
        let other = try PackedRTree(boxes: b)
        var pairs: [IndexPair] = []
        for part in 0..<parts {
            try tree.intersectingPairs(with: other, part: part, of: parts) { pairs.append(IndexPair($0, $1)) }
        }
        let expected = BruteForce.pairs(a, b)
        #expect(pairs.count == expected.count)
        #expect(pairs.sorted() == expected)
        let concurrent = try await tree.intersectingPairs(with: other, parts: parts)
        #expect(concurrent.sorted() == expected)
        #expect(try await tree.intersectingPairs(with: other, parts: parts) == concurrent)  // same order every run
    }

    @Test func buildRejectsNaNInfiniteAndInvertedBoxesNamingTheItem() {
        var boxes = Array(Self.boxes.prefix(10))
        for bad in [BoundingBox(minX: .nan, minY: 0, maxX: 1, maxY: 1),
                    BoundingBox(minX: 0, minY: 0, maxX: .infinity, maxY: 1),
                    BoundingBox(minX: 0, minY: 2, maxX: 1, maxY: 1)] {
            boxes[7] = bad
            #expect {
                try PackedRTree(boxes: boxes)
            } throws: { error in
                guard case SpatialIndexError.invalidBox(let index, _) = error else { return false }
                return index == 7
            }
        }
    }

    @Test func buildRejectsNodeSizesThatCannotFormATree() {
        #expect(throws: SpatialIndexError.invalidNodeSize(1)) { try PackedRTree(boxes: Self.boxes, nodeSize: 1) }
        #expect(throws: SpatialIndexError.invalidNodeSize(257)) { try PackedRTree(boxes: Self.boxes, nodeSize: 257) }
    }

    @Test func queriesRejectInvalidArguments() throws {
        let tree = try PackedRTree(boxes: Self.boxes)
        let nanPoint = Coordinate(x: .nan, y: 1)
        // NaN never equals itself, so match the case rather than the value.
        let isInvalidQueryPoint = { (error: any Error) in
            if case SpatialIndexError.invalidQueryPoint = error { true } else { false }
        }
        #expect { try tree.nearest(to: nanPoint, k: 1) } throws: { isInvalidQueryPoint($0) }
        #expect { try tree.neighbors(of: nanPoint, within: 1) } throws: { isInvalidQueryPoint($0) }
        let q = Coordinate(x: 1, y: 1)
        #expect(throws: SpatialIndexError.invalidDistance(-1)) { try tree.neighbors(of: q, within: -1) }
        #expect(throws: SpatialIndexError.self) { try tree.neighbors(of: q, within: .nan) }
        #expect(throws: SpatialIndexError.invalidNeighborCount(-2)) { try tree.nearest(to: q, k: -2) }
        #expect(throws: SpatialIndexError.invalidPartition(part: 2, parts: 2)) {
            try tree.intersectingPairs(with: tree, part: 2, of: 2) { _, _ in }
        }
        #expect(tree.search(BoundingBox(minX: .nan, minY: 0, maxX: 1000, maxY: 1000)).isEmpty)
    }

    @Test func errorsNameTheBadValue() {
        let message = SpatialIndexError.invalidBox(index: 42, box: BoundingBox(minX: .nan, minY: 0, maxX: 1, maxY: 1)).description
        #expect(message.contains("item 42") && message.contains("nan"))
    }

    @Test func everyNodeBoxHoldsItsChildrenAndEveryItemAppearsOnce() throws {
        let tree = try PackedRTree(boxes: Self.boxes, nodeSize: 8)
        #expect(tree.links.prefix(tree.count).map(Int.init).sorted() == Array(0..<Self.boxes.count))
        for level in 1..<tree.levelEnds.count {
            for node in tree.levelEnds[level - 1]..<tree.levelEnds[level] {
                let first = Int(tree.links[node])
                for child in first..<min(first + tree.nodeSize, tree.levelEnds[level - 1]) {
                    #expect(tree.boxes[node].contains(tree.boxes[child]))
                }
            }
        }
        #expect(tree.levelEnds.last.map { $0 - tree.levelEnds[tree.levelEnds.count - 2] } == 1)
    }

    @Test func aMillionItemsFitInUnderFortyMegabytes() throws {
        // Measured on 100 000 items and scaled: the footprint is linear in the item count.
        let boxes = IndexFixtures.mixedBoxes(count: 100_000, seed: 12, in: Self.extent, smallSize: 5, largeSize: 20)
        let tree = try PackedRTree(boxes: boxes)
        #expect(tree.memoryFootprint * 10 < 40_000_000)
    }

    @Test("sorting hits by distance matches a comparison sort", arguments: [0, 1, 33, 300, 5000])
    func hitSortingMatchesComparisonSort(count: Int) {
        var random = SeededGenerator(seed: UInt64(count) + 13)
        var hits = (0..<count).map { i in
            // Equal distances and zeros occur often.
            let distance: Double = switch random.below(10) {
            case 0: 5
            case 1: 0
            case 2: 7.25
            default: random.uniform(0, 500)
            }
            return Neighbor(index: random.below(1_000_000) * 8 + i % 8, distance: distance)
        }
        let expected = hits.sorted()
        hits.sortByDistance()
        #expect(hits == expected)
        for outlier in [1e300, .infinity] {
            var withOutlier = expected.shuffledBySeed(count) + [Neighbor(index: -1, distance: outlier)]
            withOutlier.sortByDistance()
            #expect(withOutlier == withOutlier.sorted())
        }
        var crowded = (0..<400).map { Neighbor(index: 400 - $0, distance: $0 < 390 ? 3 : 400) }
        crowded.sortByDistance()
        #expect(crowded == crowded.sorted())
    }

    @Test func storingItemsInStorageOrderMakesTreeOrderTheIdentity() throws {
        let order = try PackedRTree.storageOrder(of: Self.boxes)
        #expect(order.sorted() == Array(Self.boxes.indices))
        let tree = try PackedRTree(boxes: order.map { Self.boxes[$0] })
        #expect(tree.links.prefix(tree.count).map(Int.init) == Array(Self.boxes.indices))
        #expect(throws: SpatialIndexError.self) { try PackedRTree.storageOrder(of: [BoundingBox(minX: 1, minY: 0, maxX: 0, maxY: 0)]) }
        #expect(try PackedRTree.storageOrder(of: []).isEmpty)
    }

    @Test func theHilbertCurveVisitsNeighbouringCellsInTurn() {
        // The curve's first 4^6 cells fill the 64 × 64 corner square, one step apart each.
        var cells = [(x: Int, y: Int)?](repeating: nil, count: 4096)
        for x in 0..<64 {
            for y in 0..<64 {
                let d = Int(hilbertDistance(x: UInt32(x), y: UInt32(y)))
                #expect(d < 4096 && cells[d] == nil)
                if d < 4096 { cells[d] = (x, y) }
            }
        }
        for d in 1..<4096 {
            guard let a = cells[d - 1], let b = cells[d] else { Issue.record("cell \(d) unvisited"); continue }
            #expect(abs(a.x - b.x) + abs(a.y - b.y) == 1)
        }
    }
}
