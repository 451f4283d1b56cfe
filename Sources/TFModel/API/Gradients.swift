import Autodiff
import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// Gradients and the graph's structure: `tf.GradientTape`, `tf.gradients`, `stop_gradient`,
/// `identity`, control dependencies, groups, collections and the global step.
extension TFRuntime {
  func registerGradientAPI() {
    func both(_ name: String) -> [String] { ["tf.\(name)", "tf.compat.v1.\(name)"] }
    declare(both("GradientTape"), [.optional("persistent"), .optional("watch_accessed_variables")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      var watch = true
      if case .none = bound["watch_accessed_variables"] {} else { watch = try bound.bool("watch_accessed_variables") }
      return .object(
        GradientTapeObject(persistent: try bound.bool("persistent"), watchAccessedVariables: watch, runtime: self))
    }
    for module in [ModuleName.tf, ModuleName.v1] {
      register(module, ["UnconnectedGradients": .object(UnconnectedGradientsClass())])
    }
    for (python, definition) in [("stop_gradient", OpDefinition.stopGradient), ("identity", .identity)] {
      declare(both(python), [.required("input"), .optional("name")]) { [unowned self] bound, _ throws(RuntimeError) in
        if let variable = bound["input"].object(as: GraphVariable.self), !variable.isResource, python == "identity" {
          // A reference variable's identity reads the variable itself, where it is placed.
          let graph = variable.graph
          let reference = variable.snapshot.node.inputs.first ?? variable.snapshot
          return .object(
            try self.graphOp(Op(.identity), [reference], name: graph.uniqueName("Identity"), graph: graph))
        }
        let name = definition.name
        return try self.apply(Op(definition), [bound["input"]], name: name)
      }
    }
    declare(
      both("gradients"),
      [
        .required("ys"), .required("xs"), .optional("grad_ys"), .optional("name"),
        .optional("colocate_gradients_with_ops"),
        .optional("gate_gradients"), .optional("aggregation_method"), .optional("stop_gradients"),
        .optional("unconnected_gradients"),
      ]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      guard let graph = self.currentGraph else {
        throw .exception(
          "RuntimeError", "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.")
      }
      return try self.graphGradients(
        graph, ys: bound["ys"], xs: bound["xs"], gradYs: bound["grad_ys"], stop: bound["stop_gradients"],
        zeros: try GradientTapeObject.unconnectedAreZero(bound["unconnected_gradients"]))
    }
    declare(both("control_dependencies"), [.required("control_inputs")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      guard let graph = self.currentGraph else { return .object(NullContext()) }
      if case .none = bound["control_inputs"] { return .object(ControlDependencyScope(graph: graph, nodes: nil)) }
      return .object(ControlDependencyScope(graph: graph, nodes: try self.nodes(of: bound["control_inputs"])))
    }
    let group = BuiltinFunction("group") { [unowned self] arguments, _ throws(RuntimeError) in
      var name = "group_deps"
      for (key, value) in arguments.keywords {
        guard key == "name", case let .string(given) = value else {
          throw .typeError("group() got an unexpected keyword argument '\(key)'")
        }
        name = given
      }
      guard let graph = self.currentGraph else { return .none }
      var inputs: [Node] = []
      for value in arguments.positional { inputs += try self.nodes(of: value) }
      let node = try self.graphOperation(
        Op(.noOp), [], name: graph.uniqueName(name), graph: graph, controlInputs: inputs)
      return .object(GraphOperation(node, graph: graph))
    }
    let noOp = BuiltinFunction("no_op") { [unowned self] arguments, _ throws(RuntimeError) in
      let bound = try arguments.bind("no_op", [.optional("name")])
      guard let graph = self.currentGraph else { return .none }
      var name = "NoOp"
      if case let .string(given) = bound["name"] { name = given }
      return .object(
        GraphOperation(try self.graphOperation(Op(.noOp), [], name: graph.uniqueName(name), graph: graph), graph: graph)
      )
    }
    for module in [ModuleName.tf, ModuleName.v1] {
      register(module, ["group": .builtin(group), "no_op": .builtin(noOp)])
    }
    registerCollections()
  }

  /// The nodes a control input names: operations, tensors' producers, variables' reads.
  func nodes(of value: PyValue) throws(RuntimeError) -> [Node] {
    switch value {
    case let .list(list):
      var nodes: [Node] = []
      for item in list.items { nodes += try self.nodes(of: item) }
      return nodes
    case let .tuple(items):
      var nodes: [Node] = []
      for item in items { nodes += try self.nodes(of: item) }
      return nodes
    case let .object(operation as GraphOperation): return [operation.node]
    case let .object(node as GraphNode): return [node.endpoint.node]
    case let .object(variable as GraphVariable): return [variable.snapshot.node]
    case .none: return []
    default: throw .typeError("Can not convert a \(value.typeName) into a Tensor or Operation.")
    }
  }

  /// `tf.compat.v1.gradients`: the gradient ops added to `graph`, under `gradients`, `gradients_1` ….
  func graphGradients(_ graph: Graph, ys: PyValue, xs: PyValue, gradYs: PyValue, stop: PyValue, zeros: Bool)
    throws(RuntimeError) -> PyValue
  {
    let scope = graph.gradientScopes == 0 ? "gradients" : "gradients_\(graph.gradientScopes)"
    graph.gradientScopes += 1
    let emitter = GraphGradients(graph: graph.core, scope: scope, controlInputs: graph.controlInputs)
    var targets: [(value: Endpoint, seed: Endpoint)] = []
    let seeds = try GradientTapeObject.flatten(gradYs)
    for (index, y) in try GradientTapeObject.flatten(ys).enumerated() {
      let endpoint = try self.endpoint(y, graph: graph)
      let seed: Endpoint
      if case .none = gradYs {
        // TF's `ones(shape(y))`: a constant when the shape is static, else filled at run time.
        guard let shape = endpoint.spec.knownShape else {
          let one = try Conversion.kernel { () throws(TensorError) in
            try Tensor.ones(shape: [], dtype: endpoint.spec.dtype)
          }
          let dims = try graphOp(
            Op(.shape), [endpoint], name: graph.uniqueName(absolute: "\(scope)/Shape"), graph: graph)
          let value = constantNode(one, graph: graph, name: "\(scope)/grad_ys_\(index)/Const")
          seed = try graphOp(
            Op(.fill), [dims.endpoint, value.endpoint], name: graph.uniqueName(absolute: "\(scope)/Fill"), graph: graph
          ).endpoint
          targets.append((endpoint, seed))
          continue
        }
        let ones = try Conversion.kernel { () throws(TensorError) in
          try Tensor.ones(shape: shape, dtype: endpoint.spec.dtype)
        }
        seed = constantNode(ones, graph: graph, name: "\(scope)/ones").endpoint
      } else {
        guard index < seeds.count else { throw .valueError("Passed \(seeds.count) grad_ys for \(index + 1) ys") }
        if case let .object(tensor as TensorValue) = seeds[index], case let .graph(node) = try tensor.operand() {
          seed = node.endpoint
        } else {
          seed =
            constantNode(
              try eagerTensor(seeds[index], dtype: endpoint.spec.dtype), graph: graph, name: "\(scope)/grad_ys_\(index)"
            ).endpoint
        }
      }
      targets.append((endpoint, seed))
    }
    var sources: [[Endpoint]] = []
    let leaves = try GradientTapeObject.flatten(xs)
    for x in leaves {
      if let variable = x.object(as: GraphVariable.self) {
        sources.append(variable.readEndpoints)
      } else {
        sources.append([try self.endpoint(x, graph: graph)])
      }
    }
    var stopped: Set<Endpoint> = []
    if case .none = stop {
    } else {
      for value in try GradientTapeObject.flatten(stop) { stopped.insert(try self.endpoint(value, graph: graph)) }
    }
    let grads: [Endpoint?]
    do {
      grads = try emitter.gradients(of: targets, with: sources, stopped: stopped)
    } catch {
      throw Self.graphConstructionError(error, nodeName: scope, inputNames: [])
    }
    var results: [PyValue] = []
    for (grad, x) in zip(grads, leaves) {
      if let grad {
        results.append(.object(GraphNode(grad, graph: graph)))
      } else if zeros, let spec = x.object(as: TensorValue.self)?.spec, let shape = spec.knownShape {
        let zero = try Conversion.kernel { () throws(TensorError) in try Tensor.zeros(shape: shape, dtype: spec.dtype) }
        results.append(.object(constantNode(zero, graph: graph, name: "\(scope)/zeros_like")))
      } else {
        results.append(.none)
      }
    }
    return .list(PyList(results))
  }

  /// The graph endpoint of a tensor or variable of `graph`.
  func endpoint(_ value: PyValue, graph: Graph) throws(RuntimeError) -> Endpoint {
    if let variable = value.object(as: GraphVariable.self) { return variable.snapshot }
    guard let tensor = value.object(as: TensorValue.self), case let .graph(node) = try tensor.operand() else {
      throw .typeError("Expected a graph tensor, got \(value.typeName)")
    }
    guard node.graph === graph else {
      throw .valueError("Tensor \(node.repr()) must be from the same graph as the other tensors.")
    }
    return node.endpoint
  }

  private func registerCollections() {
    let prefix = "tf.compat.v1"
    declare(["\(prefix).get_collection"], [.required("key"), .optional("scope")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      guard case let .string(key) = bound["key"] else { throw .typeError("collection keys are strings") }
      return .list(PyList((self.currentGraph ?? self.defaultGraph).collection(key)))
    }
    declare(["\(prefix).add_to_collection"], [.required("name"), .required("value")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      guard case let .string(key) = bound["name"] else { throw .typeError("collection keys are strings") }
      (self.currentGraph ?? self.defaultGraph).addToCollection(key, bound["value"])
      return .none
    }
    for (python, key) in [
      ("trainable_variables", GraphKeys.trainableVariables), ("global_variables", GraphKeys.globalVariables),
      ("local_variables", GraphKeys.localVariables),
    ] {
      declare(["\(prefix).\(python)"], [.optional("scope")]) { [unowned self] _, _ throws(RuntimeError) in
        guard let graph = self.currentGraph else { throw .unsupported("\(prefix).\(python) in eager mode") }
        return .list(PyList(graph.collection(key)))
      }
    }
    register(ModuleName.v1, ["GraphKeys": .object(GraphKeysObject())])
    declare(["\(prefix).train.get_or_create_global_step"], [.optional("graph")]) {
      [unowned self] _, _ throws(RuntimeError) in
      try self.globalStep(create: true)
    }
    declare(["\(prefix).train.get_global_step"], [.optional("graph")]) { [unowned self] _, _ throws(RuntimeError) in
      try self.globalStep(create: false)
    }
  }

  /// The graph's `global_step` variable (int64, not trainable), created on first request.
  func globalStep(create: Bool) throws(RuntimeError) -> PyValue {
    guard let graph = currentGraph else { throw .unsupported("the global step in eager mode") }
    if let existing = graph.collection(GraphKeys.globalStep).first { return existing }
    guard create else { return .none }
    let zero = Tensor(shape: [], scalars: [Int64(0)])
    let initial = constantNode(zero, graph: graph, name: "global_step/Initializer/zeros")
    let variable = try makeGraphVariable(
      name: graph.uniqueName(absolute: "global_step"), initial: initial, graph: graph, trainable: false, local: false)
    graph.addToCollection(GraphKeys.globalStep, .object(variable))
    return .object(variable)
  }
}

/// `tf.compat.v1.GraphKeys`.
final class GraphKeysObject: PyObject {
  var typeName: String { "type" }
  func repr() -> String { "<class 'tensorflow.python.framework.ops.GraphKeys'>" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    guard let key = GraphKeys.all[name] else {
      throw .exception("AttributeError", "type object 'GraphKeys' has no attribute '\(name)'")
    }
    return .string(key)
  }
}

/// `tf.UnconnectedGradients`.
final class UnconnectedGradientsClass: PyObject {
  var typeName: String { "EnumMeta" }
  func repr() -> String { "<enum 'UnconnectedGradients'>" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "NONE": return .object(UnconnectedGradientsValue(zero: false))
    case "ZERO": return .object(UnconnectedGradientsValue(zero: true))
    default: throw .exception("AttributeError", "NONE or ZERO, not \(name)")
    }
  }
}

/// A `with` block that does nothing (`control_dependencies` in eager mode).
final class NullContext: PyObject {
  var typeName: String { "NullContextmanager" }
  func enter(context: CallContext) throws(RuntimeError) -> PyValue { .none }
  func exit(context: CallContext) throws(RuntimeError) {}
}
