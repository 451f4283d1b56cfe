import Operations
import PythonRuntime
import TensorCore

/// `tf.keras` as the profile's Keras has it (Keras 3 from TF 2.16 on): losses, metrics
/// functions, and optimizer construction.
extension TFRuntime {
  func registerKeras() {
    guard profile.kerasMajor == 3 else { return }
    let crossEntropy: (String) -> PyValue = { api in
      self.function(
        api,
        [
          .required("y_true"), .required("y_pred"), .optional("from_logits"), .optional("ignore_class"),
          .optional("axis"),
        ]
      ) { [unowned self] bound, _ throws(RuntimeError) in
        try self.kerasSparseCategoricalCrossentropy(bound)
      }
    }
    let lossClass = function(
      "tf.keras.losses.SparseCategoricalCrossentropy",
      [
        .optional("from_logits"), .optional("ignore_class"), .optional("reduction"),
        .optional("axis"), .optional("name"), .optional("dtype"),
      ]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      .object(try KerasLoss(runtime: self, configuration: bound))
    }
    register(ModuleName.kerasLosses, ["SparseCategoricalCrossentropy": lossClass])
    register(
      ModuleName.kerasMetrics,
      ["sparse_categorical_crossentropy": crossEntropy("tf.keras.metrics.sparse_categorical_crossentropy")])
    register(
      ModuleName.kerasLosses,
      ["sparse_categorical_crossentropy": crossEntropy("tf.keras.losses.sparse_categorical_crossentropy")])
    register(
      ModuleName.kerasOptimizers,
      [
        "Adam": optimizerClass(
          "tf.keras.optimizers.Adam", typeName: "Adam",
          [
            .optional("learning_rate"), .optional("beta_1"), .optional("beta_2"),
            .optional("epsilon"), .optional("amsgrad"), .optional("weight_decay"),
            .optional("clipnorm"), .optional("clipvalue"), .optional("global_clipnorm"), .optional("use_ema"),
            .optional("ema_momentum"), .optional("ema_overwrite_frequency"), .optional("loss_scale_factor"),
            .optional("gradient_accumulation_steps"), .optional("name"),
          ],
          attributes: [
            "beta_1": "beta_1", "beta_2": "beta_2", "epsilon": "epsilon", "amsgrad": "amsgrad", "name": "name",
            "weight_decay": "weight_decay", "clipnorm": "clipnorm", "clipvalue": "clipvalue",
            "global_clipnorm": "global_clipnorm", "use_ema": "use_ema",
          ])
      ])
  }

  /// Keras 3's `sparse_categorical_crossentropy` (keras/src/losses/losses.py and
  /// keras/src/backend/tensorflow/nn.py), eager only.
  func kerasSparseCategoricalCrossentropy(_ bound: BoundArguments) throws(RuntimeError) -> PyValue {
    guard currentGraph == nil else {
      throw .unsupported("tf.keras losses on graph tensors (Keras 3 in a tf.compat.v1 graph)")
    }
    if case .object = bound["ignore_class"] { throw .unsupported("sparse_categorical_crossentropy(ignore_class=…)") }
    if case .int = bound["ignore_class"] { throw .unsupported("sparse_categorical_crossentropy(ignore_class=…)") }
    guard case let .int(axis) = bound["axis"] else { throw .typeError("axis must be an int") }
    // The loss reads `.shape` of both arguments before converting them.
    func shaped(_ name: String) throws(RuntimeError) -> Tensor {
      switch bound[name] {
      case let .object(tensor as TensorValue): return try eagerTensor(.object(tensor), dtype: nil)
      case let .object(array as NDArray): return array.value
      default: throw .exception("AttributeError", "'\(bound[name].typeName)' object has no attribute 'shape'")
      }
    }
    var target = try shaped("y_true")
    var output = try shaped("y_pred")
    if target.rank == output.rank, target.rank > 0,
      let normalized = Shape.normalizedAxis(axis, rank: target.rank), target.shape[normalized] == 1
    {
      target = target.reshaped(to: target.shape.enumerated().filter { $0.offset != normalized }.map(\.element))
    }
    guard axis == -1 || axis == output.rank - 1 else {
      throw .valueError("Only axis=-1 is currently supported. Received: axis=\(axis)")
    }
    let integerTarget = target
    target = try Conversion.kernel { () throws(TensorError) in try integerTarget.cast(to: .int64) }
    let shapes = "target.shape=\(Shape.pythonTuple(target.shape)), output.shape=\(Shape.pythonTuple(output.shape))"
    guard output.rank >= 1 else {
      throw .valueError(
        "Argument `output` must be at least rank 1. Received: output.shape=\(Shape.pythonTuple(output.shape))")
    }
    guard target.rank == output.rank - 1 else {
      throw .valueError("Argument `output` must have rank (ndim) `target.ndim - 1`. Received: \(shapes)")
    }
    guard target.shape == Array(output.shape.dropLast()) else {
      throw .valueError(
        "Arguments `target` and `output` must have the same shape up until the last dimension: \(shapes)")
    }
    if !(try bound.bool("from_logits")) {
      let epsilon = 1e-7
      let low = Tensor(doubles: [epsilon], shape: [], dtype: output.dtype)
      let high = Tensor(doubles: [1 - epsilon], shape: [], dtype: output.dtype)
      let probabilities = output
      output = try Conversion.kernel { () throws(TensorError) in
        try OpDefinition.log(try OpDefinition.minimum(try OpDefinition.maximum(probabilities, low), high))
      }
    }
    let (logits, labels) = (output, target)
    let loss = try Conversion.kernel { () throws(TensorError) in
      try OpDefinition.sparseSoftmaxCrossEntropyWithLogits(logits, labels)
    }
    return .object(EagerTensor(loss, runtime: self))
  }
}

