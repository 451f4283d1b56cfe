import Foundation
import PythonRuntime
import TFModel

/// Runs a scenario's two programs, compares them with each other and with the baseline.
public enum ScenarioRunner {
  /// The version of Lockstep written into baselines.
  public static let lockstepVersion = "0.1.0"

  /// Runs `scenario` under `profile` (default: its own) and checks it against `baselines`
  /// (nil skips the baseline check).
  public static func run(
    _ scenario: Scenario, profile: Profile? = nil, baselines: BaselineStore?, limits: Interpreter.Limits = .init()
  ) -> ScenarioResult {
    let profile = profile ?? scenario.profile
    let v1 = ProgramRunner.run(scenario.v1, profile: profile, outputs: scenario.outputs, limits: limits)
    let v2 = ProgramRunner.run(scenario.v2, profile: profile, outputs: scenario.outputs, limits: limits)
    var problems: [String] = []
    var comparisons: [OutputComparison] = []
    let verdict: Verdict
    switch (v1.outcome, v2.outcome) {
    case let (.completed(a), .completed(b)):
      comparisons = compare(a, b, scenario: scenario, sides: ("v1", "v2"))
      if comparisons.isEmpty {
        problems.append("the run compared nothing: neither program printed a value and the scenario names no `outputs`")
        verdict = .error
      } else {
        verdict = comparisons.allSatisfy(\.matches) ? .equivalent : .differ
      }
    default:
      verdict = .error
    }
    for (side, result) in [("v1", v1), ("v2", v2)] {
      if case let .failed(error) = result.outcome, error.isLockstepLimitation {
        problems.append(
          "Lockstep cannot run the \(side) program (\(error.type)): its verdict is not what real TensorFlow would give")
      }
    }
    let (baseline, drift) =
      baselines.map { check(scenario, profile: profile, v1: v1, v2: v2, store: $0) } ?? (.skipped, nil)
    return ScenarioResult(
      scenario: scenario, profile: profile, v1: v1, v2: v2, verdict: verdict, comparisons: comparisons,
      baseline: baseline, drift: drift, problems: problems)
  }

  /// Pairs outputs by name, in the left side's order then any only on the right.
  static func compare(_ lhs: [NamedOutput], _ rhs: [NamedOutput], scenario: Scenario, sides: (String, String))
    -> [OutputComparison]
  {
    var names = lhs.map(\.name)
    for output in rhs where !names.contains(output.name) { names.append(output.name) }
    return names.map { name in
      Comparator.compare(
        name: name, lhs.first { $0.name == name }?.value, rhs.first { $0.name == name }?.value,
        tolerance: { scenario.tolerance(for: name, dtype: $0) }, sides: sides)
    }
  }

  /// The baseline a run would record.
  public static func baseline(of result: ScenarioResult) -> Baseline {
    Baseline(
      scenarioHash: result.scenario.contentHash, profile: result.profile.version, lockstepVersion: lockstepVersion,
      verdict: result.verdict, v1: outcome(result.v1), v2: outcome(result.v2))
  }

  static func outcome(_ result: ProgramResult) -> SideOutcome {
    switch result.outcome {
    case let .completed(outputs): .outputs(outputs)
    case let .failed(error): .error(type: error.type, message: error.message)
    }
  }

  private static func check(
    _ scenario: Scenario, profile: Profile, v1: ProgramResult, v2: ProgramResult, store: BaselineStore
  ) -> (BaselineCheck, BaselineDrift?) {
    let recorded: Baseline
    switch store.read(scenario.id) {
    case .missing: return (.missing(path: store.path(for: scenario.id)), nil)
    case let .unreadable(message): return (.unreadable(message), nil)
    case let .found(baseline): recorded = baseline
    }
    guard recorded.scenarioHash == scenario.contentHash else {
      return (.stale("the scenario file changed since its baseline was recorded"), nil)
    }
    var differences: [BaselineDifference] = []
    var drift: BaselineDrift?
    for (side, expected, actual) in [("v1", recorded.v1, outcome(v1)), ("v2", recorded.v2, outcome(v2))] {
      switch (expected, actual) {
      case let (.outputs(a), .outputs(b)):
        let comparisons = compare(a, b, scenario: scenario, sides: ("baseline", "now"))
        let failing = comparisons.filter { !$0.matches }
        if !failing.isEmpty { differences.append(BaselineDifference(side: side, outputs: failing)) }
        for comparison in comparisons {
          guard let worst = comparison.statistics?.maxAbsolute, worst.difference > (drift?.largest.difference ?? 0)
          else { continue }
          drift = BaselineDrift(side: side, output: comparison.name, largest: worst)
        }
      case let (.error(t1, m1), .error(t2, m2)):
        if t1 != t2 || m1 != m2 {
          differences.append(
            BaselineDifference(
              side: side, outputs: [], outcome: "the baseline recorded \(t1): \(m1)\nnow it raises \(t2): \(m2)"))
        }
      case let (.error(type, message), .outputs):
        differences.append(
          BaselineDifference(
            side: side, outputs: [], outcome: "the baseline recorded \(type): \(message)\nnow the program completes"))
      case let (.outputs, .error(type, message)):
        differences.append(
          BaselineDifference(
            side: side, outputs: [], outcome: "the baseline recorded outputs\nnow it raises \(type): \(message)"))
      }
    }
    let noted = differences.isEmpty ? drift : nil
    if recorded.profile != profile.version {
      return (.profileDrift(recorded: recorded.profile, run: profile.version, differences: differences), noted)
    }
    return (differences.isEmpty ? .matches : .differs(differences), noted)
  }
}
