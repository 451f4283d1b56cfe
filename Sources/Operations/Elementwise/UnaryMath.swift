import RealModule
import TensorCore

/// The unary math ops: `Neg`, `Abs`, `Exp`, `Log`.
enum UnaryMath {
  static let ops: [OpDefinition] = [.neg, .abs, .exp, .log]

  /// Declares a unary op computing `F`.
  static func declare<F: UnaryScalarFunction>(_ name: String, _ function: F.Type) -> OpDefinition {
    OpDefinition(
      name, infer: ShapeInference.sameAsFirst,
      kernel: { inputs, _ throws(TensorError) in [try UnaryKernel<F>.run(inputs[0], op: name)] })
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
  public static let neg = UnaryMath.declare("Neg", UnaryMath.Negate.self)
  /// `|x|`.
  public static let abs = UnaryMath.declare("Abs", UnaryMath.Absolute.self)
  /// `e^x`.
  public static let exp = UnaryMath.declare("Exp", UnaryMath.Exponential.self)
  /// `ln x`.
  public static let log = UnaryMath.declare("Log", UnaryMath.Logarithm.self)
}
