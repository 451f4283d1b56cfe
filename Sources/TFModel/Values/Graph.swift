import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// A `tf.Graph`: the nodes a v1 program builds (a `DataflowGraph`), its collections, and the
/// `control_dependencies` blocks open on it.
final class Graph: PyObject {
  unowned let runtime: TFRuntime
  /// The nodes.
  let core = DataflowGraph()
  /// `tf.compat.v1.get_collection` and friends, by key, in insertion order.
  private(set) var collections: [String: [PyValue]] = [:]
  /// The control inputs of each open `control_dependencies` block; nil clears outer ones.
  private var controlScopes: [[Node]?] = []
  /// How many `tf.gradients` calls have named a `gradients` scope.
  var gradientScopes = 0

  init(runtime: TFRuntime) {
    self.runtime = runtime
  }

  var typeName: String { "Graph" }

  /// Whether no op has been added yet.
  var isEmpty: Bool { core.isEmpty }

  /// A unique node name from `base`, as TF's `Graph.unique_name` forms it.
  func uniqueName(_ base: String) -> String { core.uniqueName(scoped(base)) }

  /// A unique name for an op whose name already holds its full scope: `matmul/b` for an input
  /// `matmul` converts, inside the scope `matmul` was given.
  func uniqueName(absolute name: String) -> String { core.uniqueName(name) }

  /// The name scope new ops are named in (`tf.name_scope`), without its trailing slash.
  private(set) var nameStack = ""

  /// `base` inside the current name scope.
  func scoped(_ base: String) -> String { nameStack.isEmpty ? base : nameStack + "/" + base }

