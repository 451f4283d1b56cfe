import TensorCore

/// `DivNoNan(x, y)`: `x / y`, or 0 where `y` is 0 (even when `x` is NaN or infinite).
enum SafeDivision {
  static let ops: [OpDefinition] = [.divNoNan]

  /// `y == 0 ? 0 : x / y`; TF has no integer kernel.
  enum Function: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { b == 0 ? 0 : a / b }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { b == 0 ? 0 : a / b }
    static var hasIntegerKernel: Bool { false }
  }

  /// `_DivNoNanGrad`: `DivNoNan(grad, y)` and `grad * DivNoNan(DivNoNan(-x, y), y)`, summed
  /// back to each input's shape.
  enum DivNoNanGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, y) = (g.inputs[0], g.inputs[1])
      let quotient = try g.emit(.divNoNan, try g.emit(.divNoNan, try g.emit(.neg, x), y), y)
      return [
        try g.unbroadcast(try g.emit(.divNoNan, g.grad, y), toInput: 0),
        try g.unbroadcast(try g.emit(.mul, g.grad, quotient), toInput: 1),
      ]
    }
  }
}

extension OpDefinition {
  /// `x / y` for floats, 0 where `y` is 0; broadcasting.
  public static let divNoNan = Arithmetic.declare(
    "DivNoNan", SafeDivision.Function.self, gradient: .rule(SafeDivision.DivNoNanGradient.self))
}
