import Spec
import Synchronization

/// Keeps a connection's request rate at its limit without exceeding it.
///
/// A token bucket of `burst` slots refilled every `60 / requestsPerMinute` seconds: a short plan's few reads go out
/// at once instead of half a second apart, while a steady stream settles at exactly the limit. On top of the bucket,
/// no 60-second window ever holds more than the limit (the first `limit` slots are remembered), so the burst is paid
/// back within the minute rather than pushing a window over — the server's fixed windows never see more than the
/// limit and a long run achieves the limit, not less. No busy-waiting: a caller sleeps until its slot.
///
/// One budget per site, not per process: when the server says what is left of its window (`RateLimit-Remaining`
/// and `RateLimit-Reset`, `observe`), slots are also spread so that what remains lasts until the reset — one slot
/// per `reset / remaining` seconds. A process alone on the site sees `remaining` fall at its own pace and keeps the
/// limit's interval; several processes see it fall faster and each slows down, so together they spend the window's
/// budget evenly (with `k` processes each spending `remaining / reset`, the remaining budget decays as
/// `(1 - t / window)^k`: all of it used, none overdrawn) instead of each pacing at the full limit and meeting 429s.
final class RateLimiter: Sendable {
    let interval: Double
    /// Slots that may start at once after an idle spell.
    let burst: Int
    /// Requests allowed in any 60-second window.
    let limit: Int

    private struct State {
        /// The bucket's theoretical arrival time (GCRA): a slot is free once `now ≥ tat - (burst - 1) × interval`.
        var tat = -Double.infinity
        /// The last `limit` slots handed out, oldest at `head` once full.
        var recent: [Double] = []
        var head = 0
        /// The last slot handed out.
        var last = -Double.infinity
        /// From the server's budget: at least this long between slots, until `spreadUntil`.
        var spread = 0.0
        var spreadUntil = -Double.infinity
        /// When the last request actually left (`clearToSend`).
        var lastSent = -Double.infinity
        /// The server said none is left: nothing leaves before this time.
        var blockedUntil = -Double.infinity
    }

    private let state = Mutex(State())

    /// - Parameter burst: slots available at once after an idle spell (clamped to 1…limit); 10 by default, five
    ///   seconds' worth at Thinkific's 120 a minute.
    init(requestsPerMinute: Double, burst: Int = VendorLimits.pacingBurst) {
        interval = 60 / requestsPerMinute
        limit = max(1, Int(requestsPerMinute.rounded(.down)))
        self.burst = min(max(1, burst), limit)
    }

    /// Claims the next free slot and returns how long to wait for it (0 when it is now).
    func reserve(now: Double) -> Double {
        state.withLock { state in
            var slot = max(now, state.tat - Double(burst - 1) * interval)
            if burst > 1, state.recent.count == limit {
                slot = max(slot, state.recent[state.head] + 60)
            }
            if state.spread > 0, max(now, state.last) < state.spreadUntil {
                slot = max(slot, state.last + state.spread)
            }
            state.last = max(state.last, slot)
            state.tat = max(state.tat, slot) + interval
            if burst > 1 {
                if state.recent.count < limit {
                    state.recent.append(slot)
                } else {
                    state.recent[state.head] = slot
                    state.head = (state.head + 1) % limit
                }
            }
            return slot - now
        }
    }

    /// The server's word on its window: `remaining` requests may follow in the next `resetIn` seconds, for every
    /// client of the site together. Later slots are at least `resetIn / (remaining - 1)` apart until the reset (one is
    /// kept in reserve for a request of another process already on its way); none left means waiting for the reset.
    func observe(remaining: Int, resetIn: Double, now: Double) {
        guard resetIn > 0 else { return }
        // One request is kept in reserve: another process may already be sending what the answer still counts.
        let remaining = remaining - 1
        if remaining <= 0 {
            pause(until: now + resetIn)
            state.withLock { $0.blockedUntil = max($0.blockedUntil, now + resetIn) }
            return
        }
        state.withLock { state in
            state.spread = resetIn / Double(remaining)
            state.spreadUntil = now + resetIn
        }
    }

    /// Called when a request's slot has come, just before it is sent: how much longer to wait (0: send now). A slot
    /// reserved a while ago was spaced with the budget known then; several processes spend the site's budget, so the
    /// newest word from the server decides — at least `spread` since the last request sent, and nothing while the
    /// server says none is left.
    func clearToSend(now: Double) -> Double {
        state.withLock { state in
            if now < state.blockedUntil { return state.blockedUntil - now }
            if state.spread > 0, now < state.spreadUntil, now < state.lastSent + state.spread {
                return min(state.lastSent + state.spread, state.spreadUntil) - now
            }
            state.lastSent = now
            return 0
        }
    }

    /// Pushes every later slot to at least `time`, with no burst credit left, when the server says the window is
    /// exhausted (a 429): after the reset requests resume one `interval` apart.
    func pause(until time: Double) {
        state.withLock { state in
            state.tat = max(state.tat, time + Double(burst - 1) * interval)
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
