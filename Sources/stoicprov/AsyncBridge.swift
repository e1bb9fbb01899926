import Dispatch

/// Runs async library code from a synchronous command and waits for its result. Commands are synchronous so that
/// `main` stays a plain function returning an exit code; only the work inside needs concurrency.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        box.value = await body()
        semaphore.signal()
    }
    semaphore.wait()
    guard let value = box.value else { preconditionFailure("the task signalled before storing its value") }
    return value
}

private final class ResultBox<T>: @unchecked Sendable {
    // Written once by the task before it signals, read once after the wait: the semaphore orders the two.
    var value: T?
}
