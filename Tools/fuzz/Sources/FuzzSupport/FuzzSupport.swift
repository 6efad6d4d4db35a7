/// The fuzz input as an array (the readers under test take Swift collections).
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run when a property that must hold for every input does not: the message goes to
/// stderr, and libFuzzer records the trap like any crash and saves the input.
public func propertyViolated(_ message: String) -> Never {
    fatalError("fuzz property violated: \(message)")
}
