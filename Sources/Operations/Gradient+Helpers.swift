import TensorCore

/// The steps gradient rules share, written once over any emitter.
extension GradientInputs {
  /// The gradient flowing into the op's only (or first) output.
  public var grad: Emitter.Value {
    guard let first = upstream.first, let value = first else {
      preconditionFailure("a rule runs only when a gradient flows into its op")
    }
    return value
  }

  /// A value's dtype and static shape.
  public func spec(_ value: Emitter.Value) -> TensorSpec { emitter.spec(of: value) }

  /// A value's dtype.
  public func dtype(_ value: Emitter.Value) -> DType { emitter.dtype(of: value) }

  /// A value's shape, when every dimension is known statically.
  public func staticShape(_ value: Emitter.Value) -> [Int]? { emitter.knownShape(of: value) }

  /// Emits `definition` on `inputs`; its first output.
  public func emit(_ definition: OpDefinition, _ inputs: Emitter.Value..., attributes: OpAttributes = OpAttributes())
    throws(OpError) -> Emitter.Value
  {
    try emitter.emit(Op(definition, attributes), inputs)[0]
  }

  /// A scalar constant of `like`'s dtype.
  public func constant(_ value: Double, like: Emitter.Value) throws(OpError) -> Emitter.Value {
    let tensor: Tensor
    do {
      tensor = try Tensor.filled(with: value, shape: [], dtype: dtype(like))
    } catch {
      throw .tensor(error)
    }
    return try emitter.constant(tensor)
  }

  /// The fully known static shape of `value`; rules that need one refuse unknown dimensions.
  public func knownShape(_ value: Emitter.Value) throws(OpError) -> [Int] {
    guard let shape = staticShape(value) else {
      throw .unimplemented("the gradient of \(op.typeName) for a tensor of unknown shape \(spec(value).bracketedShape)")
    }
    return shape
  }

  /// An int32 vector constant.
  public func vector(_ values: [Int]) throws(OpError) -> Emitter.Value {
    try emitter.constant(Tensor(shape: [values.count], scalars: values.map { Int32($0) }))
  }

  /// The shape of `value` as an int32 vector: a constant when it is static, else its `Shape`
  /// computed when the graph runs (a placeholder's batch dimension).
  public func shapeVector(_ value: Emitter.Value) throws(OpError) -> Emitter.Value {
    if let known = staticShape(value) { return try vector(known) }
    return try emit(.shape, value)
  }

  /// `value` with `shape` (same element count).
  public func reshape(_ value: Emitter.Value, to shape: [Int]) throws(OpError) -> Emitter.Value {
    if staticShape(value) == shape { return value }
    return try emit(.reshape, value, attributes: OpAttributes(["shape": .ints(shape)]))
  }

  /// `value` reshaped to the shape of `like`, known now or when the graph runs.
  public func reshape(_ value: Emitter.Value, toShapeOf like: Emitter.Value) throws(OpError) -> Emitter.Value {
    if let known = staticShape(like) { return try reshape(value, to: known) }
    return try emit(.reshape, value, try emit(.shape, like))
  }

  /// `value` broadcast to `shape` (TF's `broadcast_to`, the shape a constant input).
  public func broadcast(_ value: Emitter.Value, to shape: [Int]) throws(OpError) -> Emitter.Value {
    if staticShape(value) == shape { return value }
    return try emit(.broadcastTo, value, try vector(shape))
  }

  /// The shape of `input` with `axes` (the op's `reduction_indices`, all when nil) kept as 1:
  /// a constant, or computed from `Shape(input)` when dimensions are unknown.
  public func keptDimensions(of input: Emitter.Value, axes: [Int]?) throws(OpError) -> Emitter.Value {
    guard let rank = spec(input).rank else {
      throw .unimplemented("the gradient of \(op.typeName) for a tensor of unknown rank")
    }
    let reduced = (axes ?? Array(0..<rank)).compactMap { Shape.normalizedAxis($0, rank: rank) }
    if let known = staticShape(input) {
      return try vector(known.enumerated().map { reduced.contains($0) ? 1 : $1 })
    }
    // Shape(input) * keep + reduced: the input's dimensions, with 1 on the reduced axes.
    let keep = try vector((0..<rank).map { reduced.contains($0) ? 0 : 1 })
    let ones = try vector((0..<rank).map { reduced.contains($0) ? 1 : 0 })
    return try emit(.addV2, try emit(.mul, try emit(.shape, input), keep), ones)
  }

  /// A broadcast gradient summed back to the shape of input `index` (swift-apis's
  /// `BroadcastingPullback`, TF's `reshape(reduce_sum(grad, rx), sx)` with the reduction
  /// axes `BroadcastGradientArgs` gives; computed when the graph runs if shapes are unknown).
  public func unbroadcast(_ value: Emitter.Value, toInput index: Int) throws(OpError) -> Emitter.Value {
    let input = inputs[index]
    guard let target = staticShape(input), let shape = staticShape(value) else {
      let inputShape = try shapeVector(input)
      let axes = try emitter.emit(Op(.broadcastGradientArgs), [inputShape, try shapeVector(value)])[0]
      let summed = try emit(.sum, value, axes, attributes: Reductions.attributes(axes: nil, keepDims: false))
      return try emit(.reshape, summed, inputShape)
    }
    if target == shape { return value }
    let axes = Self.broadcastReductionAxes(from: shape, to: target)
    var summed = value
    if !axes.isEmpty {
      summed = try emit(.sum, value, attributes: Reductions.attributes(axes: axes, keepDims: false))
    }
    return try reshape(summed, to: target)
  }

  /// The axes of `shape` that broadcasting `target` to it expanded: leading axes `target`
  /// lacks, and axes where `target` has 1 and `shape` does not (bcast.h's reduction indices).
  static func broadcastReductionAxes(from shape: [Int], to target: [Int]) -> [Int] {
    let offset = shape.count - target.count
    return shape.indices.filter { axis in
      axis < offset || (target[axis - offset] == 1 && shape[axis] != 1)
    }
  }
}
