import TensorCore

/// A failure of an op, before the TF model names it as the Python exception TF raises.
public enum OpError: Error, Sendable, Equatable {
  /// Graph-construction `TypeError` (mismatched input dtypes).
  case typeError(String)
  /// Graph-construction `ValueError` (incompatible static shapes). The message may hold
  /// `$NODE` and `$INPUTS`, which the graph fills with the node's and its inputs' names.
  case invalidArgument(String)
  /// An input dtype outside the op's registered list for a type attribute.
  case disallowedType(TypeConstraint, DType)
  /// A kernel failure at run time.
  case tensor(TensorError)
  /// A state failure at run time (`FailedPreconditionError`: an uninitialized variable), its
  /// message TensorFlow's.
  case failedPrecondition(String)
  /// Something TensorFlow does that Lockstep does not model yet, named.
  case unimplemented(String)
  /// A gradient asked of an op that forbids it (`PreventGradient`): TF's `LookupError`.
  case gradientDisabled(String)

  /// The message, with TensorFlow's wording.
  public var message: String {
    switch self {
    case let .typeError(text), let .invalidArgument(text), let .failedPrecondition(text): text
    case let .unimplemented(feature): "unsupported: \(feature)"
    case let .gradientDisabled(reason): "Gradient explicitly disabled. Reason: \(reason)"
    case let .disallowedType(constraint, dtype): constraint.graphMessage(dtype)
    case let .tensor(error): error.message
    }
  }
}
