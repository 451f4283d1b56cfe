import TFModel

/// Everything one scenario run found: both programs' results, the comparison, the baseline
/// check, and whether the scenario passes.
public struct ScenarioResult: Sendable {
  /// The scenario.
  public var scenario: Scenario
  /// The profile it ran under.
  public var profile: Profile
  /// The v1 program's result.
  public var v1: ProgramResult
  /// The v2 program's result.
  public var v2: ProgramResult
  /// What Lockstep found real TensorFlow would do.
  public var verdict: Verdict
  /// v1 against v2, one per output (empty when a side failed).
  public var comparisons: [OutputComparison]
  /// How the current outcomes compare with the recorded baseline.
  public var baseline: BaselineCheck
  /// When the outcomes match the baseline within tolerance but not exactly: the largest
  /// change, so a reviewer sees that numbers moved.
  public var drift: BaselineDrift?
  /// Problems that fail the scenario whatever the verdict (compared nothing, a side that
  /// Lockstep cannot run).
  public var problems: [String]

  /// Whether the scenario passes: verdict as expected, baseline matching, no problems.
  public var passed: Bool {
    problems.isEmpty && verdict == scenario.expect && baseline.isMatch
  }

  /// Whether a program could not even be parsed: bad input, not a failing scenario.
  public var hasSyntaxError: Bool {
    [v1, v2].contains { result in
      if case let .failed(error) = result.outcome { return error.isSyntaxError }
      return false
    }
  }
}

/// The state of a scenario's baseline after a run.
public enum BaselineCheck: Sendable {
  /// Both sides match the recorded outcomes.
  case matches
  /// There is no baseline yet.
  case missing(path: String)
  /// The baseline was recorded from another version of the scenario file.
  case stale(String)
  /// The baseline file cannot be parsed.
  case unreadable(String)
  /// Some recorded outcome differs; per side, the comparisons or the error change.
  case differs([BaselineDifference])
  /// The baseline was recorded under another TensorFlow profile than this run models; the
  /// outcomes are compared all the same, and the differences are that profile change's drift.
  case profileDrift(recorded: String, run: String, differences: [BaselineDifference])
  /// Not checked (the run was asked not to).
  case skipped

  /// Whether this counts as passing: matching outcomes, under the recorded profile or not.
  public var isMatch: Bool {
    switch self {
    case .matches, .skipped: true
    case let .profileDrift(_, _, differences): differences.isEmpty
    default: false
    }
  }

  /// The outcomes that differ from the baseline's.
  public var differences: [BaselineDifference] {
    switch self {
    case let .differs(differences), let .profileDrift(_, _, differences): differences
    default: []
    }
  }
}

/// The largest element change between a baseline and a run that still matches it.
public struct BaselineDrift: Sendable {
  /// `v1` or `v2`.
  public var side: String
  /// The output.
  public var output: String
  /// The largest |Δ|, where, and both values (baseline on the left).
  public var largest: OutputComparison.Worst

  /// `largest |Δ| 9.7e-08 at v1 z[0,2]: baseline 1.0 vs now 1.0000001`.
  public var description: String {
    "largest |Δ| \(Report.format(largest.difference)) at \(side) \(output)\(Report.indexText(largest.index)): "
      + "baseline \(largest.lhs) vs now \(largest.rhs)"
  }
}

/// How one side's outcome departs from its baseline.
public struct BaselineDifference: Sendable {
  /// `v1` or `v2`.
  public var side: String
  /// Output comparisons that fail (baseline on the left, current on the right).
  public var outputs: [OutputComparison]
  /// A change of outcome kind or error, in words.
  public var outcome: String?
}
