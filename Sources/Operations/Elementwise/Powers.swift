import TensorCore

/// `Square`, `Sqrt`, `Rsqrt`, `Reciprocal` and the gradient kernels `SqrtGrad`, `RsqrtGrad`,
/// `ReciprocalGrad`, each as TF 2.21's CPU kernel runs its Eigen functor (AVX, no FMA).
enum Powers {
  static let ops: [OpDefinition] = [.square, .sqrt, .rsqrt, .reciprocal, .sqrtGrad, .rsqrtGrad, .reciprocalGrad, .pow]

  /// `scalar_square_op`: `x * x`; integers wrap.
  enum Square: UniformUnaryOp {
    static func apply<S: EigenScalar>(_ x: S) -> S { x * x }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x &* x }
    static var hasIntegerKernel: Bool { true }
  }

  /// `scalar_sqrt_op`: `sqrtps` and `sqrtss` round alike.
  enum SquareRoot: UniformUnaryOp {
    static func apply<S: EigenScalar>(_ x: S) -> S { x.squareRoot() }
  }

  /// `scalar_rsqrt_op`: float32 packets refine `_mm256_rsqrt_ps` by one Newton step
  /// (`generic_rsqrt_newton_step`); everything else is `1 / sqrt(x)`.
  enum ReciprocalSquareRoot: EigenUnaryOp {
    static func packet(_ a: Float) -> Float {
      let approximation = EigenElementwise.approximateReciprocalSquareRoot(a)
      let r2 = a * approximation
      let halfR = approximation * -0.5
      let h = r2 * approximation + -1
      let refined = halfR * h + approximation
      return refined.isNaN ? approximation : refined
    }
    static func scalar(_ x: Float) -> Float { 1 / x.squareRoot() }
    static func packet(_ x: Double) -> Double { 1 / x.squareRoot() }
    static func scalar(_ x: Double) -> Double { 1 / x.squareRoot() }
  }

  /// `scalar_inverse_op`: float32 packets refine `_mm256_rcp_ps` by one Newton step
  /// (`generic_reciprocal_newton_step`); everything else is `1 / x`.
  enum Inverse: EigenUnaryOp {
    static func packet(_ a: Float) -> Float {
      let x = EigenElementwise.approximateReciprocal(a)
      let t = 1 - a * x
      return t.isNaN ? x : x * t + x
    }
    static func scalar(_ x: Float) -> Float { 1 / x }
    static func packet(_ x: Double) -> Double { 1 / x }
    static func scalar(_ x: Double) -> Double { 1 / x }
  }

  /// `scalar_sqrt_gradient_op(y, dy)`: packets `mul_no_nan(0.5 / y, dy)`, scalars
  /// `dy == 0 ? 0 : (0.5 * dy) / y`.
  enum SquareRootGradient: EigenBinaryOp {
    static func packet(_ y: Float, _ dy: Float) -> Float { dy == 0 ? 0 : (0.5 / y) * dy }
    static func scalar(_ y: Float, _ dy: Float) -> Float { dy == 0 ? 0 : (0.5 * dy) / y }
    static func packet(_ y: Double, _ dy: Double) -> Double { dy == 0 ? 0 : (0.5 / y) * dy }
    static func scalar(_ y: Double, _ dy: Double) -> Double { dy == 0 ? 0 : (0.5 * dy) / y }
    static func halfPacket(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      dy == 0 ? 0 : r(r(0.5 / y) * dy)
    }
    static func halfScalar(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      dy == 0 ? 0 : r(r(0.5 * dy) / y)
    }
  }

  /// `scalar_rsqrt_gradient_op(y, dy)`: packets `mul_no_nan(-0.5 * (y * y), mul_no_nan(y, dy))`,
  /// scalars `dy == 0 ? 0 : (-0.5 * (dy * y)) * (y * y)`.
  enum ReciprocalSquareRootGradient: EigenBinaryOp {
    static func packet(_ y: Float, _ dy: Float) -> Float { packetPath(y, dy) }
    static func scalar(_ y: Float, _ dy: Float) -> Float { dy == 0 ? 0 : (-0.5 * (dy * y)) * (y * y) }
    static func packet(_ y: Double, _ dy: Double) -> Double { packetPath(y, dy) }
    static func scalar(_ y: Double, _ dy: Double) -> Double { dy == 0 ? 0 : (-0.5 * (dy * y)) * (y * y) }

    @inline(__always)
    static func packetPath<S: EigenScalar>(_ y: S, _ dy: S) -> S {
      let inner = dy == 0 ? 0 : y * dy
      return inner == 0 ? 0 : (-0.5 * (y * y)) * inner
    }

    static func halfPacket(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      let inner = dy == 0 ? 0 : r(y * dy)
      return inner == 0 ? 0 : r(r(-0.5 * r(y * y)) * inner)
    }

    static func halfScalar(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      dy == 0 ? 0 : r(r(-0.5 * r(dy * y)) * r(y * y))
    }
  }

  /// `scalar_inverse_gradient_op(y, dy)`: packets `mul_no_nan(-(y * y), dy)`, which TF's build
  /// multiplies with `dy` as the first operand (the NaN x86 keeps when both are NaN), scalars
  /// `dy == 0 ? 0 : -y * y * dy`.
  enum InverseGradient: EigenBinaryOp {
    static func packet(_ y: Float, _ dy: Float) -> Float { dy == 0 ? 0 : dy * -(y * y) }
    static func scalar(_ y: Float, _ dy: Float) -> Float { dy == 0 ? 0 : (-y * y) * dy }
    static func packet(_ y: Double, _ dy: Double) -> Double { dy == 0 ? 0 : dy * -(y * y) }
    static func scalar(_ y: Double, _ dy: Double) -> Double { dy == 0 ? 0 : (-y * y) * dy }
    static func halfPacket(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      dy == 0 ? 0 : r(dy * -r(y * y))
    }
    static func halfScalar(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float {
      dy == 0 ? 0 : r(r(-y * y) * dy)
    }
  }
}

