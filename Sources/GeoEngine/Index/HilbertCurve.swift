/// Distance along the Hilbert curve that visits every cell of the 65536 × 65536 grid, starting at
/// cell (0, 0). Cells that are close along the curve are close in the plane, which is why sorting
/// boxes by the curve position of their centres packs neighbouring boxes into the same tree node.
///
/// The walk goes from the coarsest quadrant to the finest: at each scale it adds how many cells
/// the quadrants before this one hold, then rotates (and mirrors) the remaining coordinates into
/// that quadrant's orientation.
func hilbertDistance(x: UInt32, y: UInt32) -> UInt32 {
    let side: UInt32 = 1 << 16
    var x = x & (side - 1)
    var y = y & (side - 1)
    var distance: UInt32 = 0
    var scale = side >> 1
    while scale > 0 {
        let right: UInt32 = (x & scale) != 0 ? 1 : 0
        let upper: UInt32 = (y & scale) != 0 ? 1 : 0
        distance &+= scale &* scale &* ((3 &* right) ^ upper)
        if upper == 0 {
            if right == 1 {
                x = side - 1 - x
                y = side - 1 - y
            }
            swap(&x, &y)
        }
        scale >>= 1
    }
    return distance
}
