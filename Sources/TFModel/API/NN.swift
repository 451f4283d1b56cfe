import Operations
import PythonRuntime
import TensorCore

/// `tf.nn` and `tf.compat.v1.nn`: the losses and convolutions Lockstep models.
extension TFRuntime {
  func registerNN() {
    for (module, prefix, v1) in [(ModuleName.tfNn, "tf.nn", false), (ModuleName.v1Nn, "tf.compat.v1.nn", true)] {
      let signature: [Arguments.Parameter] =
        v1
        ? [.optional("labels"), .optional("logits"), .optional("name")]
        : [.required("labels"), .required("logits"), .optional("name")]
      register(
        module,
        [
          "sparse_softmax_cross_entropy_with_logits": function(
            "\(prefix).sparse_softmax_cross_entropy_with_logits", signature
          ) { [unowned self] bound, _ throws(RuntimeError) in
            try self.sparseSoftmaxCrossEntropy(labels: bound["labels"], logits: bound["logits"])
          },
          "conv2d": conv2dFunction("\(prefix).conv2d", v1: v1),
        ])
    }
  }

  /// nn_ops.sparse_softmax_cross_entropy_with_logits: its Python-level shape checks, then
  /// the kernel (log-sum-exp minus the label's logit, per example).
  private func sparseSoftmaxCrossEntropy(labels: PyValue, logits: PyValue) throws(RuntimeError) -> PyValue {
    let graph = try graphFor([labels, logits])
    let scope = scopeName("SparseSoftmaxCrossEntropyWithLogits", graph: graph)
    let labelsOperand = try operand(labels, dtype: nil, graph: graph, constName: "\(scope)/labels")
    let logitsOperand = try operand(logits, dtype: nil, graph: graph, constName: "\(scope)/logits")
    let (labelSpec, logitSpec) = (labelsOperand.spec, logitsOperand.spec)
    func shape(_ spec: TensorSpec) -> String { spec.shapeDescription }
    if logitSpec.rank == 0 {
      throw .valueError("`logits` cannot be a scalar. Received logits=\(logits.str)`")
    }
    if let labelRank = labelSpec.rank, let logitRank = logitSpec.rank, labelRank != logitRank - 1 {
      throw .valueError(
        "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape=\(shape(labelSpec)) of rank "
          + "\(labelRank) and logits.shape=\(shape(logitSpec)) of rank \(logitRank)"
      )
    }
    if let labelShape = labelSpec.knownShape, let logitShape = logitSpec.shape,
      logitShape.dropLast().allSatisfy({ $0 != nil }),
      labelShape != logitShape.dropLast().map({ $0! })
    {
      throw .valueError(
        "`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
          + "labels.shape=\(shape(labelSpec)) and logits.shape=\(shape(logitSpec))"
      )
    }
    guard labelSpec.dtype.isInteger else {
      if graph != nil {
        throw .typeError(
          "Value passed to parameter 'labels' has DataType \(labelSpec.dtype.name) not in list of allowed values: "
            + "int32, int64"
        )
      }
      throw .exception(
        "InvalidArgumentError",
        "Value for attr 'Tlabels' of \(labelSpec.dtype.cppName) is not in the list of allowed values: int32, "
          + "int64\n\t; NodeDef: {{node SparseSoftmaxCrossEntropyWithLogits}} [Op:SparseSoftmaxCrossEntropyWithLogits]"
      )
    }
    // In a graph the kernel node sits inside the function's name scope.
    let nodeName = graph == nil ? scope : "\(scope)/SparseSoftmaxCrossEntropyWithLogits"
    return try apply(
      Op(.sparseSoftmaxCrossEntropyWithLogits), [logitsOperand, labelsOperand], name: nodeName, graph: graph)
  }
}
