import Foundation
import PythonRuntime
import PythonSyntax
import TFModel
import TensorCore

/// The limits each program of a run is held to, and how a user raises each one: wall-clock
/// time (`--timeout`), interpreter steps (`--max-steps`), nested calls (`--max-depth`) and the
/// bytes its tensors hold at once (`--memory-limit`). Every limit error names its limit and
/// the option and variable that raise it.
public struct RunLimits: Sendable, Equatable {
  /// Seconds each program of a scenario may run; nil for no limit.
  public var timeout: Double?
  /// Statements and loop iterations a program may execute.
  public var maxSteps: Int
  /// Nested program-function calls.
  public var maxCallDepth: Int
  /// Bytes a program's tensors may hold at once.
  public var memoryBytes: Int

  /// The default time limit per program, in seconds.
  public static let defaultTimeout = 60.0
  /// The most nested calls `--max-depth` allows: deeper would risk the program thread's stack.
  public static let maxCallDepthCeiling = 5_000

  /// Limits; the defaults are Lockstep's.
  public init(
    timeout: Double? = defaultTimeout, maxSteps: Int = Interpreter.Limits().maxSteps,
    maxCallDepth: Int = Interpreter.Limits().maxCallDepth, memoryBytes: Int = MemoryBudget.defaultLimit
  ) {
    self.timeout = timeout
    self.maxSteps = maxSteps
    self.maxCallDepth = maxCallDepth
    self.memoryBytes = memoryBytes
  }

  /// A limit setting that is not a valid value.
  public struct InvalidSetting: Error, CustomStringConvertible {
    /// `--timeout` or `LOCKSTEP_TIMEOUT`, and what is wrong with it.
    public let description: String
  }

