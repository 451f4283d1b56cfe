import Operations
import PythonRuntime
import TensorCore

/// A `tf.Graph`: the nodes a v1 program builds, with TensorFlow's unique node naming.
final class Graph: PyObject {
  unowned let runtime: TFRuntime
  private var nameCounts: [String: Int] = [:]
  /// Variables created in this graph, in creation order (`global_variables_initializer`).
  private(set) var globalVariables: [GraphVariable] = []
  /// Local variables (`local_variables_initializer`), such as metric accumulators.
  private(set) var localVariables: [GraphVariable] = []

  init(runtime: TFRuntime) {
    self.runtime = runtime
  }

  var typeName: String { "Graph" }

  /// Whether no op has been added yet.
  var isEmpty: Bool { nameCounts.isEmpty }

  /// `Add`, then `Add_1`, `Add_2` …, as TF's `Graph.unique_name` names nodes: names are
  /// compared without case, so `mul` after `Mul` becomes `mul_1`.
  func uniqueName(_ base: String) -> String {
    let baseKey = base.lowercased()
    var count = nameCounts[baseKey, default: 0]
    var name = base
    if count > 0 {
      var key = baseKey
      while nameCounts[key] != nil {
        key = "\(baseKey)_\(count)"
        count += 1
      }
      name = "\(base)_\(count - 1)"
    }
    nameCounts[baseKey] = count == 0 ? 1 : count
    nameCounts[name.lowercased(), default: 0] = max(nameCounts[name.lowercased(), default: 0], 1)
    return name
  }

  func add(_ variable: GraphVariable, local: Bool) {
    if local { localVariables.append(variable) } else { globalVariables.append(variable) }
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "as_default":
      return .builtin(BuiltinFunction("as_default") { _, _ in .object(GraphScope(graph: self)) })
    default:
      throw .unsupported("tf.Graph.\(name)")
    }
  }
}

/// The context manager `graph.as_default()` returns.
final class GraphScope: PyObject {
  let graph: Graph
  init(graph: Graph) { self.graph = graph }

  var typeName: String { "_GeneratorContextManager" }
  func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    graph.runtime.pushGraph(graph)
    return .object(graph)
  }
  func exit(context: CallContext) throws(RuntimeError) {
    graph.runtime.popGraph()
  }
}

/// A symbolic `tf.Tensor` in a graph: the output of one node, computed only in a session.
final class GraphNode: TensorValue {
  /// What the node does.
  enum Kind {
    case op(Op, inputs: [GraphNode])
    case placeholder
    /// Reading a variable's current value in the session.
    case read(GraphVariable)
    /// `assign` / `assign_add` / `assign_sub`; the node's value is the updated variable.
    case update(GraphVariable, method: String, value: GraphNode)
  }

  let kind: Kind
  let name: String
  let spec: TensorSpec
  unowned let graph: Graph

  init(_ kind: Kind, name: String, spec: TensorSpec, graph: Graph) {
    self.kind = kind
    self.name = name
    self.spec = spec
    self.graph = graph
  }

  var runtime: TFRuntime { graph.runtime }
  var typeName: String { "SymbolicTensor" }
  var eagerValue: Tensor? { nil }
  func operand() throws(RuntimeError) -> Operand { .graph(self) }

  func str() -> String {
    let shape = spec.shape == nil ? "" : "shape=\(spec.shapeDescription.replacingOccurrences(of: "None", with: "?")), "
    return "Tensor(\"\(name):0\", \(shape)dtype=\(spec.dtype.name))"
  }
  func repr() -> String { "<tf.Tensor '\(name):0' shape=\(spec.shapeDescription) dtype=\(spec.dtype.name)>" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "name": return .string("\(self.name):0")
    case "graph": return .object(graph)
    case "numpy": throw .exception("AttributeError", "'SymbolicTensor' object has no attribute 'numpy'")
    case "eval": throw .unsupported("tf.Tensor.eval (use sess.run)")
    default: throw .unsupported("tf.Tensor.\(name)")
    }
  }

  func truthValue(context: CallContext) throws(RuntimeError) -> Bool {
    throw .exception(
      "OperatorNotAllowedInGraphError",
      "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can attempt the following resolutions to "
        + "the problem: If you are running in Graph mode, use Eager execution mode or decorate this function with "
        + "@tf.function."
    )
  }

  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    throw .exception("OperatorNotAllowedInGraphError", "Iterating over a symbolic `tf.Tensor` is not allowed.")
  }

  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .unsupported("indexing graph tensors (tf.strided_slice)")
  }
}

/// A `tf.Variable` in a v1 graph. Its value lives in each session, from when an
/// initializer runs. With `disable_v2_behavior` it is a TF1 reference variable, otherwise a
/// resource variable; they print and fail differently.
final class GraphVariable: TensorValue {
  let name: String
  let initialValue: GraphNode
  unowned let graph: Graph
  /// Whether this is a resource variable (TF2 behaviour) rather than a `RefVariable`.
  let isResource: Bool
  private var readNode: GraphNode?

  init(name: String, initialValue: GraphNode, graph: Graph, isResource: Bool) {
    self.name = name
    self.initialValue = initialValue
    self.graph = graph
    self.isResource = isResource
  }

  var runtime: TFRuntime { graph.runtime }
  var typeName: String { isResource ? "ResourceVariable" : "RefVariable" }
  var spec: TensorSpec { initialValue.spec }
  var eagerValue: Tensor? { nil }

  /// The `Variable/read` node every use of the variable goes through.
  func operand() throws(RuntimeError) -> Operand {
    if let readNode { return .graph(readNode) }
    let node = GraphNode(
      .read(self), name: isResource ? graph.uniqueName("ReadVariableOp") : "\(name)/read", spec: spec, graph: graph)
    readNode = node
    return .graph(node)
  }

  func repr() -> String {
    "<tf.Variable '\(name):0' shape=\(spec.shapeDescription) dtype=\(spec.dtype.name)\(isResource ? "" : "_ref")>"
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "name": return .string("\(self.name):0")
    case "initializer": return .object(GraphOperation(.initialize([self]), name: "\(self.name)/Assign"))
    case "read_value", "value":
      return .builtin(
        BuiltinFunction(name) { _, _ throws(RuntimeError) in
          guard case let .graph(node) = try self.operand() else {
            preconditionFailure("graph variable reads are graph nodes")
          }
          return .object(node)
        })
    case "assign", "assign_add", "assign_sub":
      return .builtin(
        BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            name,
            self.runtime.resolvedSignature(
              "tf.Variable.\(name)",
              [.required("value"), .optional("use_locking"), .optional("name"), .optional("read_value")]
            ).signature)
          return try self.runtime.graphUpdate(self, method: name, bound["value"])
        })
    case "eval": throw .unsupported("tf.Variable.eval (use sess.run)")
    default: throw .unsupported("tf.Variable.\(name)")
    }
  }
}

/// A graph operation with no tensor output, such as `global_variables_initializer()`;
/// fetching it in `sess.run` returns None.
final class GraphOperation: PyObject {
  enum Kind {
    case initialize([GraphVariable])
  }

  let kind: Kind
  let name: String

  init(_ kind: Kind, name: String) {
    self.kind = kind
    self.name = name
  }

  var typeName: String { "Operation" }
  func repr() -> String { "<tf.Operation '\(name)' type=NoOp>" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "name": return .string(self.name)
    case "run": throw .unsupported("tf.Operation.run (use sess.run)")
    default: throw .unsupported("tf.Operation.\(name)")
    }
  }
}
