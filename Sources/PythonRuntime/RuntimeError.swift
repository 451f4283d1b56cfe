import PythonSyntax

/// Why a program stopped: a Python exception it raised, or a limit of Lockstep itself.
public struct RuntimeError: LocatedError, Sendable, Equatable {
  /// The kind of failure.
  public enum Kind: Sendable, Equatable {
    /// A Python exception, named as Python or TensorFlow names it (`ValueError`,
    /// `InvalidArgumentError`), with its message.
    case exception(type: String, message: String)
    /// Something the program may do in Python that Lockstep does not model yet.
    case unsupported(feature: String)
    /// Something a scenario is never allowed to do (files, processes, network, `eval`).
    case forbidden(String)
    /// A resource limit: interpreter steps, recursion depth, tensor size.
    case limitExceeded(String)
  }

  /// The kind of failure.
  public var kind: Kind
  /// Where in the program it was raised; filled in by the interpreter on the way out.
  public var location: SourcePosition?
  /// The exception object the program raised or caught, so `except … as e` gets it back.
  var raised: RaisedObject?

  /// Makes an error, usually without a location: the interpreter adds the call site.
  public init(_ kind: Kind, at location: SourcePosition? = nil) {
    self.kind = kind
    self.location = location
  }

  /// A Python exception of the given type.
  public static func exception(_ type: String, _ message: String) -> RuntimeError {
    RuntimeError(.exception(type: type, message: message))
  }

  /// A `TypeError`.
  public static func typeError(_ message: String) -> RuntimeError { .exception("TypeError", message) }
  /// A `ValueError`.
  public static func valueError(_ message: String) -> RuntimeError { .exception("ValueError", message) }
  /// An `unsupported` error naming the feature or API.
  public static func unsupported(_ feature: String) -> RuntimeError { RuntimeError(.unsupported(feature: feature)) }

  /// The exception type, or the Lockstep category for non-Python failures.
  public var typeName: String {
    switch kind {
    case let .exception(type, _): type
    case .unsupported: "unsupported"
    case .forbidden: "forbidden"
    case .limitExceeded: "limit"
    }
  }

  /// The message without the type.
  public var detail: String {
    switch kind {
    case let .exception(_, message): message
    case let .unsupported(feature): "Lockstep does not support \(feature) yet"
    case let .forbidden(what): what
    case let .limitExceeded(what): what
    }
  }

  public var message: String { "\(typeName): \(detail)" }

  /// This error placed at `location` when it has no place yet (or only the line-0 placeholder
  /// of calls made for Swift code). Kept out of line: it runs only on the error path.
  @inline(never)
  func located(at location: SourcePosition) -> RuntimeError {
    guard self.location == nil || self.location?.line == 0 else { return self }
    var error = self
    error.location = location
    return error
  }
}

/// An exception object carried by a `RuntimeError`; it does not take part in comparing errors.
struct RaisedObject: @unchecked Sendable, Equatable {
  let value: PyInstance
  static func == (_: Self, _: Self) -> Bool { true }
}
