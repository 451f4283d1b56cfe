import TensorCore

/// Constants, casts, reshapes, and the dimension edits ExpandDims and Squeeze.
enum ShapeOps {
  static let ops: [OpDefinition] = [.const, .cast, .reshape, .expandDims, .squeeze]

  /// The spec of reshaping `input` to `requested` (-1 inferred), with TF's messages.
  static func inferReshape(_ input: TensorSpec, _ requested: [Int]) throws(OpError) -> TensorSpec {
    guard let known = input.knownShape else {
      return TensorSpec(dtype: input.dtype, partialShape: requested.map { $0 == -1 ? nil : $0 })
    }
    let count = Shape.elementCount(known)
    let inferred = requested.filter { $0 == -1 }.count
    let product = requested.filter { $0 != -1 }.reduce(1, *)
    if inferred <= 1, !requested.contains(where: { $0 < -1 }) {
      if inferred == 1, product != 0, count % product == 0 {
        return TensorSpec(dtype: input.dtype, shape: requested.map { $0 == -1 ? count / product : $0 })
      }
      if inferred == 0, product == count {
        return TensorSpec(dtype: input.dtype, shape: requested)
      }
    }
    let partial = "[" + requested.map { $0 == -1 ? "?" : String($0) }.joined(separator: ",") + "]"
    let node =
      "for '{{node $NODE}} = Reshape[T=\(input.dtype.tfEnumName), Tshape=DT_INT32]$INPUTS' with input shapes: "
      + "\(input.bracketedShape), [\(requested.count)] and with input tensors computed as partial shapes: input[1] = "
      + "\(partial)."
    if inferred == 1 && product != 0 && count % product != 0 {
      throw .invalidArgument("Dimension size must be evenly divisible by \(product) but is \(count) \(node)")
    }
    throw .invalidArgument(
      "Cannot reshape a tensor with \(count) elements to shape \(Shape.describe(requested)) "
        + "(\(requested.reduce(1, *)) elements) \(node)"
    )
  }
}

extension OpDefinition {
  /// A constant: its `value` attribute.
  public static let const = OpDefinition(
    "Const", gradient: .notDifferentiable,
    infer: { _, attributes throws(OpError) in
      guard let value = attributes.tensor("value") else { preconditionFailure("Const without a value") }
      return [TensorSpec(constant: value)]
    },
    kernel: { _, attributes throws(TensorError) in
      guard let value = attributes.tensor("value") else { preconditionFailure("Const without a value") }
      return [value]
    })

  /// `x` converted to the `DstT` attribute's dtype.
  public static let cast = OpDefinition(
    "Cast", gradient: .rule(ShapeOps.CastGradient.self),
    infer: { inputs, attributes throws(OpError) in
      guard let dtype = attributes.type("DstT") else { preconditionFailure("Cast without DstT") }
      return [TensorSpec(dtype: dtype, partialShape: inputs[0].shape)]
    },
    kernel: { inputs, attributes throws(TensorError) in
      guard let dtype = attributes.type("DstT") else { preconditionFailure("Cast without DstT") }
      return [try inputs[0].cast(to: dtype)]
    })

  /// `tensor` with the `shape` attribute's dimensions (one may be -1); shares the buffer.
  public static let reshape = OpDefinition(
    "Reshape", tensorInputs: 1, gradient: .rule(ShapeOps.ReshapeGradient.self),
    infer: { inputs, attributes throws(OpError) in
      [try ShapeOps.inferReshape(inputs[0], attributes.ints("shape") ?? [])]
    },
    kernel: { inputs, attributes throws(TensorError) in
      [try inputs[0].reshaped(toRequested: attributes.ints("shape") ?? [])]
    })
}

// MARK: - Gradients (TF's array_grad.py and math_grad.py)

extension ShapeOps {
  /// `_CastGrad`: the gradient cast back, between floating types only.
  enum CastGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let source = g.dtype(g.inputs[0])
      guard source.isFloatingPoint, g.dtype(g.outputs[0]).isFloatingPoint else { return [nil] }
      return [try g.emitter.emit(.cast(to: source), [g.grad])[0]]
    }
  }

  /// `_ReshapeGrad` (also `_ExpandDimsGrad`, `_SqueezeGrad`): the gradient reshaped to the input's shape.
  enum ReshapeGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.reshape(g.grad, toShapeOf: g.inputs[0])]
    }
  }

  /// `_BroadcastToGrad`: the gradient summed back to the input's shape.
  enum BroadcastToGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.unbroadcast(g.grad, toInput: 0)]
    }
  }
}
