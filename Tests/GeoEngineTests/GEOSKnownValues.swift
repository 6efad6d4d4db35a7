// Known values computed independently with Shapely (its own bundled GEOS), by
// Tools/known-values/geos_values.py. Regenerate by running the script and pasting its output.
enum Shapely {
    // Shapely 2.2.0, GEOS 3.14.1
    static let shapes: [String: String] = [
        "square": "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))",
        "touching": "POLYGON ((4 0, 8 0, 8 4, 4 4, 4 0))",
        "inner": "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))",
        "overlapping": "POLYGON ((2 2, 6 2, 6 6, 2 6, 2 2))",
        "far": "POLYGON ((10 10, 11 10, 11 11, 10 11, 10 10))",
        "crossingLine": "LINESTRING (-1 2, 5 2)",
        "boundaryPoint": "POINT (4 2)",
        "innerPoint": "POINT (1.5 1.5)",
    ]
    // Predicates in the order intersects, disjoint, contains, within, covers, covered_by, touches, crosses, overlaps, equals; 1 = true.
    static let predicateMatrix: [String: String] = [
        "square square": "1011110001",
        "square touching": "1000001000",
        "square inner": "1010100000",
        "square overlapping": "1000000010",
        "square far": "0100000000",
        "square crossingLine": "1000000100",
        "square boundaryPoint": "1000101000",
        "square innerPoint": "1010100000",
        "touching square": "1000001000",
        "touching touching": "1011110001",
        "touching inner": "0100000000",
        "touching overlapping": "1000000010",
        "touching far": "0100000000",
        "touching crossingLine": "1000000100",
        "touching boundaryPoint": "1000101000",
        "touching innerPoint": "0100000000",
        "inner square": "1001010000",
        "inner touching": "0100000000",
        "inner inner": "1011110001",
        "inner overlapping": "1000001000",
        "inner far": "0100000000",
        "inner crossingLine": "1000001000",
        "inner boundaryPoint": "0100000000",
        "inner innerPoint": "1010100000",
        "overlapping square": "1000000010",
        "overlapping touching": "1000000010",
        "overlapping inner": "1000001000",
        "overlapping overlapping": "1011110001",
        "overlapping far": "0100000000",
        "overlapping crossingLine": "1000001000",
        "overlapping boundaryPoint": "1000101000",
        "overlapping innerPoint": "0100000000",
        "far square": "0100000000",
        "far touching": "0100000000",
        "far inner": "0100000000",
        "far overlapping": "0100000000",
        "far far": "1011110001",
        "far crossingLine": "0100000000",
        "far boundaryPoint": "0100000000",
        "far innerPoint": "0100000000",
        "crossingLine square": "1000000100",
        "crossingLine touching": "1000000100",
        "crossingLine inner": "1000001000",
        "crossingLine overlapping": "1000001000",
        "crossingLine far": "0100000000",
        "crossingLine crossingLine": "1011110001",
        "crossingLine boundaryPoint": "1010100000",
        "crossingLine innerPoint": "0100000000",
        "boundaryPoint square": "1000011000",
        "boundaryPoint touching": "1000011000",
        "boundaryPoint inner": "0100000000",
        "boundaryPoint overlapping": "1000011000",
        "boundaryPoint far": "0100000000",
        "boundaryPoint crossingLine": "1001010000",
        "boundaryPoint boundaryPoint": "1011110001",
        "boundaryPoint innerPoint": "0100000000",
        "innerPoint square": "1001010000",
        "innerPoint touching": "0100000000",
        "innerPoint inner": "1001010000",
        "innerPoint overlapping": "0100000000",
        "innerPoint far": "0100000000",
        "innerPoint crossingLine": "0100000000",
        "innerPoint boundaryPoint": "0100000000",
        "innerPoint innerPoint": "1011110001",
    ]
    static let touchingIntersectionArea = 0.0
    static let overlapIntersectionArea = 4.0
    static let overlapUnionArea = 28.0
    static let overlapDifferenceArea = 12.0
    static let overlapSymmetricDifferenceArea = 24.0
    static let squareToFarDistance = 8.48528137423857
    static let squareToFarNearest = ((4.0, 4.0), (10.0, 10.0))
    static let squareFarWithin8_4 = false
    static let squareFarWithin8_5 = true
    static let lineInsidePolygonDistance = 0.0
    static let lineInsidePolygonWithin1 = true
    static let subLineWithin1 = true
    static let unitCircleArea32 = 3.1403311569547543
    static let radius10CircleArea32 = 314.0331156954752
    static let lineBufferRound8Area = 23.121445152258055
    static let lineBufferFlatArea = 20.0
    static let lineBufferSquareArea = 24.0
    static let lineBufferLeftSideArea = 10.0
    static let squareBufferMitreArea = 36.0
    static let squareBufferBevelArea = 34.0
    static let squareBufferRound8Area = 35.12144515225805
    static let squareShrunkBy1Area = 4.0
    static let bowtieReason = "Self-intersection[1 1]"
    static let bowtieMadeValidType = "MultiPolygon"
    static let bowtieMadeValidParts = 2
    static let bowtieMadeValidArea = 2.0
    static let holeOutsideReason = "Hole lies outside shell[20 20]"
    static let nanReason = "Invalid Coordinate[nan 0]"
    static let infinityReason = "Invalid Coordinate[inf 0]"
    static let ellArea = 7.0
    static let ellCentroid = (1.3571428571428572, 1.3571428571428572)
    static let ellPointOnSurface = (0.5, 2.5)
    static let ellEnvelope = (0.0, 0.0, 4.0, 4.0)  // minX, minY, maxX, maxY
    static let pathLength = 11.0
    static let noisyLineSimplified: [(Double, Double)] = [(0.0, 0.0), (4.0, 0.0), (5.0, 3.0), (6.0, 0.0)]
}
