import TensorCore

/// The reductions `Sum`, `Mean`, `Max`, `Min` over the axes in the `reduction_indices`
/// attribute (all axes when unset), keeping reduced dimensions as 1 with `keep_dims`.
enum Reductions {
  static let ops: [OpDefinition] = [.sum, .mean, .max, .min]

  /// The attributes of a reduction over `axes` (all when nil). `scalarAxis` records that
  /// the program passed one int rather than a list, which TF's messages show.
  static func attributes(axes: [Int]?, keepDims: Bool, scalarAxis: Bool = false) -> OpAttributes {
    guard let axes else { return OpAttributes(["keep_dims": .bool(keepDims), "scalar_axis": .bool(scalarAxis)]) }
    return OpAttributes([
      "keep_dims": .bool(keepDims), "scalar_axis": .bool(scalarAxis), "reduction_indices": .ints(axes),
    ])
  }

  static func declare(
    _ name: String, gradient: GradientSlot = .pending,
    kernel: @escaping @Sendable (Tensor, ReductionLayout) throws(TensorError) -> Tensor
  ) -> OpDefinition {
    OpDefinition(
      name, tensorInputs: 1, gradient: gradient,
      infer: { inputs, attributes throws(OpError) in [try infer(name, inputs[0], attributes)] },
      kernel: { inputs, attributes throws(TensorError) in
        let x = inputs[0]
        let axes = attributes.ints("reduction_indices")
        return [try kernel(x, try ReductionLayout(shape: x.shape, axes: axes, keepDims: attributes.bool("keep_dims")))]
      })
  }

  /// The output spec, or TF's message for an axis out of range.
  static func infer(_ name: String, _ input: TensorSpec, _ attributes: OpAttributes) throws(OpError) -> TensorSpec {
    guard let shape = input.shape else { return TensorSpec(dtype: input.dtype, partialShape: nil) }
    let axes = attributes.ints("reduction_indices")
    let keepDims = attributes.bool("keep_dims")
    let rank = shape.count
    var reduced = Set<Int>()
    for axis in axes ?? Array(0..<rank) {
      guard let normalized = Shape.normalizedAxis(axis, rank: rank) else {
        let all = axes ?? []
        let axesShape = attributes.bool("scalar_axis") ? "[]" : "[\(all.count)]"
        let computed = all.map(String.init).joined(separator: " ")
        throw .invalidArgument(
          "Invalid reduction dimension \(axis) for input with \(rank) dimensions. for '{{node $NODE}} = "
            + "\(name)[T=\(input.dtype.tfEnumName), Tidx=DT_INT32, keep_dims=\(keepDims)]$INPUTS' with input shapes: "
            + "\(input.bracketedShape), \(axesShape) and with computed input tensors: input[1] = <\(computed)>."
        )
      }
      reduced.insert(normalized)
    }
    var out: [Int?] = []
    for (axis, dim) in shape.enumerated() {
      if !reduced.contains(axis) { out.append(dim) } else if keepDims { out.append(1) }
    }
    return TensorSpec(dtype: input.dtype, partialShape: out)
  }

}

/// Sum, or mean, in exactly TF 2.21 CPU's summation order (`EigenReduction`), so float
/// results carry TF's rounding bit for bit. Lockstep models TF's order on one intra-op thread
/// (`intraOpThreads`), which TF itself uses for constant-folded graphs and which matches its
/// multi-threaded result below ~100K elements; Lockstep's own result never depends on how many
/// cores it runs on.
struct SumKernel: NumericKernel {
  let x: Tensor, layout: ReductionLayout, mean: Bool

  /// The intra-op thread count whose summation order Lockstep reproduces.
  static let intraOpThreads = 1

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(T.self, shape: layout.outShape)
    let output = UnsafeMutableBufferPointer(start: o, count: out.scalarCount)
    let (plan, mean, threads) = (EigenReduction.Layout(layout, inputShape: x.shape), mean, Self.intraOpThreads)
    x.withUnsafeBufferPointer(as: T.self) { input in
      let raw = UnsafeRawBufferPointer(input)
      let target = UnsafeMutableRawBufferPointer(output)
      switch T.dtype {
      case .float32:
        let (i, r) = (raw.assumingMemoryBound(to: Float.self), target.assumingMemoryBound(to: Float.self))
        mean
          ? EigenReduction.mean(i, over: plan, into: r, intraOpThreads: threads)
          : EigenReduction.sum(i, over: plan, into: r, intraOpThreads: threads)
      case .float64:
        let (i, r) = (raw.assumingMemoryBound(to: Double.self), target.assumingMemoryBound(to: Double.self))
        mean
          ? EigenReduction.mean(i, over: plan, into: r, intraOpThreads: threads)
          : EigenReduction.sum(i, over: plan, into: r, intraOpThreads: threads)
      case .float16:
        let (i, r) = (raw.assumingMemoryBound(to: Float16.self), target.assumingMemoryBound(to: Float16.self))
        mean
          ? EigenReduction.mean(i, over: plan, into: r, intraOpThreads: threads)
          : EigenReduction.sum(i, over: plan, into: r, intraOpThreads: threads)
      default:
        let (i, r) = (raw.assumingMemoryBound(to: UInt16.self), target.assumingMemoryBound(to: UInt16.self))
        mean
          ? EigenReduction.mean(bfloat16Bits: i, over: plan, into: r, intraOpThreads: threads)
          : EigenReduction.sum(bfloat16Bits: i, over: plan, into: r, intraOpThreads: threads)
      }
    }
    return out
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(T.self, shape: layout.outShape)
    let output = UnsafeMutableBufferPointer(start: o, count: out.scalarCount)
    let (plan, mean) = (EigenReduction.Layout(layout, inputShape: x.shape), mean)
    x.withUnsafeBufferPointer(as: T.self) { input in
      mean
        ? EigenReduction.mean(input, over: plan, into: output)
        : EigenReduction.sum(input, over: plan, into: output)
    }
    return out
  }
}

