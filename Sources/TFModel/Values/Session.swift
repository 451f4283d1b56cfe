import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// A `tf.compat.v1.Session`: runs fetches of a graph with feeds, and holds the values of
/// the graph's variables.
final class Session: PyObject {
  let graph: Graph
  /// The session's variables.
  let resources = ResourceStore()
  private let executor: Executor
  private var closed = false
  /// What the previous `run` fetched and fed, and how: reused by a run that asks the same.
  private var lastRun: PreparedRun?
  /// `sess.run`'s parameters.
  private static let runParameters: [Arguments.Parameter] = [
    .required("fetches"), .optional("feed_dict"), .optional("options"), .optional("run_metadata"),
  ]

  init(graph: Graph) {
    self.graph = graph
    executor = Executor(graph: graph.core)
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
          let bound = try arguments.bind("run", Self.runParameters)
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
    var fed: [GraphNode] = []
    var feeds: [Tensor] = []
    switch feedDict {
    case .none: break
    case let .dict(dict):
      fed.reserveCapacity(dict.count)
      feeds.reserveCapacity(dict.count)
      try dict.forEachEntry { key, value throws(RuntimeError) in
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
            "Cannot feed value of shape \(Shape.pythonTuple(tensor.shape)) for Tensor \(node.endpoint.name), which has "
              + "shape \(node.spec.shapeDescription.replacingOccurrences(of: "None", with: "?"))"
          )
        }
        fed.append(node)
        feeds.append(tensor)
      }
    default:
      throw .typeError("feed_dict must be a dictionary, not \(feedDict.typeName)")
    }
    let prepared = try prepare(fetches, fed: fed)
    let values: [Tensor]
    do {
      values = try executor.run(prepared.callable, feeds: feeds, resources: resources)
    } catch {
      throw Self.runtimeError(error)
    }
    return prepared.structure.rebuild(values)
  }

  /// The fetches' structure and the executor's callable for them with `fed` fed: the last
  /// run's when it fetched the same objects with the same feed keys (a loop running one
  /// train op), else gathered afresh.
  private func prepare(_ fetches: PyValue, fed: [GraphNode]) throws(RuntimeError) -> PreparedRun {
    if let last = lastRun, last.fed.count == fed.count, zip(last.fed, fed).allSatisfy({ $0 === $1 }),
      last.request.matches(fetches, last.structure)
    {
      return last
    }
    var request = FetchRequest()
    let structure = try request.collect(fetches, graph: graph)
    let callable = executor.callable(fetches: request.endpoints, targets: request.targets, fed: fed.map(\.endpoint))
    let prepared = PreparedRun(request: request, fed: fed, structure: structure, callable: callable)
    lastRun = prepared
    return prepared
  }

  /// A node's failure in `sess.run`, as TF raises it.
  static func runtimeError(_ failure: ExecutionError) -> RuntimeError {
    let node = failure.nodeName
    switch failure.error {
    case let .failedPrecondition(message):
      return .exception("FailedPreconditionError", "\(message)\n\t [[{{node \(node)}}]]")
    case let .invalidArgument(message) where failure.op.definition === OpDefinition.placeholder:
      return .exception("InvalidArgumentError", message.replacingOccurrences(of: "$NODE", with: node))
    case let .unimplemented(feature):
      return .unsupported(feature)
    default:
      return TFRuntime.runtimeError(failure.error, graphNode: node)
    }
  }
}

/// A `sess.run`'s fetches and feed keys, with what running them needs.
private struct PreparedRun {
  let request: FetchRequest
  let fed: [GraphNode]
  let structure: FetchRequest.Structure
  let callable: Executor.Callable
}

/// The tensors and operations one `sess.run` fetches, gathered from a nested structure.
private struct FetchRequest {
  var endpoints: [Endpoint] = []
  var targets: [Node] = []
  /// The fetched tensor, variable and operation objects, in the order `collect` met them.
  var objects: [AnyObject] = []

