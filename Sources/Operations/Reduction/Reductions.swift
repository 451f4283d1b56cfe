import TensorCore

/// The reductions `Sum`, `Mean`, `Max`, `Min` over the axes in the `reduction_indices`
/// attribute (all axes when unset), keeping reduced dimensions as 1 with `keep_dims`.
enum Reductions {
  static let ops: [OpDefinition] = [.sum, .mean, .max, .min]

  /// The attributes of a reduction over `axes` (all when nil). `scalarAxis` records that
  /// the program passed one int rather than a list, which TF's messages show.
  static func attributes(axes: [Int]?, keepDims: Bool, scalarAxis: Bool = false) -> OpAttributes {
    var attributes = OpAttributes(["keep_dims": .bool(keepDims), "scalar_axis": .bool(scalarAxis)])
    if let axes { attributes["reduction_indices"] = .ints(axes) }
    return attributes
  }

  static func declare(_ name: String, kernel: @escaping @Sendable (Tensor, ReductionLayout) throws(TensorError) -> Tensor) -> OpDefinition {
    OpDefinition(
      name, tensorInputs: 1,
      infer: { inputs, attributes throws(OpError) in [try infer(name, inputs[0], attributes)] },
      kernel: { inputs, attributes throws(TensorError) in
        let x = inputs[0]
        let axes = attributes.ints("reduction_indices")
        guard let layout = ReductionLayout(shape: x.shape, axes: axes, keepDims: attributes.bool("keep_dims")) else {
          let bad = axes?.first { Shape.normalizedAxis($0, rank: x.rank) == nil } ?? 0
          throw .invalidArgument("Invalid reduction dimension (\(bad) for input with \(x.rank) dimension(s)")
        }
        return [try kernel(x, layout)]
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
          "Invalid reduction dimension \(axis) for input with \(rank) dimensions. for '{{node $NODE}} = \(name)[T=\(input.dtype.tfEnumName), Tidx=DT_INT32, keep_dims=\(keepDims)]$INPUTS' with input shapes: \(input.bracketedShape), \(axesShape) and with computed input tensors: input[1] = <\(computed)>.")
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

/// Sum (`mean`: then divided by the count). Floats accumulate in double and round once;
/// integers wrap, and their mean truncates as TF's does.
struct SumKernel: NumericKernel {
  let x: Tensor, layout: ReductionLayout, mean: Bool

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let count = Double(layout.reducedCount)
    let sums = try Reduction.fold(try x.cast(to: .float64), Double.self, layout: layout, identity: 0, +)
    return try Elementwise.map(sums, Double.self, to: T.self) { [mean] in T(castingFrom: mean ? $0 / count : $0) }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let sums = try Reduction.fold(x, T.self, layout: layout, identity: 0, &+)
    guard mean else { return sums }
    let count = layout.reducedCount
    let divisor = T(truncatingIfNeeded: count)
    return try Elementwise.map(sums, T.self, to: T.self) { count == 0 || divisor == 0 ? 0 : $0 / divisor }
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
  public static let sum = Reductions.declare("Sum") { x, layout throws(TensorError) in
    try SumKernel(x: x, layout: layout, mean: false).dispatch(on: x.dtype, op: "Sum")
  }
  /// The mean over axes.
  public static let mean = Reductions.declare("Mean") { x, layout throws(TensorError) in
    try SumKernel(x: x, layout: layout, mean: true).dispatch(on: x.dtype, op: "Mean")
  }
  /// The maximum over axes.
  public static let max = Reductions.declare("Max") { x, layout throws(TensorError) in
    try ExtremumKernel(x: x, layout: layout, largest: true).dispatch(on: x.dtype, op: "Max")
  }
  /// The minimum over axes.
  public static let min = Reductions.declare("Min") { x, layout throws(TensorError) in
    try ExtremumKernel(x: x, layout: layout, largest: false).dispatch(on: x.dtype, op: "Min")
  }
}

extension OpAttributes {
  /// The attributes of a reduction over `axes` (all when nil).
  public static func reduction(axes: [Int]?, keepDims: Bool, scalarAxis: Bool = false) -> OpAttributes {
    Reductions.attributes(axes: axes, keepDims: keepDims, scalarAxis: scalarAxis)
  }
}
