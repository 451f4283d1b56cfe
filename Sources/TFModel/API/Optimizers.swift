import Autodiff
import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// The optimizers that train: TF1's `GradientDescentOptimizer` in a graph and Keras's `SGD`
/// without momentum, eagerly. (Other optimizers can be constructed and read, not applied yet.)
extension TFRuntime {
  func registerOptimizers() {
    declare(
      ["tf.compat.v1.train.GradientDescentOptimizer"],
      [.required("learning_rate"), .optional("use_locking"), .optional("name")]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      var name = "GradientDescent"
      if case let .string(given) = bound["name"] { name = given }
      return .object(GradientDescentOptimizer(runtime: self, learningRate: bound["learning_rate"], name: name))
    }
    guard profile.kerasMajor == 3 else { return }
    declare(
      ["tf.keras.optimizers.SGD"],
      [
        .optional("learning_rate"), .optional("momentum"), .optional("nesterov"), .optional("weight_decay"),
        .optional("clipnorm"), .optional("clipvalue"), .optional("global_clipnorm"), .optional("use_ema"),
        .optional("ema_momentum"), .optional("ema_overwrite_frequency"), .optional("loss_scale_factor"),
        .optional("gradient_accumulation_steps"), .optional("name"),
      ]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      for unsupported in [
        "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "loss_scale_factor",
        "gradient_accumulation_steps",
      ] {
        if case .none = bound[unsupported] { continue }
        if case .bool(false) = bound[unsupported] { continue }
        throw .unsupported("tf.keras.optimizers.SGD(\(unsupported)=…)")
      }
      let momentum = try bound.double("momentum")
      guard momentum == 0 else { throw .unsupported("tf.keras.optimizers.SGD with momentum") }
      return .object(KerasSGD(runtime: self, learningRate: try bound.double("learning_rate")))
    }
  }
}

/// `tf.compat.v1.train.GradientDescentOptimizer`: `compute_gradients` with `tf.gradients`,
/// `apply_gradients` as one `ApplyGradientDescent` per variable grouped under the
/// optimizer's name (then `global_step += 1`), and `minimize` as both.
final class GradientDescentOptimizer: PyObject {
  unowned let runtime: TFRuntime
  let learningRate: PyValue
  let name: String

  init(runtime: TFRuntime, learningRate: PyValue, name: String) {
    self.runtime = runtime
    self.learningRate = learningRate
    self.name = name
  }

  var typeName: String { "GradientDescentOptimizer" }
  func repr() -> String { "<tensorflow.python.training.gradient_descent.GradientDescentOptimizer object>" }

