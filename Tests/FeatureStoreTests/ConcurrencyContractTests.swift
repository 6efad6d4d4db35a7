import Dispatch
import Testing
@testable import FeatureStore
import GeoModel

/// Readers during writes, and writers racing each other.
@Suite struct ConcurrencyContractTests {
    @Test(arguments: StoreKind.underTest)
    func readersKeepWorkingAndSeeTheLastCommitWhileABatchIsBeingWritten(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("before", point(123.4, 41.8)), into: "sites")
            // The batch stops half-way, inside its transaction, until the reads below are done:
            // no timing is involved.
            let halfWay = DispatchSemaphore(value: 0)
            let resume = DispatchSemaphore(value: 0)
            async let written = store.insert(contentsOf: generatedPoints(6000), into: "sites",
                                             options: WriteOptions(progressInterval: 3000)) { count in
                if count == 3000 {
                    halfWay.signal()
                    resume.wait()
                }
            }
            await waitOffThePool(halfWay)
            #expect(try await store.count(FeatureQuery(layers: ["sites"])) == 1)
            #expect(try await store.feature(.string("before"), in: "sites") != nil)
            #expect(try await store.feature(.string("p0"), in: "sites") == nil)
            #expect(try await store.layers().map(\.featureCount) == [1])
            let near = try await store.query(FeatureQuery(near: NearFilter(center: c(123.4, 41.8), radiusMetres: 100)))
            #expect(near.matches.map(\.feature.id) == [.string("before")])
            resume.signal()
            #expect(try await written.inserted == 6000)
            #expect(try await store.count(FeatureQuery(layers: ["sites"])) == 6001)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func ofTwoWritersHoldingTheSameVersionExactlyOneWins(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let version = try await store.insert(feature("a", point(123.4, 41.8), ["by": "nobody"]), into: "sites")
            let outcomes = await withTaskGroup(of: Result<Int64, StoreError>.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do throws(StoreError) {
                            return .success(try await store.replace(
                                feature("a", point(123.4, 41.8), ["by": .integer(Int64(writer))]), in: "sites",
                                expectedVersion: version))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in outcomes {
                guard case .versionMismatch(_, let expected, let actual) = error else {
                    Issue.record("expected versionMismatch, got \(error)")
                    continue
                }
                #expect(expected == version && actual == winners.first)
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func concurrentBatchesToDifferentLayersAllLand(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for i in 0..<4 {
                try await store.createLayer(LayerInfo(id: "l\(i)", titleZH: "", titleEN: "", geometryType: .point))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<4 {
                    group.addTask { try await store.insert(contentsOf: generatedPoints(500, prefix: "l\(i)-"), into: "l\(i)") }
                }
                try await group.waitForAll()
            }
            #expect(try await store.layers().map(\.featureCount) == [500, 500, 500, 500])
        }
    }
}

/// Waits for a semaphore on a dispatch thread, leaving the cooperative pool free.
func waitOffThePool(_ semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().async {
            semaphore.wait()
            continuation.resume()
        }
    }
}
