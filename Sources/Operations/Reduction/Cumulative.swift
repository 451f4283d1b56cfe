import TensorCore

/// The scans `Cumsum(x, axis)` and `Cumprod(x, axis)`, with the `exclusive` and `reverse`
/// attributes; `axis` is a real int32/int64 scalar tensor input.
enum Cumulative {
  static let ops: [OpDefinition] = [.cumsum, .cumprod]

  /// The attributes of a scan.
  static func attributes(exclusive: Bool = false, reverse: Bool = false) -> OpAttributes {
    OpAttributes(["exclusive": .bool(exclusive), "reverse": .bool(reverse)])
  }

  /// A scan: `x`'s shape, `axis` a scalar (TF's `ScanOp` shape function).
  static func infer(_ name: String, _ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    let (x, axis) = (inputs[0], inputs[1])
    if let rank = axis.rank, rank != 0 {
      throw .invalidArgument(
        "Shape must be rank 0 but is rank \(rank) for '{{node $NODE}} = \(name)[T=\(x.dtype.tfEnumName), "
          + "Tidx=\(axis.dtype.tfEnumName), exclusive=false, reverse=false]$INPUTS' with input shapes: "
          + "\(x.bracketedShape), \(axis.bracketedShape).")
    }
    return [TensorSpec(dtype: x.dtype, partialShape: x.shape)]
  }

  /// The scan of `x` along `axis` with `combine`, in order (from the end when `reverse`):
  /// each output is the running result up to and including its element, or before it when
  /// `exclusive` (the first then `identity`).
  static func scan(
    _ name: String, _ x: Tensor, _ axisTensor: Tensor, _ attributes: OpAttributes, additive: Bool
  ) throws(TensorError) -> Tensor {
    guard axisTensor.rank == 0 else {
      throw .invalidArgument("ScanOp: axis must be a scalar, not \(Shape.describe(axisTensor.shape))")
    }
    let requested = Int(axisTensor.int64s[0])
    guard let axis = Shape.normalizedAxis(requested, rank: x.rank) else {
      throw .invalidArgument("ScanOp: Expected scan axis in the range [\(-x.rank), \(x.rank)), but got \(requested)")
    }
    let outer = Shape.elementCount(Array(x.shape[..<axis]))
    let length = x.shape[axis]
    let inner = Shape.elementCount(Array(x.shape[(axis + 1)...]))
    let kernel = ScanKernel(
      x: x, outer: outer, length: length, inner: inner, exclusive: attributes.bool("exclusive"),
      reverse: attributes.bool("reverse"), additive: additive)
    return try kernel.dispatch(on: x.dtype, op: name)
  }
}

/// A sequential scan over the middle dimension of `[outer, length, inner]`: each element
/// combined with the running result in order, floats rounded to the element type each step.
struct ScanKernel: NumericKernel {
  let x: Tensor, outer: Int, length: Int, inner: Int, exclusive: Bool, reverse: Bool, additive: Bool

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try run(T.self, identity: T(computed: additive ? 0 : 1)) { a, b in
      T(computed: additive ? a.computeValue + b.computeValue : a.computeValue * b.computeValue)
    }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try run(T.self, identity: additive ? 0 : 1) { additive ? $0 &+ $1 : $0 &* $1 }
  }

  private func run<T: TensorElement>(_ type: T.Type, identity: T, _ combine: (T, T) -> T) throws(TensorError)
    -> Tensor
  {
    let (result, output) = try Tensor.uninitialized(T.self, shape: x.shape)
    x.withUnsafeBufferPointer(as: T.self) { input in
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * length * inner + i
          var running = identity
          for step in 0..<length {
            let k = reverse ? length - 1 - step : step
            let offset = base + k * inner
            if exclusive {
              output[offset] = running
              running = combine(running, input[offset])
            } else {
              running = combine(running, input[offset])
              output[offset] = running
            }
          }
        }
      }
    }
    return result
  }
}

extension OpDefinition {
  /// The running sum of `x` along `axis` (a scalar int tensor).
  public static let cumsum = OpDefinition(
    "Cumsum", gradient: .rule(Cumulative.CumsumGradient.self),
    infer: { inputs, _ throws(OpError) in try Cumulative.infer("Cumsum", inputs) },
    kernel: { inputs, attributes throws(TensorError) in
      [try Cumulative.scan("Cumsum", inputs[0], inputs[1], attributes, additive: true)]
    })

  /// The running product of `x` along `axis` (a scalar int tensor), multiplied in order.
  public static let cumprod = OpDefinition(
    "Cumprod", gradient: .rule(Cumulative.CumprodGradient.self),
    infer: { inputs, _ throws(OpError) in try Cumulative.infer("Cumprod", inputs) },
    kernel: { inputs, attributes throws(TensorError) in
      [try Cumulative.scan("Cumprod", inputs[0], inputs[1], attributes, additive: false)]
    })
}

// MARK: - Gradients (TF's math_grad.py)

extension Cumulative {
  /// `_CumsumGrad`: the gradient scanned the other way, `Cumsum(grad, axis, exclusive,
  /// reverse: !reverse)`; the axis has none.
  enum CumsumGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let attributes = Cumulative.attributes(
        exclusive: g.op.attributes.bool("exclusive"), reverse: !g.op.attributes.bool("reverse"))
      return [try g.emit(.cumsum, g.grad, g.inputs[1], attributes: attributes), nil]
    }
  }

  /// `_CumprodGrad`: `DivNoNan(Cumsum(Cumprod(x) * grad, reverse: !reverse), x)` along the
  /// op's axis (zeros of `x` get 0); the axis has none.
  enum CumprodGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, axis) = (g.inputs[0], g.inputs[1])
      let (exclusive, reverse) = (g.op.attributes.bool("exclusive"), g.op.attributes.bool("reverse"))
      let product = try g.emit(
        .cumprod, x, axis, attributes: Cumulative.attributes(exclusive: exclusive, reverse: reverse))
      let out = try g.emit(
        .cumsum, try g.emit(.mul, product, g.grad), axis,
        attributes: Cumulative.attributes(exclusive: exclusive, reverse: !reverse))
      return [try g.emit(.divNoNan, out, x), nil]
    }
  }
}
