import GeoModel
import Testing
@testable import GeoEngine

@Suite struct ProjectionConcurrencyTests {
    static let pairs: [CoordinateTransform] = [
        CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E),
        CoordinateTransform(from: .wgs84, to: .utm51N),
        CoordinateTransform(from: .wgs84, to: .webMercator),
        CoordinateTransform(from: .wgs84, to: .gcj02),
        CoordinateTransform(from: .cgcs2000GK123E, to: .wgs84),
        CoordinateTransform(from: .gcj02, to: .cgcs2000GK120E),
    ]

    /// The input of task `task`: 1000 points spread over Shenyang, in the transform's source system.
    static func inputs(task: Int) throws -> (CoordinateTransform, [Coordinate]) {
        let transform = pairs[task % pairs.count]
        let offset = Double(task) * 1e-4
        var points = (0..<1000).map { (i: Int) -> Coordinate in
            let lon: Double = 123.0 + Double(i % 40) * 0.02 + offset
            let lat: Double = 41.5 + Double(i / 40) * 0.02
            return Coordinate(lon: lon, lat: lat)
        }
        if transform.source != .wgs84 {
            try CoordinateTransform(from: .wgs84, to: transform.source).transform(&points)
        }
        return (transform, points)
    }

    @Test func sixtyFourTasksTransformingAtOnceGetTheSequentialResults() async throws {
        let taskCount = 64
        var sequential: [[Coordinate]] = []
        for task in 0..<taskCount {
            let (transform, points) = try Self.inputs(task: task)
            sequential.append(try points.map { c throws(ProjectionError) in try transform.transform(c) })
        }

        let concurrent = try await withThrowingTaskGroup(of: (Int, [Coordinate]).self) { group in
            for task in 0..<taskCount {
                group.addTask {
                    let (transform, points) = try Self.inputs(task: task)
                    // One point per call, so that tasks contend for PROJ contexts a thousand times each.
                    return (task, try points.map { c throws(ProjectionError) in try transform.transform(c) })
                }
            }
            var results = [[Coordinate]](repeating: [], count: taskCount)
            for try await (task, output) in group { results[task] = output }
            return results
        }
        #expect(concurrent == sequential)
    }

    @Test func aSessionCreatesEachOperationOnceAndReusesIt() throws {
        let pool = ProjSessionPool(slotCount: 1)
        let pairs = [CRSPair(from: .wgs84, to: .cgcs2000GK123E), CRSPair(from: .wgs84, to: .utm51N),
                     CRSPair(from: .cgcs2000GK123E, to: .wgs84)]
        for i in 0..<300 {
            let pair = pairs[i % pairs.count]
            let input = [Coordinate(lon: 123.4 + Double(i) * 1e-4, lat: 41.8)]
            let source = pair.from == .wgs84 ? input : [Coordinate(x: 537459 + Double(i), y: 4629098)]
            _ = try pool.withSession { session throws(ProjectionError) in try session.transform(source, pair) }
        }
        let statistics = pool.statistics()
        #expect(statistics.sessions == 1)
        #expect(statistics.operationsCreated == pairs.count)
    }

    @Test func oneCallerAfterAnotherKeepsUsingOneSession() throws {
        // Each session costs proj.db lookups to create: calls that never overlap must not make more.
        let pool = ProjSessionPool(slotCount: 16)
        let pair = CRSPair(from: .wgs84, to: .cgcs2000GK123E)
        for i in 0..<100 {
            let point = [Coordinate(lon: 123.4, lat: 41.8 + Double(i) * 1e-3)]
            _ = try pool.withSession { session throws(ProjectionError) in try session.transform(point, pair) }
        }
        let statistics = pool.statistics()
        #expect(statistics.sessions == 1)
        #expect(statistics.operationsCreated == 1)
    }

    @Test func concurrentCallersNeverUseMoreSessionsThanSlots() async throws {
        let pool = ProjSessionPool(slotCount: 3)
        let pair = CRSPair(from: .wgs84, to: .cgcs2000GK123E)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    for i in 0..<200 {
                        let point = [Coordinate(lon: 123 + Double(task) * 0.01, lat: 41.5 + Double(i) * 1e-3)]
                        let result = try pool.withSession { session throws(ProjectionError) in try session.transform(point, pair) }
                        if case .failure(_, let reason) = result { Issue.record("transform failed: \(reason)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let statistics = pool.statistics()
        #expect((1...3).contains(statistics.sessions))
        #expect(statistics.operationsCreated == statistics.sessions)
    }
}
