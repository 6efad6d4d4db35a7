extension PackedRTree {
    /// Calls `visit(i, j)` once for every item `i` of this tree and `j` of `other` whose boxes
    /// intersect (edges included): the candidate pairs of an overlay, before any exact test.
    public func intersectingPairs(with other: PackedRTree, _ visit: (Int, Int) -> Void) {
        joinLeafNodes(0..<leafNodeCount, with: other, visit)
    }

    /// One of `parts` disjoint slices of `intersectingPairs(with:_:)`: together the slices
    /// `0..<parts` visit every pair exactly once. Slices are runs of this tree's leaf nodes, so
    /// each covers a compact stretch of the Hilbert curve; run them on separate threads with
    /// one `visit` per thread.
    public func intersectingPairs(
        with other: PackedRTree, part: Int, of parts: Int, _ visit: (Int, Int) -> Void
    ) throws(SpatialIndexError) {
        guard parts > 0, (0..<parts).contains(part) else { throw .invalidPartition(part: part, parts: parts) }
        joinLeafNodes(leafNodes(part: part, of: parts), with: other, visit)
    }

    /// Every intersecting pair, computed in `parts` slices on concurrent tasks. Pairs come slice
    /// by slice, each slice in this tree's Hilbert order: deterministic for given trees and
    /// `parts`, but not sorted (sorting would cost more than the join; sort if you need to).
    public func intersectingPairs(with other: PackedRTree, parts: Int) async throws(SpatialIndexError) -> [IndexPair] {
        guard parts > 0 else { throw .invalidPartition(part: 0, parts: parts) }
        let slices = await withTaskGroup(of: (Int, [IndexPair]).self) { group in
            for part in 0..<parts {
                group.addTask {
                    var pairs: [IndexPair] = []
                    self.joinLeafNodes(self.leafNodes(part: part, of: parts), with: other) { pairs.append(IndexPair($0, $1)) }
                    return (part, pairs)
                }
            }
            var slices = [[IndexPair]](repeating: [], count: parts)
            for await (part, pairs) in group { slices[part] = pairs }
            return slices
        }
        return Array(slices.joined())
    }

    private var leafNodeCount: Int { count == 0 ? 0 : levelEnds[1] - levelEnds[0] }

    private func leafNodes(part: Int, of parts: Int) -> Range<Int> {
        (leafNodeCount * part / parts)..<(leafNodeCount * (part + 1) / parts)
    }

    /// For each of this tree's leaf nodes (numbered from 0) in `leafNodes`: find the items of
    /// `other` that meet the node's box, then test each against the node's items. One descent of
    /// `other` serves a whole node of neighbouring items.
    private func joinLeafNodes(_ leafNodes: Range<Int>, with other: PackedRTree, _ visit: (Int, Int) -> Void) {
        guard !leafNodes.isEmpty, !other.isEmpty else { return }
        boxes.withUnsafeBufferPointer { boxes in
            links.withUnsafeBufferPointer { links in
                other.links.withUnsafeBufferPointer { otherLinks in
                    for node in leafNodes {
                        let nodePosition = levelEnds[0] + node
                        let nodeBox = boxes[nodePosition]
                        let first = Int(links[nodePosition])
                        let end = Swift.min(first + nodeSize, levelEnds[0])
                        other.forEachCandidate(descendInto: { $0.overlaps(nodeBox) }) { otherPosition, otherBox in
                            guard otherBox.overlaps(nodeBox) else { return }
                            let otherIndex = Int(otherLinks[otherPosition])
                            for position in first..<end where boxes[position].overlaps(otherBox) {
                                visit(Int(links[position]), otherIndex)
                            }
                        }
                    }
                }
            }
        }
    }
}
