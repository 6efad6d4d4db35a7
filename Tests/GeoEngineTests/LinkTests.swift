import Testing
import GeoEngine

@Suite struct LinkTests {
    /// copyFromBuffer / copyToBuffer and prepared distance-within, which the GEOS layer relies
    /// on, arrived in GEOS 3.10.
    @Test func linkedGEOSIsAtLeast3_10() throws {
        let version = GEOSContext.libraryVersion
        let numbers = version.split(separator: "-")[0].split(separator: ".").compactMap { Int($0) }
        #expect(numbers.count >= 2, "unexpected version string \(version)")
        #expect(numbers.lexicographicallyPrecedes([3, 10]) == false, "GEOS \(version) is older than 3.10")
    }
}
