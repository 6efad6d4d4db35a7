import Testing
@testable import GeoEngine
