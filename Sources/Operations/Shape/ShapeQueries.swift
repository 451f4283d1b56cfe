import TensorCore

/// The ops that read or build shapes: `Shape`, `ZerosLike`, `OnesLike`, `Fill`,
/// `BroadcastTo`, `BroadcastGradientArgs`, and `PreventGradient`. Shapes are real tensor
/// inputs, so a graph can compute them at run time; inference reads a constant shape's value
/// (`TensorSpec.value`), as TF's shape functions do, and leaves other dimensions unknown.
enum ShapeQueries {
  static let ops: [OpDefinition] = [
    .shape, .zerosLike, .onesLike, .fill, .broadcastTo, .broadcastGradientArgs, .preventGradient,
  ]

  /// `Shape must be rank 1 but is rank 2 for '{{node …}} = Fill[…](…)' with input shapes: [3,1], [].`
  static func requireRank(
    _ input: TensorSpec, _ rank: Int, atMost: Bool = false, node: String, inputs: [TensorSpec]
  ) throws(OpError) {
    guard let actual = input.rank, atMost ? actual > rank : actual != rank else { return }
    throw .invalidArgument(
      "Shape must be \(atMost ? "at most " : "")rank \(rank) but is rank \(actual) for '{{node $NODE}} = "
        + "\(node)$INPUTS' with input shapes: \(inputs.map(\.bracketedShape).joined(separator: ", ")).")
  }

  /// The dimensions a shape tensor (`Fill`'s `dims`, `BroadcastTo`'s `shape`) holds, with
  /// TF's kernel messages for a non-vector or a negative dimension.
  static func dimensions(_ shape: Tensor, name: String) throws(TensorError) -> [Int] {
    guard shape.rank == 1 else {
      throw .invalidArgument("\(name) must represent a vector, got shape \(Shape.describe(shape.shape))")
    }
    let dims = shape.int64s.map { Int($0) }
    if let negative = dims.first(where: { $0 < 0 }) {
      throw .invalidArgument("Dimension \(negative) must be >= 0")
    }
    return dims
  }

  /// A vector of `values` as an int32 or int64 tensor.
  static func vector(_ values: [Int], dtype: DType) -> Tensor {
    dtype == .int64
      ? Tensor(shape: [values.count], scalars: values.map { Int64($0) })
      : Tensor(shape: [values.count], scalars: values.map { Int32(truncatingIfNeeded: $0) })
  }

  /// `Fill`'s spec: `dims` a vector, `value` a scalar; one unknown dimension per element of `dims`.
  static func inferFill(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    let node = "Fill[T=\(inputs[1].dtype.tfEnumName), index_type=\(inputs[0].dtype.tfEnumName)]"
    try requireRank(inputs[0], 1, node: node, inputs: inputs)
    try requireRank(inputs[1], 0, node: node, inputs: inputs)
    if let dims = inputs[0].value?.int64s {
      return [TensorSpec(dtype: inputs[1].dtype, shape: dims.map { Int($0) })]
    }
    let count = inputs[0].shape?[0]
    return [TensorSpec(dtype: inputs[1].dtype, partialShape: count.map { [Int?](repeating: nil, count: $0) })]
  }

  /// `BroadcastTo`'s spec: as many dimensions as `shape` has elements; where the input has a
  /// known dimension other than 1, the output has it too.
  static func inferBroadcastTo(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    let (input, shape) = (inputs[0], inputs[1])
    let node = "BroadcastTo[T=\(input.dtype.tfEnumName), Tidx=\(shape.dtype.tfEnumName)]"
    try requireRank(shape, 1, node: node, inputs: inputs)
    guard let count = shape.shape?[0] else { return [TensorSpec(dtype: input.dtype, partialShape: nil)] }
    var out = [Int?](repeating: nil, count: count)
    if let dims = shape.value?.int64s {
      let target = TensorSpec(dtype: input.dtype, shape: dims.map { Int($0) })
      let broadcast = try ShapeInference.broadcastShapes("BroadcastTo", input, target)
      guard broadcast?.count == count, broadcast.map({ zip($0, dims).allSatisfy { $0 == Int($1) } }) ?? true else {
        throw .invalidArgument(
          "Incompatible shapes: \(input.bracketedShape) vs. \(target.bracketedShape) for '{{node $NODE}} = "
            + "\(node)$INPUTS'.")
      }
      return [target]
    }
    if let dims = input.shape {
      try requireRank(input, count, atMost: true, node: node, inputs: inputs)
      for (offset, dim) in dims.reversed().enumerated() where dim != 1 {
        out[count - 1 - offset] = dim
      }
    }
    return [TensorSpec(dtype: input.dtype, partialShape: out)]
  }

