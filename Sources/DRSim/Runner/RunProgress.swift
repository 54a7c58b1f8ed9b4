import Synchronization

/// How many replications of a run have finished, for a progress display while it runs.
///
/// Workers add to it after each chunk; anyone may read it at any time. It only counts: reading it
/// changes nothing in the run, so results stay byte-identical whether or not progress is shown.
public final class RunProgress: Sendable {
    private let done = Atomic<Int>(0)

    public init() {}

    /// Replications finished so far.
    public var completed: Int { done.load(ordering: .relaxed) }

    func add(_ n: Int) { done.add(n, ordering: .relaxed) }
}
