/// Python's exception classes, and TensorFlow's and NumPy's that programs catch, by name
/// with their base classes; `except` and `isinstance` match through this table.
public enum ExceptionHierarchy {
  /// Each exception class name with its direct base classes.
  public static let bases: [String: [String]] = [
    "BaseException": [], "Exception": ["BaseException"], "GeneratorExit": ["BaseException"],
    "ArithmeticError": ["Exception"], "ZeroDivisionError": ["ArithmeticError"], "OverflowError": ["ArithmeticError"],
    "LookupError": ["Exception"], "IndexError": ["LookupError"], "KeyError": ["LookupError"],
    "ValueError": ["Exception"], "TypeError": ["Exception"], "AttributeError": ["Exception"],
    "NameError": ["Exception"], "UnboundLocalError": ["NameError"],
    "RuntimeError": ["Exception"], "RecursionError": ["RuntimeError"], "NotImplementedError": ["RuntimeError"],
    "ImportError": ["Exception"], "ModuleNotFoundError": ["ImportError"],
    "AssertionError": ["Exception"], "StopIteration": ["Exception"], "SyntaxError": ["Exception"],
    // NumPy
    "AxisError": ["ValueError", "IndexError"],
    // TensorFlow (tf.errors)
    "OpError": ["Exception"], "CancelledError": ["OpError"], "UnknownError": ["OpError"],
    "InvalidArgumentError": ["OpError"], "DeadlineExceededError": ["OpError"], "NotFoundError": ["OpError"],
    "AlreadyExistsError": ["OpError"], "PermissionDeniedError": ["OpError"], "ResourceExhaustedError": ["OpError"],
    "FailedPreconditionError": ["OpError"], "AbortedError": ["OpError"], "OutOfRangeError": ["OpError"],
    "UnimplementedError": ["OpError"], "InternalError": ["OpError"], "UnavailableError": ["OpError"],
    "DataLossError": ["OpError"], "UnauthenticatedError": ["OpError"],
    "OperatorNotAllowedInGraphError": ["TypeError"],
  ]

  /// Python's builtin exception names a program can use without importing anything.
  static let builtinNames: [String] = bases.keys.filter {
    !["AxisError", "OperatorNotAllowedInGraphError"].contains($0) && bases[$0]?.contains("OpError") != true
      && $0 != "OpError"
  }.sorted()

  /// Whether the exception `name` is `base` or derives from it.
  public static func isSubclass(_ name: String, of base: String) -> Bool {
    if name == base { return true }
    return (bases[name] ?? ["Exception"]).contains { isSubclass($0, of: base) }
  }

  /// The class object for an exception name: callable to make an exception, usable with
  /// `except` and `isinstance`. TF's `OpError` family takes `(node_def, op, message)`.
  public static func classValue(_ name: String) -> PyValue {
    let takesOpArguments = isSubclass(name, of: "OpError")
    return .builtin(
      BuiltinFunction(
        name, exceptionName: name,
        instanceCheck: { value in
          guard let object = value.object(as: ExceptionObject.self) else { return false }
          return isSubclass(object.type, of: name)
        }
      ) { arguments, _ in
        let messageArgument =
          takesOpArguments
          ? (arguments.positional.count > 2 ? arguments.positional[2] : nil) : arguments.positional.first
        return .object(
          ExceptionObject(type: name, message: messageArgument?.str ?? "", hasArgument: messageArgument != nil))
      })
  }
}

/// A raised or constructed exception, as `except … as e` binds it.
public final class ExceptionObject: PyObject {
  /// The exception class name.
  public let type: String
  /// `str(e)`.
  public let message: String
  private let hasArgument: Bool

  /// Makes an exception value.
  public init(type: String, message: String, hasArgument: Bool = true) {
    self.type = type
    self.message = message
    self.hasArgument = hasArgument
  }

  public var typeName: String { type }
  public func str() -> String { message }
  public func repr() -> String { hasArgument ? "\(type)(\(PyValue.string(message).repr))" : "\(type)()" }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "args": return .tuple(hasArgument ? [.string(message)] : [])
    case "message" where ExceptionHierarchy.isSubclass(type, of: "OpError"): return .string(message)
    default: throw .exception("AttributeError", "'\(type)' object has no attribute '\(name)'")
    }
  }
}
