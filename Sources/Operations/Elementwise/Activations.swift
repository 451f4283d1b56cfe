import Foundation
import TensorCore

/// `Sign`, `Relu`, `Sigmoid`, `Tanh` and the gradient kernels `ReluGrad`, `SigmoidGrad`,
/// `TanhGrad`, each as TF 2.21's CPU kernel runs its Eigen functor (AVX, no FMA).
enum Activations {
  static let ops: [OpDefinition] = [.sign, .relu, .reluGrad, .sigmoid, .tanh, .sigmoidGrad, .tanhGrad]

  /// `scalar_sign_op`: packets `0 < |x| ? copysign(1, x) : |x|` (`psign`: NaN loses its sign,
  /// a subnormal stays), scalars `isnan(x) ? x : (x > 0) - (x < 0)`.
  enum Signum: EigenUnaryOp {
    static func packet(_ x: Float) -> Float { packetPath(x) }
    static func scalar(_ x: Float) -> Float { scalarPath(x) }
    static func packet(_ x: Double) -> Double { packetPath(x) }
    static func scalar(_ x: Double) -> Double { scalarPath(x) }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x > 0 ? 1 : x < 0 ? (0 &- 1) : 0 }
    static var hasIntegerKernel: Bool { true }

    @inline(__always)
    static func packetPath<S: EigenScalar>(_ x: S) -> S {
      let magnitude = x.magnitude
      return 0 < magnitude ? S(signOf: x, magnitudeOf: 1) : magnitude
    }

