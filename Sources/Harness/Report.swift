import Foundation
import PythonRuntime
import PythonSyntax
import TFModel
import TensorCore

/// The plain-text report of one scenario run: verdict against expectation, per-output
/// differences, baseline status, the defaults each program relied on, and errors with
/// their place in the scenario file.
public enum Report {
  /// Renders a result.
  public static func render(_ result: ScenarioResult) -> String {
    let scenario = result.scenario
    var out: [String] = []
    out.append("Lockstep report: \(scenario.id)  [\(result.passed ? "PASS" : "FAIL")]")
    out.append("  file     \(scenario.path)")
    out.append("  summary  \(scenario.summary)")
    out.append("  profile  TensorFlow \(result.profile.version) (tf.keras is Keras \(result.profile.kerasMajor))")
    if !scenario.tags.isEmpty { out.append("  tags     \(scenario.tags.joined(separator: ", "))") }
    if let source = scenario.source { out.append("  source   \(source)") }
    out.append("")
    let verdictLine = result.verdict == scenario.expect ? "as expected" : "EXPECTED \(scenario.expect.rawValue)"
    out.append("Verdict: \(result.verdict.rawValue) (\(verdictLine))")
    for problem in result.problems { out.append("  problem: \(problem)") }
    if !result.comparisons.isEmpty {
      out.append("")
      out.append("Outputs, v1 against v2:")
      out.append(outputTable(result.comparisons, sides: ("v1", "v2")))
      out += failureDetails(result.comparisons, sides: ("v1", "v2"))
    }
    for (side, program) in [("v1", result.v1), ("v2", result.v2)] {
      if case let .failed(error) = program.outcome {
        out.append("")
        out.append("\(side) raised \(error.type):")
        out.append(
          error.rendered.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(
            separator: "\n"))
      }
    }
    out.append("")
    out.append("Baseline: " + baselineSummary(result.baseline, id: scenario.id, drift: result.drift))
    for difference in result.baseline.differences {
      if let outcome = difference.outcome {
        out.append("  \(difference.side): " + outcome.replacingOccurrences(of: "\n", with: "\n  \(difference.side): "))
      }
      if !difference.outputs.isEmpty {
        out.append("  \(difference.side), baseline against now:")
        out.append(outputTable(difference.outputs, sides: ("baseline", "now"), indent: "    "))
        out += failureDetails(difference.outputs, sides: ("baseline", "now")).map { "  " + $0 }
      }
    }

    let defaults = [("v1", result.v1), ("v2", result.v2)].flatMap { side, program in
      program.defaultedCalls.map { (side, $0) }
    }
    if !defaults.isEmpty {
      out.append("")
      out.append("Defaults the programs relied on (check these first when outputs differ):")
      var table = TextTable(header: ["side", "where", "api", "defaulted arguments"])
      for (side, call) in defaults {
        let source = side == "v1" ? scenario.v1 : scenario.v2
        table.rows.append([
          side, "\(scenario.path):\(source.fileLocation(call.location))", call.api,
          call.arguments.joined(separator: ", "),
        ])
      }
      out.append(table.rendered())
    }
    for (side, program) in [("v1", result.v1), ("v2", result.v2)] where !program.printed.isEmpty {
      out.append("")
      out.append("\(side) printed:")
      out.append(
        program.printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
          program.printed.hasSuffix("\n") ? 1 : 0
        ).map { "  | " + $0 }.joined(separator: "\n"))
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// One line for the run summary.
  public static func summaryLine(_ result: ScenarioResult) -> String {
    let status = result.passed ? "PASS" : "FAIL"
    var detail = "\(result.verdict.rawValue)"
    if result.verdict != result.scenario.expect { detail += ", expected \(result.scenario.expect.rawValue)" }
    if !result.baseline.isMatch { detail += "; baseline " + shortBaseline(result.baseline) }
    if let drift = result.drift {
      detail += "; drift within tolerance, largest |Δ| \(format(drift.largest.difference))"
    }
    if let problem = result.problems.first { detail += "; \(problem)" }
    return "\(status)  \(result.scenario.id)  (\(detail))"
  }

  /// Up to a few lines saying why a failing scenario failed, for the run log: the first
  /// output that differs, each side's error, the first baseline difference.
  public static func failureDigest(_ result: ScenarioResult) -> [String] {
    guard !result.passed else { return [] }
    var lines: [String] = []
    if result.verdict != result.scenario.expect {
      if let failing = result.comparisons.first(where: { !$0.matches }) {
        lines += failureDetails([failing], sides: ("v1", "v2")).map { $0.trimmingCharacters(in: .whitespaces) }
      }
      for (side, program) in [("v1", result.v1), ("v2", result.v2)] {
        if case let .failed(error) = program.outcome {
          lines.append(
            "\(side) raised " + (error.rendered.split(separator: "\n").first.map(String.init) ?? error.message))
        }
      }
    }
    if let first = result.baseline.differences.first {
      if let outcome = first.outcome {
        lines.append("\(first.side) baseline: " + outcome.replacingOccurrences(of: "\n", with: "; "))
      } else if let output = first.outputs.first {
        lines += failureDetails([output], sides: ("baseline", "now")).map {
          "\(first.side) " + $0.trimmingCharacters(in: .whitespaces)
        }
      }
    }
    return Array(lines.prefix(4))
  }

  static func shortBaseline(_ check: BaselineCheck) -> String {
    switch check {
    case .matches: "matches"
    case .missing: "missing"
    case .stale: "stale"
    case .unreadable: "unreadable"
    case .differs: "differs"
    case .profileDrift: "profile drift"
    case .skipped: "not checked"
    }
  }

  /// The report's `Baseline:` line for the scenario `id`.
  static func baselineSummary(_ check: BaselineCheck, id: String, drift: BaselineDrift? = nil) -> String {
    switch check {
    case .matches: return drift.map { "matches; drift within tolerance: \($0.description)" } ?? "matches"
    case .skipped: return "not checked"
    case let .missing(path): return "missing (\(path)); record it with `lockstep baseline update \(id)`"
    case let .stale(reason):
      return "stale: \(reason); refresh it with `lockstep baseline update \(id)` and review the diff"
    case let .unreadable(message): return "unreadable: \(message)"
    case .differs: return "DIFFERS from the recorded outcome"
    case let .profileDrift(recorded, run, differences):
      var outcome = differences.isEmpty ? "outcomes match" : "DIFFERS from the recorded outcome"
      if let drift { outcome += " within tolerance, \(drift.description)" }
      return "drift: recorded under profile \(recorded), run under \(run); \(outcome)"
    }
  }

  private static func outputTable(_ comparisons: [OutputComparison], sides: (String, String), indent: String = "  ")
    -> String
  {
    var table = TextTable(header: [
      "output", "dtype", "shape", "mismatches", "max |Δ| (at: \(sides.0) vs \(sides.1))",
      "max rel Δ (at: \(sides.0) vs \(sides.1))", "passes with",
    ])
    for comparison in comparisons {
      var row = [comparison.name, dtypeText(comparison), shapeText(comparison)]
      if let statistics = comparison.statistics {
        let percent = statistics.count == 0 ? 0 : 100 * Double(statistics.mismatches) / Double(statistics.count)
        row.append("\(statistics.mismatches)/\(statistics.count) (\(String(format: "%.1f", percent))%)")
        row.append(worstText(statistics.maxAbsolute))
        row.append(worstText(statistics.maxRelative))
        row.append(neededText(statistics, tolerance: comparison.tolerance))
      } else {
        row.append(comparison.matches ? "0" : "-")
        row.append(comparison.matches ? "-" : failureText(comparison, sides: sides))
        row += ["-", "-"]
      }
      table.rows.append(row)
    }
    return table.rendered(indent: indent)
  }

  private static func failureDetails(_ comparisons: [OutputComparison], sides: (String, String)) -> [String] {
    var lines: [String] = []
    for comparison in comparisons where !comparison.matches {
      if let statistics = comparison.statistics, let first = statistics.firstFailure,
        case let .tensor(a)? = comparison.lhs, case let .tensor(b)? = comparison.rhs
      {
        let index = Comparator.unflatten(first, a.shape)
        lines.append(
          "  \(comparison.name): first mismatch at \(indexText(index)): \(sides.0) \(valueText(a, first)) vs "
            + "\(sides.1) \(valueText(b, first)) "
            + "(rtol \(comparison.tolerance.rtol), atol \(comparison.tolerance.atol))"
        )
      } else if comparison.statistics == nil {
        lines.append("  \(comparison.name): \(failureText(comparison, sides: sides))")
      }
    }
    return lines
  }

  private static func dtypeText(_ comparison: OutputComparison) -> String {
    switch (comparison.lhs, comparison.rhs) {
    case let (.tensor(a)?, .tensor(b)?): a.dtype == b.dtype ? a.dtype.name : "\(a.dtype.name)|\(b.dtype.name)"
    case (.text?, .text?): "text"
    case let (.tensor(a)?, _), let (_, .tensor(a)?): a.dtype.name
    default: "text"
    }
  }

  private static func shapeText(_ comparison: OutputComparison) -> String {
    switch (comparison.lhs, comparison.rhs) {
    case let (.tensor(a)?, .tensor(b)?):
      a.shape == b.shape ? Shape.pythonTuple(a.shape) : "\(Shape.pythonTuple(a.shape))|\(Shape.pythonTuple(b.shape))"
    case let (.tensor(a)?, _), let (_, .tensor(a)?): Shape.pythonTuple(a.shape)
    default: "-"
    }
  }

  static func failureText(_ comparison: OutputComparison, sides: (String, String)) -> String {
    switch comparison.failure {
    case nil: "matches"
    case let .missing(side)?: "no value on the \(side) side"
    case let .kind(text)?: text
    case let .dtype(a, b)?: "dtype differs: \(sides.0) \(a.name), \(sides.1) \(b.name)"
    case let .shape(a, b)?: "shape differs: \(sides.0) \(Shape.pythonTuple(a)), \(sides.1) \(Shape.pythonTuple(b))"
    case .values?: "values differ"
    case .text?:
      if case let .text(a)? = comparison.lhs, case let .text(b)? = comparison.rhs {
        "text differs: \(sides.0) \(a.debugDescription), \(sides.1) \(b.debugDescription)"
      } else {
        "text differs"
      }
    }
  }

  private static func worstText(_ worst: OutputComparison.Worst?) -> String {
    guard let worst else { return "0" }
    return "\(format(worst.difference)) (at \(indexText(worst.index)): \(worst.lhs) vs \(worst.rhs))"
  }

  private static func neededText(_ statistics: OutputComparison.Statistics, tolerance: Tolerance) -> String {
    if statistics.neededAtol.isInfinite { return "no tolerance (exact or NaN/inf mismatch)" }
    let largest = statistics.maxAbsolute?.difference ?? 0
    if largest == 0 { return "any tolerance (identical)" }
    if statistics.neededAtol == 0 && statistics.neededRtol == 0 {
      // Within the tolerance, but not equal: say what each tolerance alone must be.
      let relative = statistics.maxRelative.map { " or rtol ≥ \(format($0.difference))" } ?? ""
      return "atol ≥ \(format(largest))\(relative) (either alone)"
    }
    let rtolPart =
      statistics.neededRtol.isInfinite ? "" : " or rtol ≥ \(format(statistics.neededRtol)) (atol \(tolerance.atol))"
    return "atol ≥ \(format(statistics.neededAtol)) (rtol \(tolerance.rtol))" + rtolPart
  }

  /// An element as reports show it: as baselines write it, but every NaN as `nan` (the
  /// sign of a NaN carries no meaning for a reader).
  static func valueText(_ tensor: Tensor, _ index: Int) -> String {
    let text = BaselineFormat.element(tensor, index)
    return text == "-nan" ? "nan" : text
  }

  static func indexText(_ index: [Int]) -> String {
    "[" + index.map(String.init).joined(separator: ",") + "]"
  }

  static func format(_ value: Double, digits: Int = 3) -> String {
    if value == 0 { return "0" }
    if value.isNaN { return "nan" }
    if abs(value) >= 1e-3 && abs(value) < 1e5 { return String(format: "%.\(digits)g", value) }
    return String(format: "%.\(digits - 1)e", value)
  }
}
