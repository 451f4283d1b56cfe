import RealModule
import TensorCore

/// Loss ops.
enum Losses {
  static let ops: [OpDefinition] = [.sparseSoftmaxCrossEntropyWithLogits]

  /// For logits `[…, classes]` and integer labels `[…]`: the per-example
  /// `logsumexp(logits) - logits[label]`, and its gradient `softmax(logits) - onehot(label)`,
  /// computed as TF's kernel does in the logits' dtype (shift by the row maximum first).
  static func sparseSoftmaxCrossEntropy(features: Tensor, labels: Tensor) throws(TensorError) -> [Tensor] {
    let op = "SparseSoftmaxCrossEntropyWithLogits"
    guard labels.dtype.isInteger else { throw .unsupportedDType(op: op, dtype: labels.dtype) }
    guard features.rank >= 1, labels.shape == Array(features.shape.dropLast()) else {
      throw .invalidArgument(
        "logits and labels must have the same first dimension, got logits shape \(Shape.describe(features.shape)) and "
          + "labels shape \(Shape.describe(labels.shape))"
      )
    }
    let classes = features.shape[features.rank - 1]
    let rows = labels.scalarCount
    let indices = try labels.cast(to: .int64).scalars(as: Int64.self)
    for label in indices where label < 0 || label >= Int64(classes) {
      throw .invalidArgument(
        "Received a label value of \(label) which is outside the valid range of [0, \(classes)).  Label values: "
          + "\(indices.map(String.init).joined(separator: " "))"
      )
    }
    func compute<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> [Tensor] {
      let (loss, l) = try Tensor.uninitialized(T.self, shape: labels.shape)
      let (backprop, g) = try Tensor.uninitialized(T.self, shape: features.shape)
      features.withUnsafeBufferPointer(as: T.self) { logits in
        for row in 0..<rows {
          let base = row * classes
          var maximum = -T.Compute.infinity
          for c in 0..<classes { maximum = Swift.max(maximum, logits[base + c].computeValue) }
          var sum = T.Compute.zero
          for c in 0..<classes { sum += T.Compute.exp(logits[base + c].computeValue - maximum) }
          let label = Int(indices[row])
          (l + row).initialize(to: T(computed: T.Compute.log(sum) - (logits[base + label].computeValue - maximum)))
          for c in 0..<classes {
            let probability = T.Compute.exp(logits[base + c].computeValue - maximum) / sum
            (g + base + c).initialize(to: T(computed: probability - (c == label ? 1 : 0)))
          }
        }
      }
      return [loss, backprop]
    }
    switch features.dtype {
    case .float16: return try compute(Float16.self)
    case .bfloat16: return try compute(BFloat16.self)
    case .float32: return try compute(Float.self)
    case .float64: return try compute(Double.self)
    default: throw .unsupportedDType(op: op, dtype: features.dtype)
    }
  }
}

extension OpDefinition {
  /// Softmax cross entropy against integer class labels: outputs the loss and its gradient.
  public static let sparseSoftmaxCrossEntropyWithLogits = OpDefinition(
    "SparseSoftmaxCrossEntropyWithLogits", gradient: .rule(Losses.SparseSoftmaxCrossEntropyGradient.self),
    infer: { inputs, _ throws(OpError) in
      let features = inputs[0]
      guard let logits = features.shape else {
        return [TensorSpec(dtype: features.dtype, partialShape: nil), features]
      }
      return [TensorSpec(dtype: features.dtype, partialShape: Array(logits.dropLast())), features]
    },
    kernel: { inputs, _ throws(TensorError) in
      try Losses.sparseSoftmaxCrossEntropy(features: inputs[0], labels: inputs[1])
    })
}

extension Losses {
  /// `_SparseSoftmaxCrossEntropyWithLogitsGrad`: the loss's gradient (a column) times the
  /// backprop output. The labels have none.
  enum SparseSoftmaxCrossEntropyGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      if g.upstream.count > 1, g.upstream[1] != nil {
        throw .unimplemented("the gradient of SparseSoftmaxCrossEntropyWithLogits' backprop output")
      }
      let backprop = try g.emit(
        .preventGradient, g.outputs[1],
        attributes: OpAttributes([
          "message": .string(
            "Currently there is no way to take the second derivative of sparse_softmax_cross_entropy_with_logits "
              + "due to the fused implementation's interaction with tf.gradients()")
        ]))
      let column = try g.emit(.expandDims, g.grad, attributes: OpAttributes(["dim": .ints([-1])]))
      return [try g.emit(.mul, column, backprop), nil]
    }
  }
}
