import Foundation
import PythonRuntime
import TFModel
import TensorCore

/// Runs a scenario's two programs, compares them with each other and with the baseline.
public enum ScenarioRunner {
  /// The version of Lockstep written into baselines.
  public static let lockstepVersion = "0.1.0"

  /// Runs `scenario` under `profile` (default: its own) and checks it against `baselines`
  /// (nil skips the baseline check); each program is held to `limits` and its kernels use up
  /// to `kernelThreads` threads.
  public static func run(
    _ scenario: Scenario, profile: Profile? = nil, baselines: BaselineStore?, limits: RunLimits = RunLimits(),
    kernelThreads: Int = Parallel.coreCount
  ) -> ScenarioResult {
    let profile = profile ?? scenario.profile
    var limits = limits
    if let timeout = scenario.timeout {
      limits.timeout = timeout
      limits.timeoutFromScenario = true
    }
    let outputs = scenario.outputs
    let v1 = pointingAtOutputs(
      limits.run(scenario.v1, side: "v1", profile: profile, outputs: outputs, kernelThreads: kernelThreads), scenario)
    let v2 = pointingAtOutputs(
      limits.run(scenario.v2, side: "v2", profile: profile, outputs: outputs, kernelThreads: kernelThreads), scenario)
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
      guard case let .failed(error) = result.outcome else { continue }
      if error.isLockstepLimitation {
        problems.append(
          "Lockstep cannot run the \(side) program (\(error.type)): its verdict is not what real TensorFlow would give")
      } else if error.type == "RecursionError" {
        problems.append(limits.recursionNote(side: side))
      }
    }
    let (baseline, drift) =
      baselines.map { check(scenario, profile: profile, v1: v1, v2: v2, store: $0) } ?? (.skipped, nil)
    return ScenarioResult(
      scenario: scenario, profile: profile, v1: v1, v2: v2, verdict: verdict, comparisons: comparisons,
      baseline: baseline, drift: drift, problems: problems)
  }

  /// A program that never bound one of `outputs`, its error placed at that name's entry in
  /// the scenario's `outputs` list (the program is not wrong; the scenario file is).
  static func pointingAtOutputs(_ result: ProgramResult, _ scenario: Scenario) -> ProgramResult {
    guard case let .failed(error) = result.outcome, error.type == "NameError",
      // ProgramRunner's message for an output missing at the end (the bad-input corpus checks it).
      let name = scenario.outputs?.first(where: {
        error.message == "output '\($0)' is not defined at the end of the program"
      }),
      let place = scenario.outputEntries[name]
    else { return result }
    var located = ScenarioError(
      path: scenario.path, line: place.line, column: place.column, "\(error.type): \(error.message)")
    located.sourceLine = place.text
    var moved = error
    moved.rendered = located.rendered
    var result = result
    result.outcome = .failed(moved)
    return result
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