    @inline(__always)
    static func scalarPath<S: EigenScalar>(_ x: S) -> S {
      x.isNaN ? x : S((x > 0 ? 1 : 0) - (x < 0 ? 1 : 0))
    }
  }

  /// `cwiseMax<PropagateNaN>(0)`: packets `x > 0 ? x : +0` (`_mm256_max_ps(x, 0)`), scalars
  /// `x < 0 ? 0 : x` (`std::max`, which keeps -0); NaN stays. Half packets take the generic
  /// `pmax<PropagateNaN>`, `_mm256_max_ps(0, x)`: -0 stays, a subnormal reads as zero.
  enum Rectifier: EigenUnaryOp {
    static func packet(_ x: Float) -> Float { x.isNaN ? x : (x > 0 ? x : 0) }
    static func halfPacket(_ x: Float, rounding round: (Float) -> Float) -> Float {
      x.isNaN ? x : (0 > x ? 0 : x.isSubnormal ? Float(signOf: x, magnitudeOf: 0) : x)
    }
    static func scalar(_ x: Float) -> Float { x.isNaN ? x : (x < 0 ? 0 : x) }
    static func packet(_ x: Double) -> Double { x.isNaN ? x : (x > 0 ? x : 0) }
    static func scalar(_ x: Double) -> Double { x.isNaN ? x : (x < 0 ? 0 : x) }
    static func integer<I: FixedWidthInteger>(_ x: I) -> I { x > 0 ? x : 0 }
    static var hasIntegerKernel: Bool { true }
  }

  /// `gradients * (features > 0)`: multiplied, so an infinite or NaN gradient gives NaN where
  /// the feature is not positive.
  enum RectifierGradient: UniformBinaryOp {
    static func apply<S: EigenScalar>(_ g: S, _ f: S) -> S { g * (f > 0 ? 1 : 0) }
    static func integer<I: FixedWidthInteger>(_ g: I, _ f: I) -> I { f > 0 ? g : 0 }
    static var hasIntegerKernel: Bool { true }
  }

  /// `scalar_logistic_op`: for float32, packets compute `exp(x/2)²` by Eigen's own polynomial
  /// and scalars `expf(min(x, 16.6355324))`, both then `e / (1 + e)`; for float64 both paths are
  /// `e / (1 + e)` of `pexp` (packets) or glibc's `exp` (scalars), 1 where `e` is infinite.
  enum Logistic: EigenUnaryOp {
    static func packet(_ x0: Float) -> Float {
      let zero = x0 < -104
      var x = 16.6355324 < x0 ? 16.6355324 : x0
      x = x * 0.5
      let m = (x * 1.44269504088896341 + 0.5).rounded(.down)
      var r = m * -0.693359375 + x
      r = m * 2.12194440e-4 + r
      let r2 = r * r
      let pEven = r2 * 4.1898667812347412109375e-2 + 0.49999141693115234375
      let pOdd = r2 * 8.33471305668354034423828125e-3 + 0.16666877269744873046875
      let pLow = r + 1
      var p = r * pOdd + pEven
      p = r2 * p + pLow
      var e = ldexpFast(p, m)
      e = e * e
      return zero ? 0 : e / (1 + e)
    }

    static func scalar(_ x: Float) -> Float {
      let e = expf(16.6355324 < x ? 16.6355324 : x)
      return e / (1 + e)
    }

    /// Half types take the generic functor, every operation rounded: `pexp_float` on packets,
    /// `expf` on the tail.
    static func halfPacket(_ x: Float, rounding round: (Float) -> Float) -> Float {
      halfRatio(round(EigenMath.packetExp(x)), round)
    }
    static func halfScalar(_ x: Float, rounding round: (Float) -> Float) -> Float { halfRatio(round(expf(x)), round) }

    @inline(__always)
    static func halfRatio(_ e: Float, _ round: (Float) -> Float) -> Float {
      e == .infinity ? 1 : round(e / round(1 + e))
    }

    static func packet(_ x: Double) -> Double { ratio(EigenMath.packetExp(x)) }
    static func scalar(_ x: Double) -> Double { ratio(EigenMath.scalarExp(x)) }

    @inline(__always)
    static func ratio(_ e: Double) -> Double { e == .infinity ? 1 : e / (1 + e) }

    /// `pldexp_fast`: `a * 2^clamp(e + 127, 0, 255)`, the exponent truncated as `cvttps2dq` does.
    @inline(__always)
    static func ldexpFast(_ a: Float, _ exponent: Float) -> Float {
      var biased = exponent + 127
      biased = 0 > biased ? 0 : biased
      biased = 255 < biased ? 255 : biased
      let e = biased.isNaN ? Int32.min : Int32(biased)
      return a * Float(bitPattern: UInt32(truncatingIfNeeded: e) << 23)
    }
  }

  /// `scalar_tanh_op`: float32 on both paths is `ptanh_float`, a [9/8] rational function on
  /// `x` clamped to ±7.90738964 (the non-FMA clamp); float64 packets are `ptanh_double` and
  /// scalars glibc's `tanh`.
  enum HyperbolicTangent: EigenUnaryOp {
    static func packet(_ x: Float) -> Float { rational(x, clamp: 7.90738964080810547, floatCoefficients) }
    static func scalar(_ x: Float) -> Float { rational(x, clamp: 7.90738964080810547, floatCoefficients) }
    static func packet(_ x: Double) -> Double { rational(x, clamp: 17.714196154005176, doubleCoefficients) }
    static func scalar(_ x: Double) -> Double { Foundation.tanh(x) }

    /// `ptanh_float`'s numerator (odd, without its constant 1) and denominator (even)
    /// coefficients, highest power first.
    static let floatCoefficients: (p: [Float], q: [Float]) = (
      [1.394553628e-8, 2.102733560e-5, 3.520756727e-3, 1.340216100e-1],
      [8.015776984e-7, 3.326951409e-4, 2.597254514e-2, 4.673548340e-1, 1.0]
    )

    /// `ptanh_double`'s coefficients.
    static let doubleCoefficients: (p: [Double], q: [Double]) = (
      [
        2.6158007860482230e-23, 7.6534862268749319e-19, 3.1309488231386680e-15, 4.2303918148209176e-12,
        2.4618379131293676e-09, 6.8644367682497074e-07, 9.3839087674268880e-05, 5.9809711724441161e-03,
        1.5184719640284322e-01,
      ],
      [
        6.463747022670968018e-21, 5.782506856739003571e-17, 1.293019623712687916e-13, 1.123643448069621992e-10,
        4.492975677839633985e-08, 8.785185266237658698e-06, 8.295161192716231542e-04, 3.437448108450402717e-02,
        4.851805297361760360e-01, 1.0,
      ]
    )

    /// `(x³ P(x²) + x) / Q(x²)` on `x` clamped to ±`clamp` (`ppolevl`'s Horner steps, unfused).
    @inline(__always)
    static func rational<S: EigenScalar>(_ a: S, clamp: S, _ coefficients: (p: [S], q: [S])) -> S {
      var x = clamp < a ? clamp : a
      x = -clamp > x ? -clamp : x
      let x2 = x * x
      let x3 = x2 * x
      var p = coefficients.p[0]
      for c in coefficients.p.dropFirst() { p = p * x2 + c }
      var q = coefficients.q[0]
      for c in coefficients.q.dropFirst() { q = q * x2 + c }
      p = x3 * p + x
      return p / q
    }
  }

  /// `scalar_sigmoid_gradient_op(y, dy)`: packets `dy * (y * (1 - y))`, scalars `dy * y * (1 - y)`.
  enum LogisticGradient: EigenBinaryOp {
    static func packet(_ y: Float, _ dy: Float) -> Float { dy * (y * (1 - y)) }
    static func scalar(_ y: Float, _ dy: Float) -> Float { dy * y * (1 - y) }
    static func packet(_ y: Double, _ dy: Double) -> Double { dy * (y * (1 - y)) }
    static func scalar(_ y: Double, _ dy: Double) -> Double { dy * y * (1 - y) }
    static func halfPacket(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float { r(dy * r(y * r(1 - y))) }
    static func halfScalar(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float { r(r(dy * y) * r(1 - y)) }
  }

  /// `scalar_tanh_gradient_op(y, dy)`: `dy * (1 - y * y)` on both paths.
  enum HyperbolicTangentGradient: UniformBinaryOp {
    static func apply<S: EigenScalar>(_ y: S, _ dy: S) -> S { dy * (1 - y * y) }
    static func halfPacket(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float { r(dy * r(1 - r(y * y))) }
    static func halfScalar(_ y: Float, _ dy: Float, rounding r: (Float) -> Float) -> Float { r(dy * r(1 - r(y * y))) }
  }

  /// `ReluGrad`'s spec: both inputs of one dtype and shape (TF merges the shapes).
  static func inferReluGrad(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    try ShapeInference.requireSameDType("ReluGrad", inputs[0], inputs[1], names: ("gradients", "features"))
    let (a, b) = (inputs[0], inputs[1])
    guard let lhs = a.shape, let rhs = b.shape else { return [a.shape == nil ? b : a] }
    let node =
      "for '{{node $NODE}} = ReluGrad[T=\(a.dtype.tfEnumName)]$INPUTS' with input shapes: \(a.bracketedShape), "
      + "\(b.bracketedShape)."
    guard lhs.count == rhs.count else {
      throw .invalidArgument("Shapes must be equal rank, but are \(lhs.count) and \(rhs.count) \(node)")
    }
    var merged: [Int?] = []
    for (axis, (x, y)) in zip(lhs, rhs).enumerated() {
      if let x, let y, x != y {
        throw .invalidArgument(
          "Dimension \(axis) in both shapes must be equal, but are \(x) and \(y). Shapes are \(a.bracketedShape) and "
            + "\(b.bracketedShape). \(node)")
      }
      merged.append(x ?? y)
    }
    return [TensorSpec(dtype: a.dtype, partialShape: merged)]
  }
}

extension OpDefinition {
  /// -1, 0 or 1 by the sign of `x` (NaN stays NaN).
  public static let sign = eigenUnary("Sign", Activations.Signum.self, gradient: .rule(Activations.SignGradient.self))
  /// `max(features, 0)`.
  public static let relu = eigenUnary(
    "Relu", Activations.Rectifier.self, gradient: .rule(Activations.ReluGradient.self))
  /// `gradients` where `features > 0`, else 0.
  public static let reluGrad = OpDefinition(
    "ReluGrad", gradient: .rule(Activations.ReluGradGradient.self),
    infer: { inputs, _ throws(OpError) in try Activations.inferReluGrad(inputs) },
    binaryKernel: { gradients, features throws(TensorError) in
      guard gradients.shape == features.shape || gradients.dtype != features.dtype else {
        throw .invalidArgument(
          "Inputs to operation ReluGrad of type ReluGrad must have the same size and shape.  Input 0: "
            + "\(Shape.describe(gradients.shape)) != input 1: \(Shape.describe(features.shape))")
      }
      return try EigenBinaryKernel<Activations.RectifierGradient>.run(gradients, features, op: "ReluGrad")
    })
  /// `1 / (1 + e^-x)`.
  public static let sigmoid = eigenUnary(
    "Sigmoid", Activations.Logistic.self, gradient: .rule(Activations.SigmoidGradient.self))
  /// `tanh x`.
  public static let tanh = eigenUnary(
    "Tanh", Activations.HyperbolicTangent.self, gradient: .rule(Activations.TanhGradient.self))
  /// The gradient of `y = sigmoid(x)`: `dy y (1 - y)`.
  public static let sigmoidGrad = eigenGradient(
    "SigmoidGrad", Activations.LogisticGradient.self, gradient: .rule(Activations.SigmoidGradGradient.self))
  /// The gradient of `y = tanh x`: `dy (1 - y²)`.
  public static let tanhGrad = eigenGradient(
    "TanhGrad", Activations.HyperbolicTangentGradient.self, gradient: .rule(Activations.TanhGradGradient.self))
}