  func attribute(_ attribute: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch attribute {
    case "_learning_rate": return learningRate
    case "get_name": return .builtin(BuiltinFunction("get_name") { _, _ in .string(self.name) })
    case "compute_gradients":
      return .builtin(
        BuiltinFunction("compute_gradients") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind("compute_gradients", Self.computeParameters)
          return .list(PyList(try self.computeGradients(bound).map { .tuple([$0.0, .object($0.1)]) }))
        })
    case "apply_gradients":
      return .builtin(
        BuiltinFunction("apply_gradients") { arguments, context throws(RuntimeError) in
          let bound = try arguments.bind(
            "apply_gradients", [.required("grads_and_vars"), .optional("global_step"), .optional("name")])
          let pairs = try gradientPairs(
            bound["grads_and_vars"], of: GraphVariable.self, what: "graph variable", context: context)
          return try self.applyGradients(pairs, globalStep: bound["global_step"], name: bound["name"])
        })
    case "minimize":
      return .builtin(
        BuiltinFunction("minimize") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            "minimize",
            [
              .required("loss"), .optional("global_step"), .optional("var_list"), .optional("gate_gradients"),
              .optional("aggregation_method"), .optional("colocate_gradients_with_ops"), .optional("name"),
              .optional("grad_loss"),
            ])
          let pairs = try self.computeGradients(bound)
          guard pairs.contains(where: { if case .none = $0.0 { false } else { true } }) else {
            throw .valueError(
              "No gradients provided for any variable, check your graph for ops that do not support gradients, "
                + "between variables \(pairs.map { $0.1.repr() }) and loss \(bound["loss"].str).")
          }
          return try self.applyGradients(pairs, globalStep: bound["global_step"], name: bound["name"])
        })
    default:
      throw .exception("AttributeError", "'GradientDescentOptimizer' object has no attribute '\(attribute)'")
    }
  }

  private static var computeParameters: [Arguments.Parameter] {
    [
      .required("loss"), .optional("var_list"), .optional("gate_gradients"), .optional("aggregation_method"),
      .optional("colocate_gradients_with_ops"), .optional("grad_loss"),
    ]
  }

  /// `(gradient or None, variable)` for each variable of `var_list` (default: the trainable ones).
  private func computeGradients(_ bound: BoundArguments) throws(RuntimeError) -> [(PyValue, GraphVariable)] {
    guard let graph = runtime.currentGraph else {
      throw .unsupported("tf.compat.v1.train.Optimizer in eager mode")
    }
    var variables: [GraphVariable] = []
    if case .none = bound["var_list"] {
      variables = graph.variables(GraphKeys.trainableVariables)
    } else {
      for value in try GradientTapeObject.flatten(bound["var_list"]) {
        guard let variable = value.object(as: GraphVariable.self) else {
          throw .unsupported("var_list entries that are not graph variables")
        }
        variables.append(variable)
      }
    }
    if case .none = bound.value("grad_loss") ?? .none {
    } else {
      throw .unsupported("compute_gradients(grad_loss=…)")
    }
    let grads = try runtime.graphGradients(
      graph, ys: bound["loss"], xs: .list(PyList(variables.map { .object($0) })), gradYs: .none, stop: .none,
      zeros: false)
    guard case let .list(list) = grads else { preconditionFailure("graph gradients are a list") }
    return Array(zip(list.items, variables))
  }

  private func applyGradients(_ pairs: [(PyValue, GraphVariable)], globalStep: PyValue, name: PyValue)
    throws(RuntimeError) -> PyValue
  {
    guard let graph = runtime.currentGraph ?? pairs.first?.1.graph else {
      throw .unsupported("tf.compat.v1.train.Optimizer in eager mode")
    }
    var scopeName = self.name
    if case let .string(given) = name { scopeName = given }
    let scope = graph.uniqueName(scopeName)
    let rate = try runtime.eagerTensor(learningRate, dtype: nil)
    let rateNode = runtime.constantNode(
      try Conversion.kernel { () throws(TensorError) in try rate.cast(to: .float32) }, graph: graph,
      name: "\(scope)/learning_rate")
    var updates: [Node] = []
    for (grad, variable) in pairs {
      guard case let .object(gradTensor as GraphNode) = grad else { continue }
      let prefix = "\(scope)/update_\(variable.name)"
      var alpha = rateNode
      if variable.spec.dtype != .float32 {
        alpha = try runtime.graphOp(
          .cast(to: variable.spec.dtype), [rateNode.endpoint], name: graph.uniqueName(absolute: "\(prefix)/Cast"),
          graph: graph)
      }
      let definition: OpDefinition = variable.isResource ? .resourceApplyGradientDescent : .applyGradientDescent
      let node = try runtime.graphOperation(
        Op(definition, variable.attributes), [alpha.endpoint, gradTensor.endpoint],
        name: graph.uniqueName(absolute: "\(prefix)/\(definition.name)"), graph: graph)
      updates.append(node)
    }
    guard case let .object(step as GraphVariable) = globalStep else {
      let group = try runtime.graphOperation(Op(.noOp), [], name: scope, graph: graph, controlInputs: updates)
      return .object(GraphOperation(group, graph: graph))
    }
    let finish = try runtime.graphOperation(
      Op(.noOp), [], name: graph.uniqueName(absolute: "\(scope)/update"), graph: graph, controlInputs: updates)
    graph.pushControlDependencies([finish])
    defer { graph.popControlDependencies() }
    let one = runtime.constantNode(
      try Conversion.kernel { () throws(TensorError) in try Tensor.ones(shape: [], dtype: step.spec.dtype) },
      graph: graph, name: "\(scope)/value")
    let definition: OpDefinition = step.isResource ? .assignAddVariableOp : .assignAdd
    let increment = try runtime.graphOperation(
      Op(definition, step.attributes), [one.endpoint], name: graph.uniqueName(absolute: "\(scope)/AssignAdd"),
      graph: graph)
    return .object(GraphOperation(increment, graph: graph))
  }
}

