import Foundation
import Operations
import PythonRuntime
import PythonSyntax
import TensorCore

/// A value a program produced, in the form the comparator and baselines use.
public enum OutputValue: Sendable, Equatable {
  /// A NumPy array, tensor, variable or Python number (a scalar tensor).
  case tensor(Tensor)
  /// A string, None, or anything without numbers (compared exactly by its text).
  case text(String)
}

/// One named output value (`z`, `print[0]`).
public struct NamedOutput: Sendable, Equatable {
  /// The output name.
  public var name: String
  /// Its value.
  public var value: OutputValue

  /// Makes a named output.
  public init(name: String, value: OutputValue) {
    self.name = name
    self.value = value
  }
}

/// What one program did: either the outputs it produced, or the error it raised.
public struct ProgramResult: Sendable {
  /// How the run ended.
  public enum Outcome: Sendable {
    /// The program ran to the end; named outputs in comparison order.
    case completed([NamedOutput])
    /// The program failed.
    case failed(ProgramError)
  }

  /// How the run ended.
  public var outcome: Outcome
  /// Everything the program printed.
  public var printed: String
  /// API calls that left arguments to their defaults.
  public var defaultedCalls: [DefaultedCall]
}

/// A program failure: a syntax error, a Python exception, or a Lockstep limit, with the
/// place in the scenario file it happened.
public struct ProgramError: Error, Sendable, Equatable {
  /// `SyntaxError`, `unsupported`, `forbidden`, `limit`, or a Python exception name.
  public var type: String
  /// The message without the type.
  public var message: String
  /// `path:line:col: error: …` with the source line and a caret.
  public var rendered: String
  /// Whether this is Lockstep refusing or not supporting something (as opposed to an error
  /// real TensorFlow would raise too).
  public var isLockstepLimitation: Bool
  /// Whether the program text could not be parsed.
  public var isSyntaxError: Bool
}

/// Runs one program of a scenario under a TensorFlow profile.
public enum ProgramRunner {
  /// Parses and runs `source`, then reads the outputs: the named globals when `outputs` is
  /// given, else every value passed to `print` in order. Its tensors may hold `memoryLimit`
  /// bytes at once; its kernels run under `kernels` (thread count, cancellation token).
  public static func run(
    _ source: SourceFile, profile: Profile, outputs: [String]?, limits: Interpreter.Limits = .init(),
    memoryLimit: Int = MemoryBudget.defaultLimit, kernels: KernelContext = KernelContext()
  ) -> ProgramResult {
    onLargeStack(memoryLimit: memoryLimit, kernels: kernels) {
      runHere(source, profile: profile, outputs: outputs, limits: limits)
    }
  }

  /// The stack given to each program's thread: the parser and interpreter recurse over the
  /// program's nesting, which the parser bounds, and this leaves ample room for it.
  static let stackSize = 512 << 20

  /// Runs `body` on a thread with a large stack and waits for it.
  private static func onLargeStack(
    memoryLimit: Int, kernels: KernelContext, _ body: @escaping @Sendable () -> ProgramResult
  ) -> ProgramResult {
    final class Box: @unchecked Sendable { var result: ProgramResult? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.result = kernels.withCurrent { MemoryBudget(limit: memoryLimit).withCurrent(body) }
      done.signal()
    }
    thread.stackSize = stackSize
    thread.start()
    done.wait()
    return box.result!
  }

  private static func runHere(
    _ source: SourceFile, profile: Profile, outputs: [String]?, limits: Interpreter.Limits
  ) -> ProgramResult {
    let program: [Stmt]
    do {
      program = try Parser.parse(source.text)
    } catch {
      let type: String
      if case .unsupported = error.kind { type = "unsupported" } else { type = "SyntaxError" }
      let message: String
      switch error.kind {
      case let .invalid(text): message = text
      case let .unsupported(feature): message = "Lockstep does not support \(feature) yet"
      }
      let failure = ProgramError(
        type: type, message: message, rendered: error.rendered(in: source), isLockstepLimitation: type == "unsupported",
        isSyntaxError: type == "SyntaxError")
      return ProgramResult(outcome: .failed(failure), printed: "", defaultedCalls: [])
    }
    let runtime: TFRuntime
    do {
      runtime = try TFRuntime(profile: profile)
    } catch {
      return ProgramResult(outcome: .failed(programError(error, source)), printed: "", defaultedCalls: [])
    }
    let interpreter = Interpreter(limits: limits) { name throws(RuntimeError) in try runtime.importModule(name) }
    let outcome: ProgramResult.Outcome
    do throws(RuntimeError) {
      try interpreter.run(program)
      // Time ran out during the last statements: a kernel may have been cut short.
      if let reason = limits.stopReason?() { throw RuntimeError(.limitExceeded(reason), at: program.last?.start) }
      do throws(RuntimeError) {
        outcome = .completed(try collectOutputs(interpreter, outputs: outputs))
      } catch var error {
        // An output missing at the end of the program is reported at its last statement.
        error.location = error.location ?? program.last.map { $0.start }
        throw error
      }
    } catch {
      outcome = .failed(programError(error, source))
    }
    return withExtendedLifetime(runtime) {
      ProgramResult(outcome: outcome, printed: interpreter.output, defaultedCalls: interpreter.defaultedCalls)
    }
  }

  private static func programError(_ error: RuntimeError, _ source: SourceFile) -> ProgramError {
    let limitation: Bool
    switch error.kind {
    case .exception: limitation = false
    case .unsupported, .forbidden, .limitExceeded: limitation = true
    }
    return ProgramError(
      type: error.typeName, message: error.detail, rendered: error.rendered(in: source),
      isLockstepLimitation: limitation, isSyntaxError: false)
  }

  private static func collectOutputs(_ interpreter: Interpreter, outputs: [String]?) throws(RuntimeError)
    -> [NamedOutput]
  {
    guard let outputs else {
      var result: [NamedOutput] = []
      for (call, values) in interpreter.printed.enumerated() {
        for (index, value) in values.enumerated() {
          let name = values.count == 1 ? "print[\(call)]" : "print[\(call)][\(index)]"
          result.append(NamedOutput(name: name, value: try outputValue(value)))
        }
      }
      return result
    }
    var result: [NamedOutput] = []
    for name in outputs {
      guard let value = interpreter.global(name) else {
        throw .exception("NameError", "output '\(name)' is not defined at the end of the program")
      }
      result.append(NamedOutput(name: name, value: try outputValue(value)))
    }
    return result
  }

  /// The comparable form of a program value.
  static func outputValue(_ value: PyValue) throws(RuntimeError) -> OutputValue {
    switch value {
    case let .object(array as NDArray): return .tensor(array.value)
    case let .object(tensor as TensorValue):
      guard let concrete = tensor.eagerValue else {
        return .text("<graph tensor, never run in a session> " + tensor.str())
      }
      return .tensor(concrete)
    case let .int(i): return .tensor(Tensor(shape: [], scalars: [Int64(i)]))
    case let .float(f): return .tensor(Tensor(shape: [], scalars: [f]))
    case let .bool(b): return .tensor(Tensor(shape: [], scalars: [b]))
    case .list, .tuple:
      if let tensor = try? Conversion.numpyArray(value, dtype: nil) { return .tensor(tensor) }
      return .text(value.repr)
    default:
      return .text(value.str)
    }
  }
}