/// The largest (`largest`) or smallest element; NaN wins, as in TF.
struct ExtremumKernel: NumericKernel {
  let x: Tensor, layout: ReductionLayout, largest: Bool

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let identity = T(computed: largest ? -T.Compute.infinity : T.Compute.infinity)
    return try Reduction.fold(x, T.self, layout: layout, identity: identity) { [largest] a, b in
      let (p, q) = (a.computeValue, b.computeValue)
      if p.isNaN || q.isNaN { return T(computed: .nan) }
      return (largest ? q > p : q < p) ? b : a
    }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Reduction.fold(x, T.self, layout: layout, identity: largest ? T.min : T.max) { [largest] in
      largest ? Swift.max($0, $1) : Swift.min($0, $1)
    }
  }
}

extension OpDefinition {
  /// The sum over axes.
  public static let sum = Reductions.declare("Sum", gradient: .rule(Reductions.SumGradient.self)) {
    x, layout throws(TensorError) in
    try SumKernel(x: x, layout: layout, mean: false).dispatch(on: x.dtype, op: "Sum")
  }
  /// The mean over axes.
  public static let mean = Reductions.declare("Mean", gradient: .rule(Reductions.MeanGradient.self)) {
    x, layout throws(TensorError) in
    try SumKernel(x: x, layout: layout, mean: true).dispatch(on: x.dtype, op: "Mean")
  }
  /// The maximum over axes.
  public static let max = Reductions.declare("Max", gradient: .rule(Reductions.ExtremumGradient.self)) {
    x, layout throws(TensorError) in
    try ExtremumKernel(x: x, layout: layout, largest: true).dispatch(on: x.dtype, op: "Max")
  }
  /// The minimum over axes.
  public static let min = Reductions.declare("Min", gradient: .rule(Reductions.ExtremumGradient.self)) {
    x, layout throws(TensorError) in
    try ExtremumKernel(x: x, layout: layout, largest: false).dispatch(on: x.dtype, op: "Min")
  }
}

extension OpAttributes {
  /// The attributes of a reduction over `axes` (all when nil).
  public static func reduction(axes: [Int]?, keepDims: Bool, scalarAxis: Bool = false) -> OpAttributes {
    Reductions.attributes(axes: axes, keepDims: keepDims, scalarAxis: scalarAxis)
  }
}

// MARK: - Gradients (TF's math_grad.py)

extension Reductions {
  /// `_SumGrad`: the gradient, with the reduced axes restored as 1, broadcast back to the
  /// input's shape.
  enum SumGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try spread(g)]
    }

    /// The gradient reshaped with the reduced axes as 1 and broadcast to the input's shape.
    static func spread<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> E.Value {
      let x = g.inputs[0]
      let kept = try g.emit(
        .reshape, g.grad, try g.keptDimensions(of: x, axes: g.op.attributes.ints("reduction_indices")))
      if let shape = g.staticShape(x) { return try g.broadcast(kept, to: shape) }
      return try g.emit(.broadcastTo, kept, try g.emit(.shape, x))
    }
  }

  /// `_MeanGrad`: the sum's gradient divided by how many elements each output averaged
  /// (`input size // max(output size, 1)`, computed when the graph runs if shapes are unknown).
  enum MeanGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let spread = try SumGradient.spread(g)
      let (x, y) = (g.inputs[0], g.outputs[0])
      let factor: E.Value
      if let input = g.staticShape(x), let output = g.staticShape(y) {
        let count = Shape.elementCount(input) / Swift.max(Shape.elementCount(output), 1)
        factor = try g.constant(Double(count), like: spread)
      } else {
        let all = Reductions.attributes(axes: nil, keepDims: false)
        let inputSize = try g.emit(.prod, try g.emit(.shape, x), attributes: all)
        let outputSize = try g.emit(.prod, try g.emit(.shape, y), attributes: all)
        let one = try g.emitter.constant(Tensor(shape: [], scalars: [Int32(1)]))
        let count = try g.emit(.floorDiv, inputSize, try g.emit(.maximum, outputSize, one))
        factor = try g.emitter.emit(.cast(to: g.dtype(spread)), [count])[0]
      }
      return [try g.emit(.realDiv, spread, factor)]
    }
  }

  /// `_MinOrMaxGrad`: the gradient shared equally among the elements equal to the result
  /// (ties split it), `(indicators / count) * grad`.
  enum ExtremumGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let x = g.inputs[0]
      let axes = g.op.attributes.ints("reduction_indices")
      let kept = try g.keptDimensions(of: x, axes: axes)
      let y = try g.emit(.reshape, g.outputs[0], kept)
      let grad = try g.emit(.reshape, g.grad, kept)
      let equal = try g.emit(.equal, y, x)
      let indicators = try g.emitter.emit(.cast(to: g.dtype(grad)), [equal])[0]
      let counts = try g.emit(.sum, indicators, attributes: Reductions.attributes(axes: axes, keepDims: false))
      let selected = try g.emit(.reshape, counts, kept)
      return [try g.emit(.mul, try g.emit(.realDiv, indicators, selected), grad)]
    }
  }
}
