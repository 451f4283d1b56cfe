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
      tensor = try Tensor.filled(with: value, shape: [], dtype: spec(like).dtype)
    } catch {
      throw .tensor(error)
    }
    return try emitter.emit(.constant(tensor), [])[0]
  }

  /// The fully known static shape of `value`; rules that need one refuse unknown dimensions.
  public func knownShape(_ value: Emitter.Value) throws(OpError) -> [Int] {
    guard let shape = spec(value).knownShape else {
      throw .unimplemented("the gradient of \(op.typeName) for a tensor of unknown shape \(spec(value).bracketedShape)")
    }
    return shape
  }

  /// `value` with `shape` (same element count).
  public func reshape(_ value: Emitter.Value, to shape: [Int]) throws(OpError) -> Emitter.Value {
    if spec(value).knownShape == shape { return value }
    return try emit(.reshape, value, attributes: OpAttributes(["shape": .ints(shape)]))
  }

  /// `value` broadcast to `shape` (TF's `broadcast_to`, the shape a constant input).
  public func broadcast(_ value: Emitter.Value, to shape: [Int]) throws(OpError) -> Emitter.Value {
    if spec(value).knownShape == shape { return value }
    let dims = try emitter.emit(.constant(Tensor(shape: [shape.count], scalars: shape.map { Int32($0) })), [])[0]
    return try emit(.broadcastTo, value, dims)
  }

  /// A broadcast gradient summed back to the shape of input `index` (swift-apis's
  /// `BroadcastingPullback`, TF's `reshape(reduce_sum(grad, rx), sx)` with the reduction
  /// axes `BroadcastGradientArgs` gives).
  public func unbroadcast(_ value: Emitter.Value, toInput index: Int) throws(OpError) -> Emitter.Value {
    let target = try knownShape(inputs[index])
    let shape = try knownShape(value)
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
