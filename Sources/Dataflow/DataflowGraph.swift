import Operations

/// A graph of nodes, as TensorFlow's `Graph`: nodes in creation order with TF's unique
/// naming, and a library of function graphs for the nodes that call them (`tf.function`,
/// `while_loop` and `cond` bodies).
public final class DataflowGraph {
  /// The nodes in creation order (a node's inputs always come before it).
  public private(set) var nodes: [Node] = []
  /// Function graphs by name, for nodes whose attributes name them.
  public var functions: [String: DataflowGraph] = [:]
  private var nameCounts: [String: Int] = [:]

  /// An empty graph.
  public init() {}

  /// Whether no node or name has been added yet.
  public var isEmpty: Bool { nameCounts.isEmpty }

  /// `Add`, then `Add_1`, `Add_2` …, as TF's `Graph.unique_name` names nodes: names are
  /// compared without case, so `mul` after `Mul` becomes `mul_1`.
  public func uniqueName(_ base: String) -> String {
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

  /// Adds a node named exactly `name` (already unique), inferring its outputs' specs.
  /// Inference failures are TF's graph-construction errors.
  @discardableResult
  public func add(_ op: Op, _ inputs: [Endpoint], controlInputs: [Node] = [], name: String) throws(OpError) -> Node {
    let specs = try op.infer(inputs.map(\.spec))
    return add(op, inputs, controlInputs: controlInputs, name: name, outputSpecs: specs)
  }

  /// Adds a node whose outputs' specs are already known.
  @discardableResult
  public func add(_ op: Op, _ inputs: [Endpoint], controlInputs: [Node] = [], name: String, outputSpecs: [TensorSpec])
    -> Node
  {
    let node = Node(
      id: nodes.count, name: name, op: op, inputs: inputs, controlInputs: controlInputs, outputSpecs: outputSpecs,
      graph: self)
    nodes.append(node)
    return node
  }
}
