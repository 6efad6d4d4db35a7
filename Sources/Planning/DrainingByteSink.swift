public import GeoModel

/// A `ByteSink` whose bytes travel on asynchronously, such as an HTTP response body.
///
/// `ByteSink.write` is synchronous, so it can only collect bytes; long-running writers such as
/// `Atlas.export` await `drain()` after each feature, which hands the collected bytes on. A slow
/// reader then slows the export down instead of letting the document pile up in memory.
public protocol DrainingByteSink: ByteSink {
    /// Passes on the bytes written so far; returns when the receiver has taken them.
    func drain() async throws
}