extension Powers {
  /// `scalar_pow_op`: packets Eigen's `generic_pow` (`2^(y log2 x)` in double-word arithmetic),
  /// scalars glibc's `powf`/`pow`; integers by repeated squaring, wrapping.
  enum Power: EigenBinaryOp {
    static func packet(_ x: Float, _ y: Float) -> Float { EigenMath.packetPow(x, y) }
    static func scalar(_ x: Float, _ y: Float) -> Float { EigenMath.scalarPow(x, y) }
    static func packet(_ x: Double, _ y: Double) -> Double { EigenMath.packetPow(x, y) }
    static func scalar(_ x: Double, _ y: Double) -> Double { EigenMath.scalarPow(x, y) }
    static var hasIntegerKernel: Bool { true }

    static func packets(
      _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, count: Int
    ) {
      EigenMath.packetPow(x, y, into: o, count: count)
    }

    static func packets(
      _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>, count: Int
    ) {
      EigenMath.packetPow(x, y, into: o, count: count)
    }

    static func integer<I: FixedWidthInteger>(_ base: I, _ exponent: I) -> I {
      var (result, square, rest) = (I(1), base, exponent)
      while rest > 0 {
        if rest & 1 == 1 { result = result &* square }
        rest >>= 1
        if rest > 0 { square = square &* square }
      }
      return result
    }
  }

  /// `x^y`, broadcasting (packets and scalars where TF's tiled executor puts them, `EigenTiling`
  /// with `scalar_pow_op`'s cost of 5); TF refuses negative integer exponents before computing.
  static func power(_ x: Tensor, _ y: Tensor) throws(TensorError) -> Tensor {
    guard x.dtype == y.dtype else {
      throw .dtypeMismatch(op: "Pow", expected: x.dtype, actual: y.dtype, inputIndex: 1)
    }
    guard let shape = Shape.broadcast(x.shape, y.shape) else {
      throw .incompatibleShapes(op: "Pow", lhs: x.shape, rhs: y.shape)
    }
    if y.dtype.isInteger, y.int64s.contains(where: { $0 < 0 }) {
      throw .invalidArgument("Integers to negative integer powers are not allowed")
    }
    let (a, b) = (try x.broadcasted(to: shape), try y.broadcasted(to: shape))
    switch x.dtype {
    case .float32:
      let runs = EigenTiling.binaryRuns(x.shape, y.shape, scalarBytes: 4, packetSize: 8, functorCost: 5)
      return try EigenElementwise.zip(a, b, Power.self, as: Float.self, runs: runs)
    case .float64:
      let runs = EigenTiling.binaryRuns(x.shape, y.shape, scalarBytes: 8, packetSize: 4, functorCost: 5)
      return try EigenElementwise.zip(a, b, Power.self, as: Double.self, runs: runs)
    default:
      return try EigenBinaryKernel<Power>.run(a, b, op: "Pow")
    }
  }
}

extension OpDefinition {
  /// `x^y`, broadcasting.
  public static let pow = OpDefinition(
    "Pow", gradient: .rule(Powers.PowGradient.self),
    infer: { inputs, _ throws(OpError) in try ShapeInference.broadcastBinary("Pow", inputs, names: ("x", "y")) },
    binaryKernel: { x, y throws(TensorError) in try Powers.power(x, y) })
  /// `x * x`.
  public static let square = eigenUnary("Square", Powers.Square.self, gradient: .rule(Powers.SquareGradient.self))
  /// `√x` (NaN below zero).
  public static let sqrt = eigenUnary("Sqrt", Powers.SquareRoot.self, gradient: .rule(Powers.SqrtGradient.self))
  /// `1 / √x`.
  public static let rsqrt = eigenUnary(
    "Rsqrt", Powers.ReciprocalSquareRoot.self, gradient: .rule(Powers.RsqrtGradient.self))
  /// `1 / x`.
  public static let reciprocal = eigenUnary(
    "Reciprocal", Powers.Inverse.self, gradient: .rule(Powers.ReciprocalGradient.self))
  /// The gradient of `y = √x`: `dy / (2y)`, 0 where `dy` is 0.
  public static let sqrtGrad = eigenGradient(
    "SqrtGrad", Powers.SquareRootGradient.self, gradient: .rule(Powers.SqrtGradGradient.self))
  /// The gradient of `y = 1/√x`: `-dy y³ / 2`, 0 where `dy` is 0.
  public static let rsqrtGrad = eigenGradient(
    "RsqrtGrad", Powers.ReciprocalSquareRootGradient.self, gradient: .rule(Powers.RsqrtGradGradient.self))
  /// The gradient of `y = 1/x`: `-dy y²`, 0 where `dy` is 0.
  public static let reciprocalGrad = eigenGradient(
    "ReciprocalGrad", Powers.InverseGradient.self, gradient: .rule(Powers.ReciprocalGradGradient.self))
}
