/// An area in square metres with the units planners report it in. 1 mu (亩) = 10000/15 m².
public struct Area: Hashable, Sendable, Comparable {
    public static let squareMetresPerMu = 10_000.0 / 15.0
    public static let squareMetresPerHectare = 10_000.0

    public var squareMetres: Double
    public init(squareMetres: Double) { self.squareMetres = squareMetres }
    public init(mu: Double) { self.squareMetres = mu * Area.squareMetresPerMu }

    public var hectares: Double { squareMetres / Area.squareMetresPerHectare }
    public var mu: Double { squareMetres / Area.squareMetresPerMu }

    public static func < (a: Area, b: Area) -> Bool { a.squareMetres < b.squareMetres }
    public static func + (a: Area, b: Area) -> Area { Area(squareMetres: a.squareMetres + b.squareMetres) }
}
