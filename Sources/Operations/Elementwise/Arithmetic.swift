import TensorCore

/// The binary arithmetic ops: `AddV2`, `Sub`, `Mul`, `RealDiv`, `FloorDiv`, `Maximum`,
/// `Minimum`. Inputs share a dtype (TF never promotes) and broadcast.
enum Arithmetic {
  static let ops: [OpDefinition] = [.addV2, .sub, .mul, .realDiv, .floorDiv, .maximum, .minimum]

  /// Declares a broadcasting binary op computing `F`.
  static func declare<F: BinaryScalarFunction>(
    _ name: String, _ function: F.Type, gradient: GradientSlot = .pending
  ) -> OpDefinition {
    OpDefinition(
      name, gradient: gradient,
      infer: { inputs, _ throws(OpError) in try ShapeInference.broadcastBinary(name, inputs, names: ("x", "y")) },
      binaryKernel: { a, b throws(TensorError) in try BinaryKernel<F>.run(a, b, op: name) })
  }

  enum Add: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a + b }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { a &+ b }
    static var hasIntegerKernel: Bool { true }
  }

  enum Subtract: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a - b }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { a &- b }
    static var hasIntegerKernel: Bool { true }
  }

  enum Multiply: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a * b }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { a &* b }
    static var hasIntegerKernel: Bool { true }
  }

  /// TF registers `RealDiv` for integers but has no integer CPU kernel.
  enum RealDivide: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a / b }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { 0 }
    static var hasIntegerKernel: Bool { false }
  }

  /// `floor(x / y)` for floats; integer division rounding toward negative infinity, with
  /// MIN // -1 wrapping to MIN as TF's kernel does (zero divisors are refused first).
  enum FloorDivide: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { (a / b).rounded(.down) }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I {
      if b == 0 { return 0 }
      if a == I.min && b == (0 &- 1) { return I.min }
      let (q, r) = a.quotientAndRemainder(dividingBy: b)
      return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q
    }
    static var hasIntegerKernel: Bool { true }
  }

  /// TF's `Maximum` and `Minimum` propagate NaN.
  enum Max: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { Swift.max(a, b) }
    static var hasIntegerKernel: Bool { true }
  }

  enum Min: BinaryScalarFunction {
    static func float<C: BinaryFloatingPoint>(_ a: C, _ b: C) -> C { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
    static func integer<I: FixedWidthInteger>(_ a: I, _ b: I) -> I { Swift.min(a, b) }
    static var hasIntegerKernel: Bool { true }
  }
}

extension OpDefinition {
  /// `x + y`.
  public static let addV2 = Arithmetic.declare(
    "AddV2", Arithmetic.Add.self, gradient: .rule(Arithmetic.AddGradient.self))
  /// `x - y`.
  public static let sub = Arithmetic.declare(
    "Sub", Arithmetic.Subtract.self, gradient: .rule(Arithmetic.SubtractGradient.self))
  /// `x * y`.
  public static let mul = Arithmetic.declare(
    "Mul", Arithmetic.Multiply.self, gradient: .rule(Arithmetic.MultiplyGradient.self))
  /// `x / y` for floats.
  public static let realDiv = Arithmetic.declare(
    "RealDiv", Arithmetic.RealDivide.self, gradient: .rule(Arithmetic.RealDivideGradient.self))
  /// `x // y`; integer division by zero is an error.
  public static let floorDiv = OpDefinition(
    "FloorDiv", gradient: .notDifferentiable,
    infer: { inputs, _ throws(OpError) in try ShapeInference.broadcastBinary("FloorDiv", inputs, names: ("x", "y")) },
    binaryKernel: { x, y throws(TensorError) in
      // The dtypes are checked before the divisor's zeros, as TF's kernel does.
      if x.dtype == y.dtype, y.dtype.isInteger || y.dtype.isUnsigned, y.int64s.contains(0) {
        throw .invalidArgument("Integer division by zero")
      }
      return try BinaryKernel<Arithmetic.FloorDivide>.run(x, y, op: "FloorDiv")
    })
  /// The larger of `x` and `y`, NaN if either is.
  public static let maximum = Arithmetic.declare(
    "Maximum", Arithmetic.Max.self, gradient: .rule(Arithmetic.MaximumGradient.self))
  /// The smaller of `x` and `y`, NaN if either is.
  public static let minimum = Arithmetic.declare(
    "Minimum", Arithmetic.Min.self, gradient: .rule(Arithmetic.MinimumGradient.self))
}

// MARK: - Gradients (TF's math_grad.py)

extension Arithmetic {
  /// `_AddGrad`: the gradient, summed back to each input's shape.
  enum AddGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.unbroadcast(g.grad, toInput: 0), try g.unbroadcast(g.grad, toInput: 1)]
    }
  }

  /// `_SubGrad`: `grad` and `-grad`, summed back to each input's shape.
  enum SubtractGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.unbroadcast(g.grad, toInput: 0), try g.unbroadcast(try g.emit(.neg, g.grad), toInput: 1)]
    }
  }

  /// `_MulGrad`: `grad * y` and `x * grad`, summed back to each input's shape.
  enum MultiplyGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, y) = (g.inputs[0], g.inputs[1])
      return [
        try g.unbroadcast(try g.emit(.mul, g.grad, y), toInput: 0),
        try g.unbroadcast(try g.emit(.mul, x, g.grad), toInput: 1),
      ]
    }
  }

  /// `_RealDivGrad`: `grad / y` and `grad * ((-x / y) / y)`, summed back to each input's shape.
  enum RealDivideGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, y) = (g.inputs[0], g.inputs[1])
      let quotient = try g.emit(.realDiv, try g.emit(.realDiv, try g.emit(.neg, x), y), y)
      return [
        try g.unbroadcast(try g.emit(.realDiv, g.grad, y), toInput: 0),
        try g.unbroadcast(try g.emit(.mul, g.grad, quotient), toInput: 1),
      ]
    }
  }
}

extension Arithmetic {
  /// `_MaximumMinimumGrad`: the gradient goes to `x` where `selector(x, y)` holds (ties
  /// included), to `y` elsewhere, each summed back to its input's shape.
  static func selectedGradients<E: GradientEmitter>(_ g: GradientInputs<E>, selector: OpDefinition)
    throws(OpError) -> [E.Value?]
  {
    let (x, y) = (g.inputs[0], g.inputs[1])
    let zeros = try g.emit(.zerosLike, g.grad)
    let mask = try g.emit(selector, x, y)
    return [
      try g.unbroadcast(try g.emit(.selectV2, mask, g.grad, zeros), toInput: 0),
      try g.unbroadcast(try g.emit(.selectV2, mask, zeros, g.grad), toInput: 1),
    ]
  }

  /// `Maximum`: to `x` where `x >= y`.
  enum MaximumGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      try selectedGradients(g, selector: .greaterEqual)
    }
  }

  /// `Minimum`: to `x` where `x <= y`.
  enum MinimumGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      try selectedGradients(g, selector: .lessEqual)
    }
  }
}
