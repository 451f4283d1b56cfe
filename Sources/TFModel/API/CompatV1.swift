import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// `tf.compat.v1`'s graph-mode API: switching eager execution off, placeholders, sessions,
/// initializers, and TF1 optimizers (their construction and defaults).
extension TFRuntime {
  func registerCompatV1() {
    let prefix = "tf.compat.v1"
    register(
      ModuleName.v1,
      [
        "disable_v2_behavior": function("\(prefix).disable_v2_behavior", []) { [unowned self] _, _ in
          self.disableV2Behavior()
          return .none
        },
        "disable_resource_variables": function("\(prefix).disable_resource_variables", []) { [unowned self] _, _ in
          self.setResourceVariables(false)
          return .none
        },
        "enable_resource_variables": function("\(prefix).enable_resource_variables", []) { [unowned self] _, _ in
          self.setResourceVariables(true)
          return .none
        },
        "disable_eager_execution": function("\(prefix).disable_eager_execution", []) { [unowned self] _, _ in
          self.disableEagerExecution()
          return .none
        },
        "enable_eager_execution": function(
          "\(prefix).enable_eager_execution",
          [.optional("config"), .optional("device_policy"), .optional("execution_mode")]
        ) { [unowned self] _, _ throws(RuntimeError) in
          try self.enableEagerExecution()
          return .none
        },
        "placeholder": function("\(prefix).placeholder", [.required("dtype"), .optional("shape"), .optional("name")]) {
          [unowned self] bound, _ throws(RuntimeError) in
          guard let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype") else {
            throw .typeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
          }
          guard let graph = self.currentGraph else {
            throw .exception("RuntimeError", "tf.placeholder() is not compatible with eager execution.")
          }
          let shape = try bound.shape("shape", allowUnknown: true)
          var base = "Placeholder"
          if case let .string(given) = bound["name"] { base = given }
          var attributes = OpAttributes(["dtype": .type(dtype)])
          if let shape { attributes["shape"] = .ints(shape.map { $0 ?? -1 }) }
          return .object(
            try self.graphOp(Op(.placeholder, attributes), [], name: graph.uniqueName(base), graph: graph))
        },
        "Session": function("\(prefix).Session", [.optional("target"), .optional("graph"), .optional("config")]) {
          [unowned self] bound, _ throws(RuntimeError) in
          if case .object = bound["config"] { throw .unsupported("tf.compat.v1.Session(config=…)") }
          if case let .object(graph as Graph) = bound["graph"] { return .object(Session(graph: graph)) }
          return .object(Session(graph: self.currentGraph ?? self.defaultGraph))
        },
        "global_variables_initializer": initializer("\(prefix).global_variables_initializer", local: false),
        "initialize_all_variables": initializer("\(prefix).initialize_all_variables", local: false),
        "local_variables_initializer": initializer("\(prefix).local_variables_initializer", local: true),
        "initialize_local_variables": initializer("\(prefix).initialize_local_variables", local: true),
        "get_default_graph": function("\(prefix).get_default_graph", []) { [unowned self] _, _ in
          .object(self.currentGraph ?? self.defaultGraph)
        },
        "reset_default_graph": function("\(prefix).reset_default_graph", []) {
          [unowned self] _, _ throws(RuntimeError) in
          try self.resetDefaultGraph()
          return .none
        },
        "assign": assignFunction("\(prefix).assign", method: "assign"),
        "assign_add": assignFunction("\(prefix).assign_add", method: "assign_add"),
        "assign_sub": assignFunction("\(prefix).assign_sub", method: "assign_sub"),
      ])
    register(
      ModuleName.v1Train,
      [
        "AdamOptimizer": optimizerClass(
          "\(prefix).train.AdamOptimizer", typeName: "AdamOptimizer",
          [
            .optional("learning_rate"), .optional("beta1"), .optional("beta2"),
            .optional("epsilon"), .optional("use_locking"), .optional("name"),
          ],
          attributes: [
            "learning_rate": "_lr", "beta1": "_beta1", "beta2": "_beta2", "epsilon": "_epsilon",
            "use_locking": "_use_locking",
          ])
      ])
  }

  /// `tf.errors`: TensorFlow's exception classes, for `except tf.errors.InvalidArgumentError`.
  func registerErrors() {
    let names = ExceptionHierarchy.bases.keys.filter {
      ExceptionHierarchy.isSubclass($0, of: "OpError") || $0 == "OperatorNotAllowedInGraphError"
    }
    var classes: [String: PyValue] = [:]
    for name in names { classes[name] = ExceptionHierarchy.classValue(name) }
    for module in ["tensorflow._api.v2.errors", "tensorflow._api.v2.compat.v1.errors"] {
      register(module, classes.filter { api.member($0.key, of: module) != nil })
    }
  }

  private func initializer(_ api: String, local: Bool) -> PyValue {
    function(api, []) { [unowned self] _, _ throws(RuntimeError) in
      guard let graph = self.currentGraph else {
        throw .unsupported("\(api) in eager mode")
      }
      let variables = graph.variables(local ? GraphKeys.localVariables : GraphKeys.globalVariables)
      let node = try self.graphOperation(
        Op(.noOp), [], name: graph.uniqueName("init"), graph: graph, controlInputs: variables.map(\.initializer))
      return .object(GraphOperation(node, graph: graph))
    }
  }

  private func assignFunction(_ api: String, method: String) -> PyValue {
    function(
      api,
      [.required("ref"), .required("value"), .optional("validate_shape"), .optional("use_locking"), .optional("name")]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      switch bound["ref"] {
      case let .object(variable as GraphVariable): return try self.graphUpdate(variable, method: method, bound["value"])
      case let .object(variable as EagerVariable):
        try variable.update(method, bound["value"])
        return .object(variable)
      default: throw .typeError("\(api) requires a tf.Variable as `ref`, got \(bound["ref"].typeName)")
      }
    }
  }

  /// A TF1 or Keras optimizer class: constructing one records its hyper-parameters (and
  /// which were defaulted); applying it is not modelled yet.
  func optimizerClass(
    _ api: String, typeName: String, _ signature: [Arguments.Parameter], attributes: [String: String]
  ) -> PyValue {
    function(api, signature) { bound, _ in
      var values: [String: PyValue] = [:]
      for (parameter, attribute) in attributes { values[attribute] = bound[parameter] }
      return .object(OptimizerObject(api: api, typeName: typeName, attributes: values))
    }
  }
}

/// A constructed optimizer: its hyper-parameters can be read, training with it is not
/// modelled yet and says so.
final class OptimizerObject: PyObject {
  let api: String
  let typeName: String
  let attributes: [String: PyValue]

  init(api: String, typeName: String, attributes: [String: PyValue]) {
    self.api = api
    self.typeName = typeName
    self.attributes = attributes
  }

  func repr() -> String { "<\(api) object>" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let value = attributes[name] { return value }
    switch name {
    case "minimize", "compute_gradients", "apply_gradients", "get_slot", "get_slot_names", "variables", "build",
      "get_config", "from_config", "iterations", "get_name", "learning_rate", "lr", "apply", "update_step":
      throw .unsupported("\(api).\(name)")
    default:
      throw .exception("AttributeError", "'\(typeName)' object has no attribute '\(name)'")
    }
  }
}
