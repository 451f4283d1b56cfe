import PythonSyntax

/// What a Swift-implemented callable may use of the running interpreter: the call site,
/// calling back into program functions, and the record of defaulted arguments.
public struct CallContext {
  /// The interpreter running the program.
  public unowned let interpreter: Interpreter
  /// Where the call is written in the program.
  public let location: SourcePosition

  /// Calls any callable value (a program function, lambda, builtin or object).
  public func call(_ callee: PyValue, _ arguments: Arguments) throws(RuntimeError) -> PyValue {
    try interpreter.call(callee, arguments, at: location)
  }

  /// Records that an API call left arguments to their defaults, for the report.
  /// A call site is recorded once (a call in a loop is listed once), and its arguments are
  /// formatted only then.
  public func recordDefaults(api: String, _ bound: BoundArguments, describe: (PyValue) -> String) {
    guard bound.defaultedMask != 0, interpreter.firstDefaultsAt(api: api, location: location) else { return }
    let parts = bound.defaulted.map { "\($0)=\(describe(bound[$0]))" }
    interpreter.recordDefaults(DefaultedCall(api: api, location: location, arguments: parts))
  }
}

/// One API call that relied on default argument values.
public struct DefaultedCall: Sendable, Equatable {
  /// The API, spelled as the program's module path spells it (`tf.compat.v1.train.AdamOptimizer`).
  public var api: String
  /// Where the call is in the program.
  public var location: SourcePosition
  /// `name=value` for each defaulted argument.
  public var arguments: [String]
}