  /// The limits options and the environment ask for: each option (`--timeout SECONDS`,
  /// `--max-steps N`, `--max-depth N`, `--memory-limit MIB`) wins over its variable
  /// (`LOCKSTEP_TIMEOUT`, `LOCKSTEP_MAX_STEPS`, `LOCKSTEP_MAX_DEPTH`, `LOCKSTEP_MEMORY_LIMIT`);
  /// a timeout of 0 means none.
  public static func resolve(
    timeout: String? = nil, maxSteps: String? = nil, maxDepth: String? = nil, memoryMiB: String? = nil,
    environment: [String: String]
  ) throws(InvalidSetting) -> RunLimits {
    var limits = RunLimits()
    /// The option's value, else the variable's, as a number in `range`; nil when neither is set.
    func setting(_ option: String?, _ name: String, _ variable: String, _ range: ClosedRange<Double>)
      throws(InvalidSetting) -> Double?
    {
      let (text, source) =
        option.map { ($0, "--\(name)") } ?? (environment[variable].map { ($0, variable) } ?? ("", ""))
      guard !source.isEmpty else { return nil }
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
        throw InvalidSetting(
          description: "\(source) must be a number from \(Self.format(range.lowerBound)) to "
            + "\(Self.format(range.upperBound)), not '\(text)'")
      }
      return value
    }
    if let seconds = try setting(timeout, "timeout", "LOCKSTEP_TIMEOUT", 0...1e9) {
      limits.timeout = seconds == 0 ? nil : seconds
    }
    if let steps = try setting(maxSteps, "max-steps", "LOCKSTEP_MAX_STEPS", 1...1e15) { limits.maxSteps = Int(steps) }
    let depthRange = 1...Double(maxCallDepthCeiling)
    if let depth = try setting(maxDepth, "max-depth", "LOCKSTEP_MAX_DEPTH", depthRange) {
      limits.maxCallDepth = Int(depth)
    }
    if let mebibytes = try setting(memoryMiB, "memory-limit", "LOCKSTEP_MEMORY_LIMIT", 1...Double(1 << 24)) {
      limits.memoryBytes = Int(mebibytes * 1_048_576)
    }
    return limits
  }

  /// `60`, `0.5`.
  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  // MARK: - One program run

  /// Whether `timeout` is the scenario's own (its `timeout:` key) rather than the run's.
  var timeoutFromScenario = false

  /// The message of a program stopped by the time limit.
  func timeoutMessage(side: String) -> String {
    let limit = "the \(side) program ran longer than "
    let seconds = Self.format(timeout ?? 0)
    if timeoutFromScenario {
      return limit + "the time limit of \(seconds) s per program its scenario sets; raise it with the scenario's "
        + "`timeout:` key"
    }
    return limit + "Lockstep's time limit of \(seconds) s per program; raise it with --timeout SECONDS or "
      + "LOCKSTEP_TIMEOUT=SECONDS (0 turns it off)"
  }

  /// A fresh token for one program run (its deadline starts now); nil without a time limit.
  func cancellationToken(side: String) -> CancellationToken? {
    guard let timeout else { return nil }
    return CancellationToken(seconds: timeout, message: timeoutMessage(side: side))
  }

  /// The interpreter's limits for a run polled through `token`.
  func interpreterLimits(polling token: CancellationToken?) -> Interpreter.Limits {
    var limits = Interpreter.Limits(maxSteps: maxSteps, maxCallDepth: maxCallDepth)
    if let token { limits.stopReason = { token.isCancelled ? token.message : nil } }
    return limits
  }

  /// Runs one program of a scenario under these limits, with `kernelThreads` threads per kernel.
  func run(
    _ source: SourceFile, side: String, profile: Profile, outputs: [String]?, kernelThreads: Int
  ) -> ProgramResult {
    let token = cancellationToken(side: side)
    var result = ProgramRunner.run(
      source, profile: profile, outputs: outputs, limits: interpreterLimits(polling: token),
      memoryLimit: memoryBytes, kernels: KernelContext(threads: kernelThreads, cancellation: token))
    if case let .failed(error) = result.outcome {
      result.outcome = .failed(explained(error, cancelled: token?.isCancelled == true ? token : nil))
    }
    return result
  }

  /// A program error with the way to raise the limit it hit. A program whose time ran out is
  /// reported as such even when its last, cut-short kernel led to another error first.
  func explained(_ error: ProgramError, cancelled token: CancellationToken?) -> ProgramError {
    if let token, !error.message.hasPrefix(token.message) {
      return error.replacingMessage(type: "limit", message: token.message)
    }
    guard error.type == "limit", let hint = hint(for: error.message) else { return error }
    return error.replacingMessage(type: error.type, message: error.message + "; " + hint)
  }

  /// How to raise the limit a limit message names; nil when the message says it already.
  func hint(for message: String) -> String? {
    if message.contains("--timeout") { return nil }
    if message.contains("steps (an infinite loop?)") {
      return "raise the limit with --max-steps N or LOCKSTEP_MAX_STEPS=N"
    }
    if message.contains("memory budget") {
      return "raise the budget with --memory-limit MIB or LOCKSTEP_MEMORY_LIMIT=MIB"
    }
    if message.contains("tensor size limit") {
      return "this limit is fixed: build large tensors with tf.zeros, tf.ones, tf.range or np.zeros instead"
    }
    if message.contains("exceeds Lockstep's limit") {
      return "this limit is fixed: keep large data in tensors, not Python sequences"
    }
    return nil
  }

  /// The note for a program that raised RecursionError at Lockstep's call-depth limit.
  func recursionNote(side: String) -> String {
    "the \(side) program nested calls deeper than Lockstep's limit of \(maxCallDepth) (CPython allows 1000): "
      + "raise it with --max-depth N or LOCKSTEP_MAX_DEPTH=N (at most \(Self.maxCallDepthCeiling))"
  }
}

extension ProgramError {
  /// This error with another type and message, at the same place: the first line of
  /// `rendered` (`path:line:col: error: Type: message`) is rewritten, the source line and
  /// caret kept.
  func replacingMessage(type: String, message: String) -> ProgramError {
    var copy = self
    copy.type = type
    copy.message = message
    copy.isLockstepLimitation = true
    let lines = rendered.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let first = String(lines[0])
    guard let marker = first.range(of: ": error: ") else { return copy }
    let rest = lines.count > 1 ? "\n" + lines[1] : ""
    copy.rendered = first[..<marker.upperBound] + "\(type): \(message)" + rest
    return copy
  }
}
