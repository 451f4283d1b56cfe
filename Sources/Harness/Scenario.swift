import PythonSyntax
import TFModel
import TensorCore

/// What real TensorFlow does with a scenario's pair of programs.
public enum Verdict: String, Sendable, CaseIterable, Codable {
  /// Both run and every output matches within tolerance.
  case equivalent
  /// Both run and some output differs.
  case differ
  /// At least one side raises.
  case error
}

/// Absolute and relative tolerance: `|a − b| ≤ atol + rtol·|b|`.
public struct Tolerance: Sendable, Equatable {
  /// Relative tolerance.
  public var rtol: Double
  /// Absolute tolerance.
  public var atol: Double

  /// Makes a tolerance.
  public init(rtol: Double, atol: Double) {
    self.rtol = rtol
    self.atol = atol
  }
}

/// A computation written twice, as a TF1 graph program and a TF2 eager program, with what
/// real TensorFlow does when both run.
public struct Scenario: Sendable {
  /// The path under `Scenarios/` without `.yaml` (`article/session-vs-eager`).
  public var id: String
  /// The file it was read from.
  public var path: String
  /// One line saying what the scenario checks.
  public var summary: String
  /// The TF1 program.
  public var v1: SourceFile
  /// The TF2 program.
  public var v2: SourceFile
  /// What real TensorFlow does with the pair.
  public var expect: Verdict
  /// Names compared at the end of both programs; nil compares the values passed to `print`.
  public var outputs: [String]?
  /// Tolerance for all outputs, when the scenario sets one (else dtype defaults apply).
  public var tolerance: Tolerance?
  /// Per-output tolerances.
  public var outputTolerances: [String: Tolerance]
  /// The TensorFlow version modelled.
  public var profile: Profile
  /// Free-form tags, shown in reports and usable to filter.
  public var tags: [String]
  /// Where the scenario comes from, if noted.
  public var source: String?
  /// SHA-256 of the file's bytes, recorded in baselines.
  public var contentHash: String
  /// Seconds each program may run, when the scenario sets its own limit (`timeout:`), which
  /// wins over the run's.
  public var timeout: Double?
  /// Where each name of `outputs` is written in the file.
  public var outputEntries: [String: FilePlace] = [:]

  /// The tolerance an output of `dtype` is compared with.
  public func tolerance(for output: String, dtype: TensorCore.DType) -> Tolerance {
    outputTolerances[output] ?? tolerance ?? Self.defaultTolerance(dtype)
  }

  /// Defaults by dtype: float32 rtol 1.3e-6 / atol 1e-5, float64 1e-7 / 1e-7, exact otherwise.
  public static func defaultTolerance(_ dtype: TensorCore.DType) -> Tolerance {
    switch dtype {
    case .float32: Tolerance(rtol: 1.3e-6, atol: 1e-5)
    case .float64: Tolerance(rtol: 1e-7, atol: 1e-7)
    default: Tolerance(rtol: 0, atol: 0)
    }
  }
}

/// A place in a scenario file: 1-based line and column, and the text of that line.
public struct FilePlace: Sendable, Equatable {
  /// 1-based line.
  public var line: Int
  /// 1-based column.
  public var column: Int
  /// The line's text, shown under a message with a caret.
  public var text: String
}
