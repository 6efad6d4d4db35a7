public import GeoModel

extension PackedRTree {
    /// Calls `visit` with the index of every item whose box intersects `box` (edges included), in
    /// tree order. A box with a NaN coordinate intersects nothing.
    public func search(_ box: BoundingBox, _ visit: (Int) -> Void) {
        links.withUnsafeBufferPointer { links in
            forEachCandidate(descendInto: { $0.overlaps(box) }) { position, itemBox in
                if itemBox.overlaps(box) { visit(Int(links[position])) }
            }
        }
    }

    /// Indices of the items whose boxes intersect `box`, ascending.
    public func search(_ box: BoundingBox) -> [Int] {
        var found: [Int] = []
        search(box) { found.append($0) }
        found.sort()
        return found
    }
}
