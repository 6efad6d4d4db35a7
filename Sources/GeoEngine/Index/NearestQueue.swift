/// The priority queue of best-first nearest-neighbour search: a binary min-heap of (key, code)
/// ordered by key, then code. Codes say what an entry is (see `PackedRTree.collectNearest`);
/// ordering ties by code makes the search deterministic.
struct NearestQueue {
    struct Entry {
        var key: Double
        var code: Int

        @inline(__always)
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            a.key < b.key || (a.key == b.key && a.code < b.code)
        }
    }

    private var heap: ContiguousArray<Entry> = []

    init(capacity: Int) {
        heap.reserveCapacity(capacity)
    }

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(key: Double, code: Int) {
        heap.append(Entry(key: key, code: code))
        heap.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            let entry = heap[child]
            while child > 0 {
                let parent = (child - 1) / 2
                guard Entry.precedes(entry, heap[parent]) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = entry
        }
    }

    mutating func popMin() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        return heap.withUnsafeMutableBufferPointer { heap in
            let minimum = heap[0]
            // Sift the former last entry down from the root.
            var parent = 0
            let count = heap.count
            while true {
                var child = 2 * parent + 1
                guard child < count else { break }
                if child + 1 < count, Entry.precedes(heap[child + 1], heap[child]) { child += 1 }
                guard Entry.precedes(heap[child], last) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
            return minimum
        }
    }
}

/// The k-th smallest of the exact distances seen so far (a bounded max-heap of k values), or
/// infinity until k have been seen. Anything whose lower bound exceeds it cannot make the answer.
struct KthSmallestDistance {
    private var largestFirst: ContiguousArray<Double> = []
    private let k: Int

    init(k: Int) {
        self.k = k
        largestFirst.reserveCapacity(k)
    }

    var value: Double { largestFirst.count == k ? largestFirst[0] : .infinity }

    mutating func insert(_ d: Double) {
        if largestFirst.count < k {
            largestFirst.append(d)
            largestFirst.withUnsafeMutableBufferPointer { heap in
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard heap[parent] < d else { break }
                    heap[child] = heap[parent]
                    child = parent
                }
                heap[child] = d
            }
        } else if d < largestFirst[0] {
            largestFirst.withUnsafeMutableBufferPointer { heap in
                var parent = 0
                while true {
                    var child = 2 * parent + 1
                    guard child < heap.count else { break }
                    if child + 1 < heap.count, heap[child] < heap[child + 1] { child += 1 }
                    guard d < heap[child] else { break }
                    heap[parent] = heap[child]
                    parent = child
                }
                heap[parent] = d
            }
        }
    }
}
