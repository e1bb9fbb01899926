import Synchronization

/// Keeps a connection's request rate at its limit without exceeding it: requests get evenly spaced start slots,
/// `60 / requestsPerMinute` seconds apart, so no 60-second window ever holds more than the limit, and a steady
/// stream of work runs at exactly the limit. No bursts, no busy-waiting: a caller sleeps until its slot.
final class RateLimiter: Sendable {
    let interval: Double
    private let nextSlot = Mutex<Double>(-Double.infinity)

    init(requestsPerMinute: Double) {
        interval = 60 / requestsPerMinute
    }

    /// Claims the next free slot and returns how long to wait for it (0 when it is now).
    func reserve(now: Double) -> Double {
        nextSlot.withLock { next in
            let slot = max(now, next)
            next = slot + interval
            return slot - now
        }
    }

    /// Pushes every later slot to at least `time`, when the server says the window is exhausted (a 429).
    func pause(until time: Double) {
        nextSlot.withLock { next in
            next = max(next, time)
        }
    }
}

/// Bounds how many requests of one connection are in flight. FIFO; waiting is a suspension, not a spin.
final class AsyncSemaphore: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ permits: Int) {
        state = Mutex(State(available: max(1, permits)))
    }

    func wait() async {
        let acquired = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}