/// A Keras 3 loss object (`tf.keras.losses.SparseCategoricalCrossentropy()`): calling it
/// computes the per-example losses, then reduces them as its `reduction` says (Keras's
/// `reduce_weighted_values`: the default `sum_over_batch_size` divides the sum by the
/// number of losses).
final class KerasLoss: PyObject {
  unowned let runtime: TFRuntime
  let configuration: BoundArguments
  let reduction: String?

  init(runtime: TFRuntime, configuration: BoundArguments) throws(RuntimeError) {
    self.runtime = runtime
    self.configuration = configuration
    switch configuration["reduction"] {
    case .none: reduction = nil
    case let .string(name)
    where ["sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"].contains(name):
      reduction = name
    default:
      throw .valueError(
        "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum', None, 'none', 'mean', "
          + "'mean_with_sample_weight'}. Received: reduction=\(configuration["reduction"].str)"
      )
    }
    if case .object = configuration["dtype"] { throw .unsupported("Keras losses with a dtype other than float32") }
  }

  var typeName: String { "SparseCategoricalCrossentropy" }
  func repr() -> String {
    "<LossFunctionWrapper(<function sparse_categorical_crossentropy>, kwargs={'from_logits': "
      + "\(configuration["from_logits"].repr), 'ignore_class': \(configuration["ignore_class"].repr), 'axis': "
      + "\(configuration["axis"].repr)})>"
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "from_logits", "ignore_class", "reduction", "name": return configuration[name]
    default: throw .unsupported("tf.keras.losses.SparseCategoricalCrossentropy.\(name)")
    }
  }

  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    let bound = try arguments.bind("__call__", [.required("y_true"), .required("y_pred"), .optional("sample_weight")])
    if case .none = bound["sample_weight"] {} else { throw .unsupported("Keras losses with sample_weight") }
    // Loss.__call__ converts both arguments to floatx (float32) before the loss function.
    func floatTensor(_ value: PyValue) throws(RuntimeError) -> PyValue {
      let tensor = try runtime.eagerTensor(value, dtype: nil)
      return .object(
        EagerTensor(try Conversion.kernel { () throws(TensorError) in try tensor.cast(to: .float32) }, runtime: runtime)
      )
    }
    let values = BoundArguments(
      function: "sparse_categorical_crossentropy",
      values: [
        "y_true": try floatTensor(bound["y_true"]), "y_pred": try floatTensor(bound["y_pred"]),
        "from_logits": configuration["from_logits"], "ignore_class": configuration["ignore_class"],
        "axis": configuration["axis"],
      ], defaulted: [])
    guard case let .object(result as EagerTensor) = try runtime.kerasSparseCategoricalCrossentropy(values) else {
      preconditionFailure("the loss function returns an eager tensor")
    }
    let losses = result.value
    guard let reduction, reduction != "none", losses.rank > 0, losses.shape != [0] else { return .object(result) }
    let total = try Conversion.kernel { () throws(TensorError) in
      try OpDefinition.sum(losses, attributes: .reduction(axes: nil, keepDims: false))
    }
    guard reduction != "sum" else { return .object(EagerTensor(total, runtime: runtime)) }
    let count = Float(losses.scalarCount)
    let mean = Tensor(shape: [], scalars: [count == 0 ? 0 : Float(total.doubles[0]) / count])
    return .object(EagerTensor(mean, runtime: runtime))
  }
}
