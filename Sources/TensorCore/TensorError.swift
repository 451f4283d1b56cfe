/// An error an op raises on the inputs a user program gave it.
///
/// The TF model maps each kind onto the Python exception TensorFlow raises
/// (`InvalidArgumentError`, `TypeError`, …) and wraps it with the call site.
public enum TensorError: Error, Equatable, Sendable {
  /// Two shapes that cannot be broadcast together, e.g. `[2,3]` and `[4]`.
  case incompatibleShapes(op: String, lhs: [Int], rhs: [Int])
  /// Two inputs of an op that must share a dtype but do not.
  case dtypeMismatch(op: String, expected: DType, actual: DType, inputIndex: Int)
  /// An op that does not accept a dtype (for example `matmul` on bool).
  case unsupportedDType(op: String, dtype: DType)
  /// Any other invalid argument, with TensorFlow's wording.
  case invalidArgument(String)
  /// An invalid argument TensorFlow words one way when the op runs eagerly and another inside
  /// a graph run (a different kernel checks it): `message` is the eager wording.
  case invalidArgumentByMode(eager: String, graph: String)
  /// A valid request TensorFlow's kernel refuses as not implemented (`UnimplementedError`),
  /// with TensorFlow's wording; for example strides in the batch dimension of a convolution.
  case unimplemented(String)
  /// A request TensorFlow accepts that Lockstep's kernels do not model yet (an int32
  /// convolution), naming it: reported as unsupported, never as a TensorFlow error.
  case unsupported(String)
  /// A tensor beyond the program's memory budget: Lockstep's limit, not TensorFlow's error.
  case limitExceeded(String)
  /// The library a kernel runs on (OpenBLAS for matmul) could not be loaded; the text names
  /// the library and how to install it.
  case backendUnavailable(String)

  /// The message TensorFlow prints for this failure.
  public var message: String {
    switch self {
    case let .incompatibleShapes(_, lhs, rhs):
      return "Incompatible shapes: \(Shape.describe(lhs)) vs. \(Shape.describe(rhs))"
    case let .dtypeMismatch(op, expected, actual, index):
      return "cannot compute \(op) as input #\(index)(zero-based) was expected to be a "
        + "\(expected.cppName) tensor but is a \(actual.cppName) tensor"
    case let .unsupportedDType(op, dtype):
      return "Could not find device for node: {{node \(op)}} = \(op)[T=\(dtype.tfEnumName)]"
    case let .invalidArgument(message), let .unimplemented(message), let .unsupported(message),
      let .limitExceeded(message), let .backendUnavailable(message), let .invalidArgumentByMode(message, _):
      return message
    }
  }

  /// The message TensorFlow prints when the failing op runs inside a graph (`Session.run`).
  public var graphMessage: String {
    if case let .invalidArgumentByMode(_, graph) = self { return graph }
    return message
  }
}