  /// The axes over which each of two broadcast operands' gradients must be summed, as TF's
  /// `BCast` (bcast.h) computes them: every output axis where the operand, padded on the left
  /// with 1s, has size 1 (axes where both have size 1 are in both lists); none for equal shapes.
  static func gradientReductionAxes(_ s0: [Int], _ s1: [Int]) throws(TensorError) -> ([Int], [Int]) {
    guard Shape.broadcast(s0, s1) != nil else {
      throw .incompatibleShapes(op: "BroadcastGradientArgs", lhs: s0, rhs: s1)
    }
    if s0 == s1 { return ([], []) }
    let rank = max(s0.count, s1.count)
    func axes(_ shape: [Int]) -> [Int] {
      (0..<rank).filter { axis in axis < rank - shape.count || shape[axis - (rank - shape.count)] == 1 }
    }
    return (axes(s0), axes(s1))
  }
}

extension OpDefinition {
  /// The shape of `input` as a vector of the `out_type` attribute's dtype (int32 by default).
  public static let shape = OpDefinition(
    "Shape", gradient: .notDifferentiable,
    infer: { inputs, attributes throws(OpError) in
      let dtype = attributes.type("out_type") ?? .int32
      guard let known = inputs[0].knownShape else { return [TensorSpec(dtype: dtype, partialShape: [inputs[0].rank])] }
      return [TensorSpec(constant: ShapeQueries.vector(known, dtype: dtype))]
    },
    kernel: { inputs, attributes throws(TensorError) in
      [ShapeQueries.vector(inputs[0].shape, dtype: attributes.type("out_type") ?? .int32)]
    })

  /// Zeros (or `false`, or empty strings) of `x`'s shape and dtype.
  public static let zerosLike = OpDefinition(
    "ZerosLike", gradient: .notDifferentiable, infer: ShapeInference.sameAsFirst,
    kernel: { inputs, _ throws(TensorError) in [try Tensor.zeros(shape: inputs[0].shape, dtype: inputs[0].dtype)] })

  /// Ones (or `true`) of `x`'s shape and dtype.
  public static let onesLike = OpDefinition(
    "OnesLike", gradient: .notDifferentiable, infer: ShapeInference.sameAsFirst,
    kernel: { inputs, _ throws(TensorError) in [try Tensor.ones(shape: inputs[0].shape, dtype: inputs[0].dtype)] })

  /// A tensor of shape `dims` (an int vector) with every element the scalar `value`.
  public static let fill = OpDefinition(
    "Fill", gradient: .rule(ShapeQueries.FillGradient.self),
    infer: { inputs, _ throws(OpError) in try ShapeQueries.inferFill(inputs) },
    kernel: { inputs, _ throws(TensorError) in
      let dims = try ShapeQueries.dimensions(inputs[0], name: "dims")
      let value = inputs[1]
      // TF still accepts a one-element vector for the scalar.
      guard value.rank == 0 || value.shape == [1] else {
        throw .invalidArgument("value must represent a scalar, got shape \(Shape.describe(value.shape))")
      }
      return [try value.reshaped(to: []).broadcasted(to: dims)]
    })

  /// `input` broadcast to `shape` (an int vector).
  public static let broadcastTo = OpDefinition(
    "BroadcastTo", gradient: .rule(ShapeOps.BroadcastToGradient.self),
    infer: { inputs, _ throws(OpError) in try ShapeQueries.inferBroadcastTo(inputs) },
    kernel: { inputs, _ throws(TensorError) in
      [try inputs[0].broadcasted(to: try ShapeQueries.dimensions(inputs[1], name: "shape"))]
    })

  /// The axes to sum each operand's gradient over after a broadcast of shapes `s0` and `s1`
  /// (int vectors): two outputs, `r0` and `r1`.
  public static let broadcastGradientArgs = OpDefinition(
    "BroadcastGradientArgs", gradient: .notDifferentiable,
    infer: { inputs, _ throws(OpError) in
      let node = "BroadcastGradientArgs[T=\(inputs[0].dtype.tfEnumName)]"
      for input in inputs { try ShapeQueries.requireRank(input, 1, node: node, inputs: inputs) }
      return [
        TensorSpec(dtype: inputs[0].dtype, partialShape: [nil]),
        TensorSpec(dtype: inputs[0].dtype, partialShape: [nil]),
      ]
    },
    kernel: { inputs, _ throws(TensorError) in
      let (s0, s1) = (inputs[0].int64s.map { Int($0) }, inputs[1].int64s.map { Int($0) })
      let (r0, r1) = try ShapeQueries.gradientReductionAxes(s0, s1)
      return [ShapeQueries.vector(r0, dtype: inputs[0].dtype), ShapeQueries.vector(r1, dtype: inputs[0].dtype)]
    })

  /// `input` itself; asking for its gradient is an error naming the `message` attribute.
  public static let preventGradient = OpDefinition(
    "PreventGradient", gradient: .rule(ShapeQueries.PreventedGradient.self), infer: ShapeInference.sameAsFirst,
    kernel: { inputs, _ throws(TensorError) in [inputs[0]] })
}

extension ShapeQueries {
  /// `_FillGrad`: the value's gradient is the sum of the gradient; the dims have none.
  enum FillGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [nil, try g.emit(.sum, g.grad, attributes: Reductions.attributes(axes: nil, keepDims: false))]
    }
  }

  /// `PreventGradient`'s rule is TF's `LookupError` naming the op's `message`.
  enum PreventedGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      throw .gradientDisabled(g.op.attributes.string("message") ?? "")
    }
  }
}
