import Testing
@testable import GeoEngine

@Suite struct ProjectionSetupTests {
    @Test func aMissingProjDatabaseIsAnErrorThatSaysSo() throws {
        let pool = ProjSessionPool(slotCount: 1, searchPaths: ["/nonexistent/proj"])
        let pair = CRSPair(from: .wgs84, to: .cgcs2000GK123E)
        let error = #expect(throws: ProjectionError.self) {
            _ = try pool.withSession { session throws(ProjectionError) in
                try session.transform([KnownValues.mukdenPalace], pair)
            }
        }
        guard case .transformUnavailable(.wgs84, .cgcs2000GK123E, let reason) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(reason.contains("proj.db"))
    }
}
