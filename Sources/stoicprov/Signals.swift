import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM for the commands that run until told to stop (`sandbox`, `demo --keep`).
enum Signals {
    /// Ignores the signals' default action (ending the process), so that they reach `waitForStop` instead. Call it
    /// before anything that must be stopped cleanly is started.
    static func intercept() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
    }

    /// Blocks until SIGINT or SIGTERM arrives; after `intercept()`.
    static func waitForStop() {
        let stopped = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            return source
        }
        stopped.wait()
        sources.forEach { $0.cancel() }
    }
}
