/// Bounds that keep one client, or a hostile one, from exhausting the server.
public struct HTTPLimits: Sendable {
    /// Request line plus header fields; more → 431 and the connection closes.
    public var maxHeaderBytes: Int = 64 * 1024
    /// `Content-Length` above this → 413 and the connection closes.
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Connections served at once; further clients wait in the listen backlog.
    public var maxConnections: Int = 256
    /// Seconds an open keep-alive connection may sit without a new request before it is closed.
    public var idleTimeout: Double = 30
    /// Seconds from the first byte of a request until its head and body must have arrived (slow-loris guard).
    public var requestTimeout: Double = 30
    /// Seconds `stop()` waits for in-flight requests before giving up on them.
    public var shutdownGrace: Double = 10

    public init() {}
}
