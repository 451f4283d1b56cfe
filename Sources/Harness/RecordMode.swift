/// Which scenarios a run records as (pending) baselines, like swift-snapshot-testing's record
/// modes: `never`, `missing` (scenarios without a baseline), `failed` (baselines that no longer
/// match, so ones still within tolerance are not churned) or `all`.
public enum RecordMode: String, Sendable, CaseIterable {
  case never
  case missing
  case failed
  case all

  /// Whether a run's result is recorded under this mode.
  public func records(_ result: ScenarioResult) -> Bool {
    switch self {
    case .never: return false
    case .missing:
      if case .missing = result.baseline { return true }
      return false
    case .failed: return !result.baseline.isMatch
    case .all: return true
    }
  }

  /// The mode a run uses: `option` (from `--record`), else `LOCKSTEP_RECORD`, else `never`;
  /// always `never` when `CI` is set, with a note saying so. Nil for an unknown name.
  public static func resolve(option: String?, environment: [String: String]) -> (mode: RecordMode, note: String?)? {
    guard let name = option ?? environment["LOCKSTEP_RECORD"] else { return (.never, nil) }
    guard let mode = RecordMode(rawValue: name) else { return nil }
    if environment["CI"] != nil && mode != .never {
      return (.never, "record mode never: CI is set (asked for \(mode.rawValue)); record baselines locally")
    }
    return (mode, nil)
  }
}
