import RealModule
import TensorCore

/// The scalar function of an element-wise binary op, once for floats (computed in the
/// float type's compute type: float for half and bfloat16, as Eigen does) and once for
/// integers (wrapping, as TF's kernels do).
protocol BinaryScalarFunction {
  /// The result for two floats.
  static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C
  /// The result for two integers (not called when `hasIntegerKernel` is false).
  static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I
  /// Whether TF has integer CPU kernels for the op.
  static var hasIntegerKernel: Bool { get }
}

/// The scalar function of an element-wise unary op.
protocol UnaryScalarFunction {
  /// The result for a float (in the compute type).
  static func float<C: BinaryFloatingPoint & Real>(_ x: C) -> C
  /// The result for an integer, wrapping (not called when `hasIntegerKernel` is false).
  static func integer<I: FixedWidthInteger>(_ x: I) -> I
  /// Whether TF has integer CPU kernels for the op.
  static var hasIntegerKernel: Bool { get }
}

/// `F` over two tensors of one dtype, broadcasting.
struct BinaryKernel<F: BinaryScalarFunction>: NumericKernel {
  let a: Tensor, b: Tensor, op: String

  /// Runs the kernel; both inputs must share a dtype (TF never promotes).
  static func run(_ a: Tensor, _ b: Tensor, op: String) throws(TensorError) -> Tensor {
    guard a.dtype == b.dtype else {
      throw .dtypeMismatch(op: op, expected: a.dtype, actual: b.dtype, inputIndex: 1)
    }
    return try BinaryKernel(a: a, b: b, op: op).dispatch(on: a.dtype, op: op)
  }

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Elementwise.zip(a, b, Floating<T>.self, op: op)
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    guard F.hasIntegerKernel else { throw .unsupportedDType(op: op, dtype: T.dtype) }
    return try Elementwise.zip(a, b, Integer<T>.self, op: op)
  }

  /// `F` on floats of type `T`, computed in `T.Compute`.
  enum Floating<T: FloatingElement>: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: T, _ b: T) -> T { T(computed: F.float(a.computeValue, b.computeValue)) }
  }

  /// `F` on integers of type `T`.
  enum Integer<T: IntegerElement>: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: T, _ b: T) -> T { F.integer(a, b) }
  }
}

/// `F` over each element of a tensor.
struct UnaryKernel<F: UnaryScalarFunction>: NumericKernel {
  let x: Tensor, op: String

  /// Runs the kernel.
  static func run(_ x: Tensor, op: String) throws(TensorError) -> Tensor {
    try UnaryKernel(x: x, op: op).dispatch(on: x.dtype, op: op)
  }

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Elementwise.map(x, Floating<T>.self)
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    guard F.hasIntegerKernel else { throw .unsupportedDType(op: op, dtype: T.dtype) }
    return try Elementwise.map(x, Integer<T>.self)
  }

  /// `F` on a float of type `T`, computed in `T.Compute`.
  enum Floating<T: FloatingElement>: UnaryElementFunction {
    @inline(__always)
    static func apply(_ x: T) -> T { T(computed: F.float(x.computeValue)) }
  }

  /// `F` on an integer of type `T`.
  enum Integer<T: IntegerElement>: UnaryElementFunction {
    @inline(__always)
    static func apply(_ x: T) -> T { F.integer(x) }
  }
}
