import Operations
import PythonRuntime
import TensorCore

/// A `tf.compat.v1.Session`: runs fetches of a graph with feeds, and holds the values of
/// the graph's variables.
final class Session: PyObject {
  let graph: Graph
  private var variableValues: [ObjectIdentifier: Tensor] = [:]
  private var closed = false

  init(graph: Graph) {
    self.graph = graph
  }

  var typeName: String { "Session" }
  func repr() -> String { "<tensorflow.python.client.session.Session object>" }

  func enter(context: CallContext) throws(RuntimeError) -> PyValue { .object(self) }
  func exit(context: CallContext) throws(RuntimeError) { closed = true }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "run":
      return .builtin(
        BuiltinFunction("run") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            "run", [.required("fetches"), .optional("feed_dict"), .optional("options"), .optional("run_metadata")])
          for traced in ["options", "run_metadata"] {
            if case .none = bound[traced] { continue }
            throw .unsupported("sess.run(\(traced)=…)")
          }
          return try self.run(bound["fetches"], feedDict: bound["feed_dict"])
        })
    case "close":
      return .builtin(
        BuiltinFunction("close") { _, _ in
          self.closed = true
          return .none
        })
    case "graph": return .object(graph)
    default: throw .unsupported("tf.compat.v1.Session.\(name)")
    }
  }

  /// `sess.run(fetches, feed_dict)`: the fetches' structure (tensor, list, tuple, dict)
  /// with NumPy values in place of tensors and None in place of operations.
  func run(_ fetches: PyValue, feedDict: PyValue) throws(RuntimeError) -> PyValue {
    guard !closed else { throw .exception("RuntimeError", "Attempted to use a closed Session.") }
    guard !graph.isEmpty else {
      throw .exception("RuntimeError", "The Session graph is empty. Add operations to the graph before calling run().")
    }
    var feeds: [ObjectIdentifier: Tensor] = [:]
    switch feedDict {
    case .none: break
    case let .dict(dict):
      for (key, value) in dict.entries {
        if case .string = key { throw .unsupported("feeding tensors by name in feed_dict") }
        if key.object(as: GraphVariable.self) != nil {
          throw .unsupported("feeding a variable's value through feed_dict")
        }
        guard let node = key.object(as: GraphNode.self) else {
          throw .typeError(
            "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python scalars, "
              + "strings, lists, numpy ndarrays, or TensorHandles. (feed key \(key.repr))"
          )
        }
        let tensor = try Conversion.numpyArray(value, dtype: node.spec.dtype)
        guard node.spec.accepts(tensor.shape) else {
          throw .valueError(
            "Cannot feed value of shape \(Shape.pythonTuple(tensor.shape)) for Tensor \(node.name):0, which has shape "
              + "\(node.spec.shapeDescription.replacingOccurrences(of: "None", with: "?"))"
          )
        }
        feeds[ObjectIdentifier(node)] = tensor
      }
    default:
      throw .typeError("feed_dict must be a dictionary, not \(feedDict.typeName)")
    }
    var run = Run(session: self, feeds: feeds)
    return try run.fetch(fetches)
  }

  /// One `sess.run` call: every node is computed at most once.
  private struct Run {
    let session: Session
    let feeds: [ObjectIdentifier: Tensor]
    var cache: [ObjectIdentifier: Tensor] = [:]

    init(session: Session, feeds: [ObjectIdentifier: Tensor]) {
      self.session = session
      self.feeds = feeds
    }

    mutating func fetch(_ fetches: PyValue) throws(RuntimeError) -> PyValue {
      switch fetches {
      case let .list(list):
        var results: [PyValue] = []
        for item in list.items { results.append(try fetch(item)) }
        return .list(PyList(results))
      case let .tuple(items):
        var results: [PyValue] = []
        for item in items { results.append(try fetch(item)) }
        return .tuple(results)
      case let .dict(dict):
        let result = PyDict()
        for (key, value) in dict.entries { try result.set(try fetch(value), for: key) }
        return .dict(result)
      case let .object(operation as GraphOperation):
        try perform(operation)
        return .none
      case .string:
        throw .unsupported("fetching tensors or operations by name in sess.run")
      case let .object(value as TensorValue):
        guard case let .graph(node) = try value.operand() else {
          throw .exception("AttributeError", "Tensor.graph is undefined when eager execution is enabled.")
        }
        guard node.graph === session.graph else {
          throw .valueError(
            "Fetch argument \(fetches.repr) cannot be interpreted as a Tensor. (Tensor \(node.repr()) is not an "
              + "element of this graph.)"
          )
        }
        return .object(NDArray(try evaluate(node)))
      default:
        // `type(fetch).__name__`: the class name without its module.
        let name = fetches.typeName.split(separator: ".").last.map(String.init) ?? fetches.typeName
        throw .typeError(
          "Argument `fetch` = \(fetches.str) has invalid type \"\(name)\" must be a string or Tensor. (Can not "
            + "convert a \(name) into a Tensor or Operation.)"
        )
      }
    }

    mutating func perform(_ operation: GraphOperation) throws(RuntimeError) {
      switch operation.kind {
      case let .initialize(variables):
        // TF runs all initializers of the group from the values before this run.
        var values: [(GraphVariable, Tensor)] = []
        for variable in variables { values.append((variable, try evaluate(variable.initialValue))) }
        for (variable, value) in values { session.variableValues[ObjectIdentifier(variable)] = value }
      }
    }

    mutating func evaluate(_ node: GraphNode) throws(RuntimeError) -> Tensor {
      let id = ObjectIdentifier(node)
      if let fed = feeds[id] { return fed }
      if let cached = cache[id] { return cached }
      let value: Tensor
      switch node.kind {
      case .placeholder:
        let shape = node.spec.bracketedShape
        throw .exception(
          "InvalidArgumentError",
          "You must feed a value for placeholder tensor '\(node.name)' with dtype "
            + "\(node.spec.dtype.name)\(node.spec.shape == nil ? "" : " and shape \(shape)")"
        )
      case let .op(op, inputs):
        var values: [Tensor] = []
        for input in inputs { values.append(try evaluate(input)) }
        do {
          value = try op.compute(values)[0]
        } catch {
          throw TFRuntime.runtimeError(error, graphNode: node.name)
        }
      case let .read(variable):
        value = try read(variable)
      case let .update(variable, method, newValueNode):
        let newValue = try evaluate(newValueNode)
        if method == "assign" {
          value = newValue
        } else {
          let current = try read(variable)
          let op: OpDefinition = method == "assign_add" ? .addV2 : .sub
          value = try Conversion.kernel { () throws(TensorError) in try op(current, newValue) }
        }
        session.variableValues[ObjectIdentifier(variable)] = value
      }
      cache[id] = value
      return value
    }

    func read(_ variable: GraphVariable) throws(RuntimeError) -> Tensor {
      guard let value = session.variableValues[ObjectIdentifier(variable)] else {
        if variable.isResource {
          throw .exception(
            "FailedPreconditionError",
            "Could not find variable \(variable.name). This could mean that the variable has been deleted. In TF1, it "
              + "can also mean the variable is uninitialized. Debug info: container=localhost, status error "
              + "message=Container localhost does not exist. (Could not find resource: "
              + "localhost/\(variable.name))\n\t [[{{node ReadVariableOp}}]]"
          )
        }
        throw .exception(
          "FailedPreconditionError",
          "Attempting to use uninitialized value \(variable.name)\n\t [[{{node \(variable.name)/read}}]]")
      }
      return value
    }
  }
}
