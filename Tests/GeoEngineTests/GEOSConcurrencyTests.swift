import Testing
import TestSupport
import GeoEngine
import GeoModel

/// GEOS contexts are not thread-safe. Many tasks running GEOS at once must each get exactly the
/// answer a single task gets; a shared context would corrupt results or crash.
@Suite struct GEOSConcurrencyTests {
    static let taskCount = 64
    static let operationCount = 20_000
    static let polygons: [Geometry] = {
        var random = SeededGenerator(seed: 2021)
        return (0..<400).map { _ in
            RandomShapes.polygon(
                around: Coordinate(x: Double.random(in: 0...100, using: &random), y: Double.random(in: 0...100, using: &random)),
                radius: Double.random(in: 3...25, using: &random), vertices: Int.random(in: 3...20, using: &random),
                using: &random)
        }
    }()

    /// Operation `k` of the workload: a buffer, an intersection, a union or a distance test on
    /// polygons chosen by `k`, answered as a number.
    static func answer(_ k: Int) throws(GeometryError) -> Double {
        let a = polygons[k % polygons.count], b = polygons[(k * 7 + 3) % polygons.count]
        switch k % 4 {
        case 0: return try a.buffer(by: 1.5).area()
        case 1: return try a.intersection(b).area()
        case 2: return try a.union(b).area()
        default: return try a.isWithinDistance(b, distance: 10) ? try a.distance(to: b) : -1
        }
    }

    @Test func thousandsOfValueOperationsFromManyTasksMatchTheSequentialAnswers() async throws {
        let expected = try (0..<Self.operationCount).map { k in try Self.answer(k) }

        let concurrent = try await withThrowingTaskGroup(of: [(Int, Double)].self) { group in
            for task in 0..<Self.taskCount {
                group.addTask {
                    try stride(from: task, to: Self.operationCount, by: Self.taskCount).map { k in
                        (k, try Self.answer(k))
                    }
                }
            }
            var answers = [Double](repeating: .nan, count: Self.operationCount)
            for try await slice in group {
                for (k, value) in slice { answers[k] = value }
            }
            return answers
        }

        var mismatches = 0
        for k in 0..<Self.operationCount where concurrent[k] != expected[k] {
            mismatches += 1
            if mismatches <= 5 { Issue.record("operation \(k): \(concurrent[k]) concurrently, \(expected[k]) alone") }
        }
        #expect(mismatches == 0)
        #expect(expected.contains { $0 > 0 } && expected.contains { $0 == -1 }, "the workload exercises every branch")
    }

    /// The hot-path pattern: each task owns a context, converts its polygons once, prepares them
    /// and tests many candidates.
    @Test func eachTaskWithItsOwnContextAndPreparedGeometriesMatchesTheSequentialAnswers() async throws {
        let pairsPerTask = 400
        func pairs(for task: Int) -> [(Int, Int)] {
            (0..<pairsPerTask).map { n in ((task * 13 + n / 20) % Self.polygons.count, (task * 31 + n * 17) % Self.polygons.count) }
        }
        func answers(for task: Int) throws(GeometryError) -> [Bool] {
            let context = try GEOSContext()
            var prepared: [Int: PreparedGeometry] = [:]
            var converted: [Int: GEOSGeometry] = [:]
            var results: [Bool] = []
            for (i, j) in pairs(for: task) {
                if prepared[i] == nil { prepared[i] = try PreparedGeometry(GEOSGeometry(Self.polygons[i], in: context)) }
                if converted[j] == nil { converted[j] = try GEOSGeometry(Self.polygons[j], in: context) }
                let subject = prepared[i]!, candidate = converted[j]!
                results.append(try subject.intersects(candidate))
                results.append(try subject.isWithinDistance(candidate, distance: 5))
                results.append(try subject.contains(candidate))
            }
            return results
        }
        let expected = try (0..<Self.taskCount).map { task in
            try pairs(for: task).flatMap { (i, j) in
                let a = Self.polygons[i], b = Self.polygons[j]
                return [try a.intersects(b), try a.isWithinDistance(b, distance: 5), try a.contains(b)]
            }
        }

        let concurrent = try await withThrowingTaskGroup(of: (Int, [Bool]).self) { group in
            for task in 0..<Self.taskCount {
                group.addTask { (task, try answers(for: task)) }
            }
            var byTask: [Int: [Bool]] = [:]
            for try await (task, results) in group { byTask[task] = results }
            return byTask
        }

        for task in 0..<Self.taskCount {
            #expect(concurrent[task] == expected[task], "task \(task)")
        }
        let all = expected.joined()
        #expect(all.contains(true) && all.contains(false))
    }
}
