import RealModule
import TensorCore

/// The unary math ops: `Neg`, `Abs`, `Exp`, `Log`.
enum UnaryMath {
  static let ops: [OpDefinition] = [.neg, .abs, .exp, .log]

  /// Declares a unary op computing `F`.
  static func declare<F: UnaryScalarFunction>(_ name: String, _ function: F.Type, gradient: GradientSlot = .pending)
    -> OpDefinition
  {
    OpDefinition(
      name, gradient: gradient, infer: ShapeInference.sameAsFirst,
      kernel: { inputs, _ throws(TensorError) in [try UnaryKernel<F>.run(inputs[0], op: name)] })
  }

  /// Declares `Exp` or `Log`: float32 and float64 run Eigen's vectorised functions exactly as
  /// TF's CPU kernel does (`EigenMath`, bit for bit); half types compute `F` in float.
  static func declareTranscendental<F: UnaryScalarFunction>(
    _ name: String, _ function: F.Type, gradient: GradientSlot = .pending,
    float32: @escaping @Sendable (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void,
    float64: @escaping @Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void
  ) -> OpDefinition {
    OpDefinition(
      name, gradient: gradient, infer: ShapeInference.sameAsFirst,
      kernel: { inputs, _ throws(TensorError) in
        let x = inputs[0]
        switch x.dtype {
        case .float32: return [try eigen(x, Float.self, float32)]
        case .float64: return [try eigen(x, Double.self, float64)]
        default: return [try UnaryKernel<F>.run(x, op: name)]
        }
      })
  }

  /// `function` over the whole flat buffer at once (which elements take Eigen's packet path
  /// depends on their position in it).
  private static func eigen<T: TensorElement>(
    _ x: Tensor, _ type: T.Type, _ function: (UnsafeBufferPointer<T>, UnsafeMutableBufferPointer<T>) -> Void
  ) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(T.self, shape: x.shape)
    x.withUnsafeBufferPointer(as: T.self) { function($0, UnsafeMutableBufferPointer(start: o, count: out.scalarCount)) }
    return out
  }

  /// Integers wrap: -INT_MIN stays INT_MIN.
  enum Negate: UnaryScalarFunction {
    static func float<C: BinaryFloatingPoint & Real>(_ x: C) -> C { -x }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { 0 &- x }
    static var hasIntegerKernel: Bool { true }
  }

  enum Absolute: UnaryScalarFunction {
    static func float<C: BinaryFloatingPoint & Real>(_ x: C) -> C { Swift.abs(x) }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x < 0 ? 0 &- x : x }
    static var hasIntegerKernel: Bool { true }
  }

  enum Exponential: UnaryScalarFunction {
    static func float<C: BinaryFloatingPoint & Real>(_ x: C) -> C { C.exp(x) }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x }
    static var hasIntegerKernel: Bool { false }
  }

  enum Logarithm: UnaryScalarFunction {
    static func float<C: BinaryFloatingPoint & Real>(_ x: C) -> C { C.log(x) }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x }
    static var hasIntegerKernel: Bool { false }
  }
}

extension OpDefinition {
  /// `-x`.
  public static let neg = UnaryMath.declare(
    "Neg", UnaryMath.Negate.self, gradient: .rule(UnaryMath.NegateGradient.self))
  /// `|x|`.
  public static let abs = UnaryMath.declare(
    "Abs", UnaryMath.Absolute.self, gradient: .rule(UnaryMath.AbsoluteGradient.self))
  /// `e^x`.
  public static let exp = UnaryMath.declareTranscendental(
    "Exp", UnaryMath.Exponential.self, gradient: .rule(UnaryMath.ExponentialGradient.self),
    float32: { EigenMath.exp($0, into: $1) },
    float64: { EigenMath.exp($0, into: $1) })
  /// `ln x`.
  public static let log = UnaryMath.declareTranscendental(
    "Log", UnaryMath.Logarithm.self, gradient: .rule(UnaryMath.LogarithmGradient.self),
    float32: { EigenMath.log($0, into: $1) }, float64: { EigenMath.log($0, into: $1) })
}

// MARK: - Gradients (TF's math_grad.py)

extension UnaryMath {
  /// `_NegGrad`: `-grad`.
  enum NegateGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.neg, g.grad)]
    }
  }

  /// `_ExpGrad`: `grad * exp(x)`, the op's own output.
  enum ExponentialGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.mul, g.grad, g.outputs[0])]
    }
  }
}
