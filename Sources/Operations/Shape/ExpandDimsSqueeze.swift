import TensorCore

extension OpAttributes {
  /// The attributes of an `ExpandDims` at `dims` (TF's `dim` input: one value, or TF's error
  /// for any other count). `scalar` records that the program passed one int rather than a
  /// list, which TF's messages show as the input's shape.
  public static func expandDims(_ dims: [Int], scalar: Bool) -> OpAttributes {
    OpAttributes(["dim": .ints(dims), "scalar_dim": .bool(scalar)])
  }

  /// The attributes of a `Squeeze` of the dimensions `squeezeDims` (every dimension of size 1
  /// when empty).
  public static func squeeze(_ squeezeDims: [Int]) -> OpAttributes {
    OpAttributes(["squeeze_dims": .ints(squeezeDims)])
  }
}

extension ShapeOps {
  /// The spec of `ExpandDims`, with TF 2.21's shape-function messages.
  static func inferExpandDims(_ input: TensorSpec, _ attributes: OpAttributes) throws(OpError) -> TensorSpec {
    let dims = attributes.ints("dim") ?? []
    let node =
      "for '{{node $NODE}} = ExpandDims[T=\(input.dtype.tfEnumName), Tdim=DT_INT32]$INPUTS' with input shapes: "
      + "\(input.bracketedShape), \(attributes.bool("scalar_dim") ? "[]" : "[\(dims.count)]") and with computed input "
      + "tensors: "
      + "input[1] = <\(dims.map(String.init).joined(separator: " "))>."
    guard dims.count == 1 else { throw .invalidArgument("'dim' input must be a tensor with a single value \(node)") }
    guard var shape = input.shape else { return TensorSpec(dtype: input.dtype, partialShape: nil) }
    let dim = dims[0], rank = shape.count
    guard dim >= -rank - 1, dim <= rank else {
      throw .invalidArgument("dim \(dim) not in the interval [\(-rank - 1), \(rank)]. \(node)")
    }
    shape.insert(1, at: dim < 0 ? dim + rank + 1 : dim)
    return TensorSpec(dtype: input.dtype, partialShape: shape)
  }

  /// The spec of `Squeeze`, with TF 2.21's shape-function messages. A squeezed dimension of
  /// unknown size is taken to be 1; without `squeeze_dims`, one unknown dimension makes the
  /// whole shape unknown.
  static func inferSqueeze(_ input: TensorSpec, _ attributes: OpAttributes) throws(OpError) -> TensorSpec {
    guard let shape = input.shape else { return TensorSpec(dtype: input.dtype, partialShape: nil) }
    let squeezeDims = attributes.ints("squeeze_dims") ?? []
    let rank = shape.count
    let node =
      "for '{{node $NODE}} = Squeeze[T=\(input.dtype.tfEnumName), "
      + "squeeze_dims=[\(squeezeDims.map(String.init).joined(separator: ", "))]]$INPUTS' "
      + "with input shapes: \(input.bracketedShape)."
    var wrapped = Set<Int>()
    for (index, dim) in squeezeDims.enumerated() {
      guard dim >= -rank, dim < rank else {
        throw .invalidArgument("squeeze_dims[\(index)] not in [\(-rank),\(rank)). \(node)")
      }
      wrapped.insert(dim < 0 ? dim + rank : dim)
    }
    var out: [Int?] = []
    for (axis, size) in shape.enumerated() {
      let explicit = wrapped.contains(axis)
      guard let size else {
        if wrapped.isEmpty { return TensorSpec(dtype: input.dtype, partialShape: nil) }
        if !explicit { out.append(nil) }
        continue
      }
      if explicit || wrapped.isEmpty {
        if size == 1 { continue }
        if explicit {
          throw .invalidArgument("Can not squeeze dim[\(axis)], expected a dimension of 1, got \(size) \(node)")
        }
      }
      out.append(size)
    }
    return TensorSpec(dtype: input.dtype, partialShape: out)
  }

  /// The shape of `Squeeze`'s output, with TF 2.21's kernel messages.
  static func squeezedShape(_ shape: [Int], _ squeezeDims: [Int]) throws(TensorError) -> [Int] {
    let rank = shape.count
    var wrapped = Set<Int>()
    for dim in squeezeDims {
      guard dim >= -rank, dim < rank else {
        throw .invalidArgument("Tried to squeeze dim index \(dim) for tensor with \(rank) dimensions.")
      }
      wrapped.insert(dim < 0 ? dim + rank : dim)
    }
    var out: [Int] = []
    for (axis, size) in shape.enumerated() {
      if wrapped.contains(axis) {
        guard size == 1 else {
          throw .invalidArgument("Can not squeeze dim[\(axis)], expected a dimension of 1, got \(size)")
        }
      } else if !(squeezeDims.isEmpty && size == 1) {
        out.append(size)
      }
    }
    return out
  }
}

extension OpDefinition {
  /// `input` with a dimension of size 1 inserted at the `dim` attribute's axis (TF's `dim`
  /// input, one value; negative counts from the end); shares the buffer.
  public static let expandDims = OpDefinition(
    "ExpandDims", tensorInputs: 1, gradient: .rule(ShapeOps.ReshapeGradient.self),
    infer: { inputs, attributes throws(OpError) in [try ShapeOps.inferExpandDims(inputs[0], attributes)] },
    kernel: { inputs, attributes throws(TensorError) in
      let input = inputs[0]
      let dims = attributes.ints("dim") ?? []
      guard dims.count == 1 else { throw .invalidArgument("'dim' must be a tensor with a single value") }
      let dim = dims[0], rank = input.rank
      guard dim >= -rank - 1, dim <= rank else {
        throw .invalidArgument("Tried to expand dim index \(dim) for tensor with \(rank) dimensions.")
      }
      var shape = input.shape
      shape.insert(1, at: dim < 0 ? dim + rank + 1 : dim)
      return [input.reshaped(to: shape)]
    })

  /// `input` without the dimensions of size 1 the `squeeze_dims` attribute lists (all of
  /// them when it is empty); shares the buffer.
  public static let squeeze = OpDefinition(
    "Squeeze", gradient: .rule(ShapeOps.ReshapeGradient.self),
    infer: { inputs, attributes throws(OpError) in [try ShapeOps.inferSqueeze(inputs[0], attributes)] },
    kernel: { inputs, attributes throws(TensorError) in
      [inputs[0].reshaped(to: try ShapeOps.squeezedShape(inputs[0].shape, attributes.ints("squeeze_dims") ?? []))]
    })
}