/// Keras 3's `SGD` without momentum: `variable -= gradient * learning_rate` (the rate a
/// float32 variable, cast to the variable's dtype), then `iterations += 1`. Keras 3 has no
/// `minimize` (Keras 2 did): it is an AttributeError, as in TF 2.21.
final class KerasSGD: PyObject {
  unowned let runtime: TFRuntime
  let learningRate: EagerVariable
  let iterations: EagerVariable

  init(runtime: TFRuntime, learningRate: Double) {
    self.runtime = runtime
    self.learningRate = EagerVariable(
      Tensor(shape: [], scalars: [Float(learningRate)]), name: "learning_rate", trainable: false, runtime: runtime)
    iterations = EagerVariable(
      Tensor(shape: [], scalars: [Int64(0)]), name: "iteration", trainable: false, runtime: runtime)
  }

  var typeName: String { "SGD" }
  func repr() -> String { "<keras.src.optimizers.sgd.SGD object>" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "iterations": return .object(iterations)
    case "learning_rate", "lr": return .object(learningRate)
    case "momentum": return .float(0)
    case "nesterov": return .bool(false)
    case "apply_gradients":
      return .builtin(
        BuiltinFunction("apply_gradients") { arguments, context throws(RuntimeError) in
          let bound = try arguments.bind("apply_gradients", [.required("grads_and_vars")])
          try self.apply(
            try gradientPairs(
              bound["grads_and_vars"], of: EagerVariable.self, what: "tf.Variable", context: context))
          return .object(self.iterations)
        })
    default: throw .exception("AttributeError", "'SGD' object has no attribute '\(name)'")
    }
  }

  private func apply(_ pairs: [(PyValue, EagerVariable)]) throws(RuntimeError) {
    guard runtime.currentGraph == nil else { throw .unsupported("Keras optimizers in graph mode") }
    for (grad, variable) in pairs {
      if case .none = grad { continue }
      let gradient = try runtime.eagerTensor(grad, dtype: nil)
      let step = try Conversion.kernel { () throws(TensorError) in
        let rate = try self.learningRate.value.cast(to: variable.value.dtype)
        return try OpDefinition.mul(try gradient.cast(to: variable.value.dtype), rate)
      }
      try variable.update("assign_sub", .object(EagerTensor(step, runtime: runtime)))
    }
    try iterations.update("assign_add", .int(1))
  }
}

/// `grads_and_vars` (a list, tuple or iterator such as `zip` of `(gradient, variable)` pairs)
/// as Swift pairs.
private func gradientPairs<V: PyObject>(_ value: PyValue, of type: V.Type, what: String, context: CallContext)
  throws(RuntimeError) -> [(PyValue, V)]
{
  var items: [PyValue]
  switch value {
  case let .object(iterable) where !(iterable is TensorValue): items = try iterable.iterate(context: context)
  default: items = try GradientTapeObject.flatten(value)
  }
  var pairs: [(PyValue, V)] = []
  for item in items {
    let parts = try GradientTapeObject.flatten(item)
    guard parts.count == 2, let variable = parts[1].object(as: V.self) else {
      throw .unsupported("apply_gradients of anything but (gradient, \(what)) pairs")
    }
    pairs.append((parts[0], variable))
  }
  return pairs
}
