import TensorCore

/// A unary op's Eigen functor (float32 and float64 paths, see `EigenUnaryFunctor`) and its
/// integer kernel where TF registers one.
protocol EigenUnaryOp: EigenUnaryFunctor, SendableMetatype {
  /// The result for an integer, wrapping (not called when `hasIntegerKernel` is false).
  static func integer<I: FixedWidthInteger>(_ x: I) -> I
  /// Whether TF has integer CPU kernels for the op.
  static var hasIntegerKernel: Bool { get }
}

extension EigenUnaryOp {
  static func integer<I: FixedWidthInteger>(_ x: I) -> I { x }
  static var hasIntegerKernel: Bool { false }
}

/// A binary op's Eigen functor and its integer kernel where TF registers one.
protocol EigenBinaryOp: EigenBinaryFunctor, SendableMetatype {
  /// The result for two integers (not called when `hasIntegerKernel` is false).
  static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I
  /// Whether TF has integer CPU kernels for the op.
  static var hasIntegerKernel: Bool { get }
}

extension EigenBinaryOp {
  static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { a }
  static var hasIntegerKernel: Bool { false }
}

/// A functor whose packet and scalar paths compute alike, written once for both types.
protocol UniformUnaryOp: EigenUnaryOp {
  static func apply<S: EigenScalar>(_ x: S) -> S
}

extension UniformUnaryOp {
  static func packet(_ x: Float) -> Float { apply(x) }
  static func scalar(_ x: Float) -> Float { apply(x) }
  static func packet(_ x: Double) -> Double { apply(x) }
  static func scalar(_ x: Double) -> Double { apply(x) }
}

/// A binary functor whose packet and scalar paths compute alike.
protocol UniformBinaryOp: EigenBinaryOp {
  static func apply<S: EigenScalar>(_ a: S, _ b: S) -> S
}

extension UniformBinaryOp {
  static func packet(_ a: Float, _ b: Float) -> Float { apply(a, b) }
  static func scalar(_ a: Float, _ b: Float) -> Float { apply(a, b) }
  static func packet(_ a: Double, _ b: Double) -> Double { apply(a, b) }
  static func scalar(_ a: Double, _ b: Double) -> Double { apply(a, b) }
}

/// A unary op over every dtype TF registers it for: Eigen's two paths for float32 and
/// float64, the scalar path in float for half types, and the integer kernel.
struct EigenUnaryKernel<F: EigenUnaryOp>: NumericKernel {
  let x: Tensor, op: String

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    switch T.dtype {
    case .float32: try EigenElementwise.map(x, F.self, as: Float.self)
    case .float64: try EigenElementwise.map(x, F.self, as: Double.self)
    case .float16: try EigenElementwise.mapHalf(x, F.self, as: Float16.self)
    default: try EigenElementwise.mapHalf(x, F.self, as: BFloat16.self)
    }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    guard F.hasIntegerKernel else { throw .unsupportedDType(op: op, dtype: T.dtype) }
    return try Elementwise.map(x, Integer<T>.self)
  }

  enum Integer<T: IntegerElement>: UnaryElementFunction {
    @inline(__always)
    static func apply(_ x: T) -> T { F.integer(x) }
  }
}

/// A binary op on two operands of one dtype and element count (TF's `SimpleBinaryOp` and the
/// activation gradients), the output of the first's shape.
struct EigenBinaryKernel<F: EigenBinaryOp>: NumericKernel {
  let a: Tensor, b: Tensor, op: String

  /// Runs the kernel: the dtypes must agree, and the element counts.
  static func run(_ a: Tensor, _ b: Tensor, op: String) throws(TensorError) -> Tensor {
    guard a.dtype == b.dtype else {
      throw .dtypeMismatch(op: op, expected: a.dtype, actual: b.dtype, inputIndex: 1)
    }
    guard a.scalarCount == b.scalarCount else {
      throw .invalidArgument(
        "The two arguments to a cwise op must have same number of elements, got \(a.scalarCount) and "
          + "\(b.scalarCount)")
    }
    return try EigenBinaryKernel(a: a, b: b, op: op).dispatch(on: a.dtype, op: op)
  }

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    switch T.dtype {
    case .float32: try EigenElementwise.zip(a, b, F.self, as: Float.self)
    case .float64: try EigenElementwise.zip(a, b, F.self, as: Double.self)
    case .float16: try EigenElementwise.zipHalf(a, b, F.self, as: Float16.self)
    default: try EigenElementwise.zipHalf(a, b, F.self, as: BFloat16.self)
    }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    guard F.hasIntegerKernel else { throw .unsupportedDType(op: op, dtype: T.dtype) }
    return try Elementwise.zip(a.reshaped(to: b.shape), b, Integer<T>.self, op: op).reshaped(to: a.shape)
  }

  enum Integer<T: IntegerElement>: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: T, _ b: T) -> T { F.integer(a, b) }
  }
}

extension OpDefinition {
  /// Declares a unary op computing `F` as TF's CPU kernel does.
  static func eigenUnary<F: EigenUnaryOp>(_ name: String, _ function: F.Type, gradient: GradientSlot = .pending)
    -> OpDefinition
  {
    OpDefinition(
      name, gradient: gradient, infer: ShapeInference.sameAsFirst,
      kernel: { inputs, _ throws(TensorError) in
        [try EigenUnaryKernel<F>(x: inputs[0], op: name).dispatch(on: inputs[0].dtype, op: name)]
      })
  }

  /// Declares a gradient op `(y, dy) -> z` computing `F` element-wise; its output has `y`'s
  /// shape (TF's shape function merges nothing; the kernel checks the element counts).
  static func eigenGradient<F: EigenBinaryOp>(
    _ name: String, _ function: F.Type, gradient: GradientSlot = .pending
  ) -> OpDefinition {
    OpDefinition(
      name, gradient: gradient,
      infer: { inputs, _ throws(OpError) in
        try ShapeInference.requireSameDType(name, inputs[0], inputs[1], names: ("y", "dy"))
        return [inputs[0]]
      },
      binaryKernel: { a, b throws(TensorError) in try EigenBinaryKernel<F>.run(a, b, op: name) })
  }
}