  /// Enters the name scope `name` as TF's `Graph.name_scope` does: a name ending in `/`
  /// is taken as is, any other is made unique inside the current scope, an empty one
  /// returns to the root. Returns the scope name (with its slash) and the scope to restore.
  func enterNameScope(_ name: String) throws(RuntimeError) -> (scope: String, previous: String) {
    if !name.isEmpty {
      let (pattern, what) =
        nameStack.isEmpty
        ? (#"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$"#, "root scope name. A root scope name has")
        : (#"^[A-Za-z0-9_.\\/>-]*$"#, "scope name. A scope name has")
      let valid = nameStack.isEmpty ? Self.isValidRootScope(name) : Self.isValidScope(name)
      guard valid else {
        throw .valueError("'\(name)' is not a valid \(what) to match the following pattern: \(pattern)")
      }
    }
    let previous = nameStack
    let scope: String
    if name.isEmpty {
      (nameStack, scope) = ("", "")
    } else if name.hasSuffix("/") {
      (nameStack, scope) = (String(name.dropLast()), name)
    } else {
      nameStack = uniqueName(name)
      scope = nameStack + "/"
    }
    return (scope, previous)
  }

  /// Leaves a name scope, back to `previous`.
  func restoreNameScope(_ previous: String) { nameStack = previous }

  /// TF's `_VALID_SCOPE_NAME_REGEX`: letters, digits and `_.\/>-`.
  private static func isValidScope(_ name: String) -> Bool {
    name.unicodeScalars.allSatisfy { scalar in
      scalar.isASCII
        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.\\/>-".unicodeScalars.contains(scalar))
    }
  }

  /// TF's `_VALID_OP_NAME_REGEX`: a scope name that does not start with `_`, `-`, `\\` or `/`.
  private static func isValidRootScope(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !"_\\/>-".unicodeScalars.contains(first) else { return false }
    return isValidScope(name)
  }

  /// The control inputs a node created now gets.
  var controlInputs: [Node] {
    var inputs: [Node] = []
    for scope in controlScopes {
      guard let scope else {
        inputs = []
        continue
      }
      for node in scope where !inputs.contains(where: { $0 === node }) { inputs.append(node) }
    }
    return inputs
  }

  func pushControlDependencies(_ nodes: [Node]?) { controlScopes.append(nodes) }
  func popControlDependencies() { controlScopes.removeLast() }

  /// Adds a node under the open control dependencies, inferring its outputs.
  func add(_ op: Op, _ inputs: [Endpoint], name: String) throws(OpError) -> Node {
    try core.add(op, inputs, controlInputs: controlInputs, name: name)
  }

  /// Adds a node and returns its first output as a symbolic tensor.
  func tensor(_ op: Op, _ inputs: [Endpoint], name: String) throws(OpError) -> GraphNode {
    GraphNode(try add(op, inputs, name: name).output(0), graph: self)
  }

  func addToCollection(_ key: String, _ value: PyValue) {
    collections[key, default: []].append(value)
  }

  func collection(_ key: String) -> [PyValue] { collections[key] ?? [] }

  /// The variables of a collection (`variables`, `trainable_variables`, `local_variables`).
  func variables(_ key: String) -> [GraphVariable] {
    collection(key).compactMap { $0.object(as: GraphVariable.self) }
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "as_default":
      return .builtin(BuiltinFunction("as_default") { _, _ in .object(GraphScope(graph: self)) })
    case "get_collection":
      return .builtin(
        BuiltinFunction("get_collection") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind("get_collection", [.required("name"), .optional("scope")])
          guard case let .string(key) = bound["name"] else { throw .typeError("collection names are strings") }
          return .list(PyList(self.collection(key)))
        })
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

/// The context manager `tf.control_dependencies(…)` returns.
final class ControlDependencyScope: PyObject {
  let graph: Graph
  let nodes: [Node]?
  init(graph: Graph, nodes: [Node]?) {
    self.graph = graph
    self.nodes = nodes
  }

  var typeName: String { "_ControlDependenciesController" }
  func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    graph.pushControlDependencies(nodes)
    return .none
  }
  func exit(context: CallContext) throws(RuntimeError) {
    graph.popControlDependencies()
  }
}

/// A symbolic `tf.Tensor` in a graph: one output of a node, computed only in a session.
final class GraphNode: TensorValue {
  let endpoint: Endpoint
  unowned let graph: Graph

  init(_ endpoint: Endpoint, graph: Graph) {
    self.endpoint = endpoint
    self.graph = graph
  }

  /// The producing node's name (`add`; the tensor is `add:0`).
  var name: String { endpoint.node.name }
  var spec: TensorSpec { endpoint.spec }
  var runtime: TFRuntime { graph.runtime }
  var typeName: String { "SymbolicTensor" }
  var eagerValue: Tensor? { nil }
  func operand() throws(RuntimeError) -> Operand { .graph(self) }

  func str() -> String {
    let shape = spec.shape == nil ? "" : "shape=\(spec.shapeDescription.replacingOccurrences(of: "None", with: "?")), "
    return "Tensor(\"\(endpoint.name)\", \(shape)dtype=\(spec.dtype.name))"
  }
  func repr() -> String { "<tf.Tensor '\(endpoint.name)' shape=\(spec.shapeDescription) dtype=\(spec.dtype.name)>" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "name": return .string(endpoint.name)
    case "graph": return .object(graph)
    case "op": return .object(GraphOperation(endpoint.node, graph: graph))
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

/// A `tf.Operation`: a node fetched for its effect (`sess.run(train_op)` returns None).
final class GraphOperation: PyObject {
  let node: Node
  unowned let graph: Graph

  init(_ node: Node, graph: Graph) {
    self.node = node
    self.graph = graph
  }

  var typeName: String { "Operation" }
  func repr() -> String { "<tf.Operation '\(node.name)' type=\(node.op.typeName)>" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "name": return .string(node.name)
    case "type": return .string(node.op.typeName)
    case "graph": return .object(graph)
    case "outputs":
      return .list(PyList(node.outputSpecs.indices.map { .object(GraphNode(node.output($0), graph: graph)) }))
    case "run": throw .unsupported("tf.Operation.run (use sess.run)")
    default: throw .unsupported("tf.Operation.\(name)")
    }
  }
}
