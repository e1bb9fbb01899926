import Planner

/// Which of a tenant's changes may start next. A change starts once every change it depends on is done, earliest
/// stage first (`Action.stage`); SCIM membership changes wait in `MembershipBatches` and leave as one PATCH; a
/// change that did not succeed settles everything downstream of it as skipped. A value with no I/O: the run asks it
/// for work and tells it what finished.
struct RunSchedule {
    /// Work to start: one change, or a batch of membership changes sent together.
    enum Work: Equatable {
        case single(Int)
        case batch([Int])
    }

    private let graph: ChangeGraph
    private let ids: [String]
    private let stages: [Int]
    private var waiting: [Int]
    private var settled: [Bool]
    private var batches: MembershipBatches
    private var ready: [Int] = []

    init(_ changes: [Change]) {
        graph = ChangeGraph(changes)
        ids = changes.map(\.id)
        stages = changes.map(\.action.stage)
        waiting = graph.prerequisites.map(\.count)
        settled = [Bool](repeating: false, count: changes.count)
        batches = MembershipBatches(changes)
        makeReady(changes.indices.filter { waiting[$0] == 0 })
    }

    /// The changes never settled: after a run, those on a dependency cycle or never started.
    var unsettled: [Int] { settled.indices.filter { !settled[$0] } }

    /// The next work to start, or `nil` when nothing can start now. `idle`: nothing is running, so a membership batch
    /// that is not full leaves rather than waiting for members that cannot arrive.
    mutating func next(idle: Bool) -> Work? {
        if let batch = batches.take(idle: idle && ready.isEmpty) { return .batch(batch) }
        while !ready.isEmpty {
            let index = ready.removeFirst()
            if !settled[index] { return .single(index) }
        }
        return nil
    }

    /// Settles a finished change. When it succeeded, the changes waiting only for it become ready; when it did not,
    /// everything downstream is settled and returned, each with the reason it is skipped, in the order found.
    mutating func finish(_ index: Int, done: Bool) -> [(index: Int, reason: String)] {
        settled[index] = true
        guard done else { return skipDependents(of: index) }
        var unlocked: [Int] = []
        for dependent in graph.dependents[index] where !settled[dependent] {
            waiting[dependent] -= 1
            if waiting[dependent] == 0 { unlocked.append(dependent) }
        }
        makeReady(unlocked)
        return []
    }

    private mutating func makeReady(_ indices: [Int]) {
        for index in indices where batches.holds(index) { batches.add(index) }
        let singles = indices.filter { !batches.holds($0) }
        guard !singles.isEmpty else { return }
        ready = (ready + singles).sorted { (stages[$0], $0) < (stages[$1], $1) }
    }

    private mutating func skipDependents(of failed: Int) -> [(index: Int, reason: String)] {
        var skipped: [(index: Int, reason: String)] = []
        var stack = [failed]
        while let current = stack.popLast() {
            for dependent in graph.dependents[current] where !settled[dependent] {
                settled[dependent] = true
                batches.skipped(dependent)
                let reason = current == failed ? "depends on failed \(ids[current])" : "depends on skipped \(ids[current])"
                skipped.append((dependent, reason))
                stack.append(dependent)
            }
        }
        return skipped
    }
}
