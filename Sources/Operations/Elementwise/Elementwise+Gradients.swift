import TensorCore

// The activations' and powers' gradient rules, as TF's math_grad.py and nn_grad.py write them.

extension GradientInputs {
  /// `a * b`.
  func multiply(_ a: Emitter.Value, _ b: Emitter.Value) throws(OpError) -> Emitter.Value { try emit(.mul, a, b) }

  /// `scalar * value`, the scalar a constant of `value`'s dtype (Python's `2.0 * x` on a tensor).
  func scaled(_ scalar: Double, _ value: Emitter.Value) throws(OpError) -> Emitter.Value {
    try emit(.mul, try constant(scalar, like: value), value)
  }
}

extension Activations {
  /// `_SignGrad`: zeros of the input's shape.
  enum SignGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.zerosLike, g.inputs[0])]
    }
  }

  /// `_ReluGrad`: `ReluGrad(grad, relu(x))` (the output stands in for the features).
  enum ReluGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.reluGrad, g.grad, g.outputs[0])]
    }
  }

  /// `_ReluGradGrad`: `ReluGrad(grad, features)` to the gradients, zeros to the features.
  enum ReluGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let features = g.inputs[1]
      return [try g.emit(.reluGrad, g.grad, features), try g.emit(.zerosLike, features)]
    }
  }

  /// `_SigmoidGrad`: `SigmoidGrad(y, grad)`.
  enum SigmoidGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.sigmoidGrad, g.outputs[0], g.grad)]
    }
  }

  /// `_SigmoidGradGrad`: `gb - 2.0 * gb * a` with `gb = grad * b`, and `SigmoidGrad(a, grad)`.
  enum SigmoidGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (a, b) = (g.inputs[0], g.inputs[1])
      let gb = try g.multiply(g.grad, b)
      let twice = try g.multiply(try g.scaled(2, gb), a)
      return [try g.emit(.sub, gb, twice), try g.emit(.sigmoidGrad, a, g.grad)]
    }
  }

  /// `_TanhGrad`: `TanhGrad(y, grad)`.
  enum TanhGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.tanhGrad, g.outputs[0], g.grad)]
    }
  }

  /// `_TanhGradGrad`: `grad * -2.0 * b * a`, and `TanhGrad(a, grad)`.
  enum TanhGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (a, b) = (g.inputs[0], g.inputs[1])
      let scaled = try g.multiply(g.grad, try g.constant(-2, like: g.grad))
      return [try g.multiply(try g.multiply(scaled, b), a), try g.emit(.tanhGrad, a, g.grad)]
    }
  }
}

extension Powers {
  /// `_SquareGrad`: `grad * (x * 2)`.
  enum SquareGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let x = g.inputs[0]
      return [try g.multiply(g.grad, try g.multiply(x, try g.constant(2, like: x)))]
    }
  }

  /// `_SqrtGrad`: `SqrtGrad(y, grad)`.
  enum SqrtGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.sqrtGrad, g.outputs[0], g.grad)]
    }
  }

  /// `_SqrtGradGrad`: with `ga = grad / a`, `-ga * y` and `0.5 * ga`.
  enum SqrtGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let ga = try g.emit(.realDiv, g.grad, g.inputs[0])
      return [try g.multiply(try g.emit(.neg, ga), g.outputs[0]), try g.scaled(0.5, ga)]
    }
  }

  /// `_RsqrtGrad`: `RsqrtGrad(y, grad)`.
  enum RsqrtGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.rsqrtGrad, g.outputs[0], g.grad)]
    }
  }

  /// `_RsqrtGradGrad`: `-1.5 * grad * b * square(a)`, and `RsqrtGrad(a, grad)`.
  enum RsqrtGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (a, b) = (g.inputs[0], g.inputs[1])
      let scaled = try g.multiply(try g.scaled(-1.5, g.grad), b)
      return [try g.multiply(scaled, try g.emit(.square, a)), try g.emit(.rsqrtGrad, a, g.grad)]
    }
  }

  /// `_ReciprocalGrad`: `ReciprocalGrad(y, grad)`.
  enum ReciprocalGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.reciprocalGrad, g.outputs[0], g.grad)]
    }
  }

  /// `_ReciprocalGradGrad`: `-2 * grad * b * a`, and `ReciprocalGrad(a, grad)`.
  enum ReciprocalGradGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (a, b) = (g.inputs[0], g.inputs[1])
      let scaled = try g.multiply(try g.scaled(-2, g.grad), b)
      return [try g.multiply(scaled, a), try g.emit(.reciprocalGrad, a, g.grad)]
    }
  }
}

extension Powers {
  /// `_PowGrad`: `grad * y * pow(x, y - 1)` to `x`; `grad * z * log(x)` to `y` where `x > 0`,
  /// else 0 (no false singularity at 0); each summed back to its input's shape.
  enum PowGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, y) = (g.inputs[0], g.inputs[1])
      var gx: E.Value?
      if g.wanted[0] {
        let power = try g.emit(.pow, x, try g.emit(.sub, y, try g.constant(1, like: y)))
        gx = try g.unbroadcast(try g.multiply(try g.multiply(g.grad, y), power), toInput: 0)
      }
      var gy: E.Value?
      if g.wanted[1] {
        let mask = try g.emit(.greater, x, try g.constant(0, like: x))
        let safe = try g.emit(.selectV2, mask, x, try g.emit(.onesLike, x))
        let log = try g.emit(.selectV2, mask, try g.emit(.log, safe), try g.emit(.zerosLike, x))
        gy = try g.unbroadcast(try g.multiply(try g.multiply(g.grad, g.outputs[0]), log), toInput: 1)
      }
      return [gx, gy]
    }
  }
}

extension UnaryMath {
  /// `_AbsGrad`: `grad * sign(x)`.
  enum AbsoluteGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.multiply(g.grad, try g.emit(.sign, g.inputs[0]))]
    }
  }

  /// `_LogGrad`: `grad * reciprocal(x)`.
  enum LogarithmGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.multiply(g.grad, try g.emit(.reciprocal, g.inputs[0]))]
    }
  }
}