  /// Where each fetch's value goes back in the structure.
  indirect enum Structure {
    case tensor(Int)
    case operation
    case list([Structure])
    case tuple([Structure])
    case dict([(PyValue, Structure)])

    func rebuild(_ values: [Tensor]) -> PyValue {
      switch self {
      case let .tensor(index): .object(NDArray(values[index]))
      case .operation: .none
      case let .list(items): .list(PyList(items.map { $0.rebuild(values) }))
      case let .tuple(items): .tuple(items.map { $0.rebuild(values) })
      case let .dict(entries):
        {
          let result = PyDict()
          for (key, value) in entries { try? result.set(value.rebuild(values), for: key) }
          return .dict(result)
        }()
      }
    }
  }

  mutating func collect(_ fetches: PyValue, graph: Graph) throws(RuntimeError) -> Structure {
    switch fetches {
    case let .list(list):
      var items: [Structure] = []
      for item in list.items { items.append(try collect(item, graph: graph)) }
      return .list(items)
    case let .tuple(items):
      var structures: [Structure] = []
      for item in items { structures.append(try collect(item, graph: graph)) }
      return .tuple(structures)
    case let .dict(dict):
      var entries: [(PyValue, Structure)] = []
      for (key, value) in dict.entries { entries.append((key, try collect(value, graph: graph))) }
      return .dict(entries)
    case let .object(operation as GraphOperation):
      targets.append(operation.node)
      objects.append(operation)
      return .operation
    case .string:
      throw .unsupported("fetching tensors or operations by name in sess.run")
    case let .object(variable as GraphVariable):
      try requireSameGraph(variable.graph, graph, fetches)
      endpoints.append(variable.snapshot)
      objects.append(variable)
      return .tensor(endpoints.count - 1)
    case let .object(value as TensorValue):
      guard case let .graph(node) = try value.operand() else {
        throw .exception("AttributeError", "Tensor.graph is undefined when eager execution is enabled.")
      }
      try requireSameGraph(node.graph, graph, fetches)
      endpoints.append(node.endpoint)
      objects.append(value)
      return .tensor(endpoints.count - 1)
    default:
      // `type(fetch).__name__`: the class name without its module.
      let name = fetches.typeName.split(separator: ".").last.map(String.init) ?? fetches.typeName
      throw .typeError(
        "Argument `fetch` = \(fetches.str) has invalid type \"\(name)\" must be a string or Tensor. (Can not "
          + "convert a \(name) into a Tensor or Operation.)"
      )
    }
  }

  /// Whether `fetches` asks for what this request gathered into `structure`: the same
  /// tensor, variable and operation objects in lists and tuples of the same lengths (a list
  /// is compared by its items now, as a program may change it between runs). A dict of
  /// fetches never matches, so a run fetching one gathers afresh.
  func matches(_ fetches: PyValue, _ structure: Structure) -> Bool {
    var next = 0
    func walk(_ value: PyValue, _ structure: Structure) -> Bool {
      switch (value, structure) {
      case let (.object(object), .tensor), let (.object(object), .operation):
        defer { next += 1 }
        return next < objects.count && objects[next] === object
      case let (.list(list), .list(items)):
        return list.items.count == items.count && zip(list.items, items).allSatisfy(walk)
      case let (.tuple(values), .tuple(items)):
        return values.count == items.count && zip(values, items).allSatisfy(walk)
      default:
        return false
      }
    }
    return walk(fetches, structure) && next == objects.count
  }

  private func requireSameGraph(_ owner: Graph, _ graph: Graph, _ fetch: PyValue) throws(RuntimeError) {
    guard owner === graph else {
      throw .valueError(
        "Fetch argument \(fetch.repr) cannot be interpreted as a Tensor. (Tensor \(fetch.repr) is not an element of "
          + "this graph.)"
      )
    }
  }
}
