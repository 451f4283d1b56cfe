import RealModule

extension Tensor {
  /// `tf.nn.sparse_softmax_cross_entropy_with_logits`: for logits `[…, classes]` (self) and
  /// integer labels `[…]`, the per-example `logsumexp(logits) - logits[label]`.
  public func sparseSoftmaxCrossEntropy(labels: Tensor) throws(TensorError) -> Tensor {
    guard dtype.isFloatingPoint else { throw .unsupportedDType(op: "SparseSoftmaxCrossEntropyWithLogits", dtype: dtype) }
    guard labels.dtype.isInteger else { throw .unsupportedDType(op: "SparseSoftmaxCrossEntropyWithLogits", dtype: labels.dtype) }
    guard rank >= 1, labels.shape == Array(shape.dropLast()) else {
      throw .invalidArgument(
        "logits and labels must have the same first dimension, got logits shape \(Shape.describe(shape)) and labels shape \(Shape.describe(labels.shape))")
    }
    let classes = shape.last!
    let rows = labels.scalarCount
    let labelValues = labels.cast(to: .int64)
    guard case let .int64(indices) = labelValues.storage else { preconditionFailure("cast to int64") }
    for label in indices where label < 0 || label >= Int64(classes) {
      throw .invalidArgument(
        "Received a label value of \(label) which is outside the valid range of [0, \(classes)).  Label values: \(indices.map(String.init).joined(separator: " "))")
    }
    // As TF's kernel computes it in the logits' dtype: shift by the row maximum, then
    // log(sum(exp(shifted))) - shifted[label].
    func loss<T: BinaryFloatingPoint & ElementaryFunctions>(_ logits: [T]) -> [T] {
      (0..<rows).map { row in
        let slice = logits[row * classes..<(row + 1) * classes]
        let maximum = slice.max() ?? 0
        let shifted = slice.map { $0 - maximum }
        let sum = shifted.reduce(T.zero) { $0 + T.exp($1) }
        return T.log(sum) - shifted[Int(indices[row])]
      }
    }
    switch storage {
    case let .float32(v): return Tensor(shape: labels.shape, storage: .float32(loss(v)))
    case let .float64(v): return Tensor(shape: labels.shape, storage: .float64(loss(v)))
    default: preconditionFailure("checked floating point")
    }
  }
}
