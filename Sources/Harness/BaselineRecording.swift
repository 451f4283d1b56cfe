/// What recording one scenario's result did: the decision `lockstep run --record`,
/// `baseline update` and the Swift Testing helpers share.
public enum BaselineRecording: Sendable, Equatable {
  /// The record mode leaves this scenario alone.
  case skipped
  /// A program has a syntax error: bad input, nothing recorded.
  case badInput
  /// Lockstep could not complete a run (the problem says why): a baseline records what
  /// TensorFlow does, so nothing is recorded.
  case refused(String)
  /// The verdict contradicts the scenario's `expect` (recorded only with `force`).
  case contradicts(verdict: Verdict, expect: Verdict)
  /// The outcomes equal the recorded baseline; any pending file is removed.
  case unchanged
  /// A first baseline was written (pending unless accepted).
  case new(pending: Bool)
  /// A changed baseline was written (pending unless accepted), with a digest of the change.
  case changed(pending: Bool, digest: String)

  /// Records `result` in `store` when `mode` selects it: a pending file, or the baseline
  /// itself with `accept`. Throws when a file cannot be written.
  public static func record(
    _ result: ScenarioResult, in store: BaselineStore, mode: RecordMode, accept: Bool, force: Bool = false
  ) throws -> BaselineRecording {
    guard mode.records(result) else { return .skipped }
    let id = result.scenario.id
    if result.hasSyntaxError { return .badInput }
    if let problem = result.problems.first { return .refused(problem) }
    if result.verdict != result.scenario.expect && !force {
      return .contradicts(verdict: result.verdict, expect: result.scenario.expect)
    }
    let new = ScenarioRunner.baseline(of: result)
    var digest: String?
    if case let .found(old) = store.read(id) {
      if old.sameResults(as: new) {
        try? store.reject(id)  // a pending file for an unchanged scenario is obsolete
        return .unchanged
      }
      digest = BaselineDiff.describe(old, new)
    }
    if accept {
      try store.write(new, for: id)
      try store.reject(id)
    } else {
      try store.writePending(new, for: id)
    }
    return digest.map { .changed(pending: !accept, digest: $0) } ?? .new(pending: !accept)
  }

  /// Whether a baseline or pending file was written.
  public var wrote: Bool {
    switch self {
    case .new, .changed: true
    default: false
    }
  }

  /// The line `baseline update` prints for scenario `id` (nil when nothing is said).
  public func line(id: String) -> String? {
    switch self {
    case .skipped, .badInput: nil
    case let .refused(problem): "refused    \(id)  (\(problem))"
    case let .contradicts(verdict, expect):
      "refused    \(id)  (verdict \(verdict.rawValue) contradicts expect: \(expect.rawValue))"
    case .unchanged: "unchanged  \(id)"
    case let .new(pending): "new        \(id)" + (pending ? "  (pending)" : "")
    case let .changed(pending, digest): "changed    \(id)  \(digest)" + (pending ? "  (pending)" : "")
    }
  }
}
