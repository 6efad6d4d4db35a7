/// One item found by a distance query: its index in the input and its distance from the query point.
public struct Neighbor: Hashable, Comparable, Sendable {
    public var index: Int
    public var distance: Double

    public init(index: Int, distance: Double) {
        self.index = index
        self.distance = distance
    }

    /// Nearest first; equal distances in index order, so answers are deterministic.
    public static func < (a: Neighbor, b: Neighbor) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.index < b.index)
    }
}

/// One pair found by a join: `first` indexes the receiving tree, `second` the other tree.
public struct IndexPair: Hashable, Comparable, Sendable {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    public static func < (a: IndexPair, b: IndexPair) -> Bool {
        (a.first, a.second) < (b.first, b.second)
    }
}
