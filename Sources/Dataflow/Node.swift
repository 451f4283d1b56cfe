import Operations

/// One operation of a graph, as TensorFlow's `Operation`: an op with its attributes, inputs
/// as outputs of other nodes, control inputs that must run first, and any number of outputs.
public final class Node {
  /// The node's position in its graph (its creation order).
  public let id: Int
  /// Its unique name in the graph (`gradients/MatMul_grad/MatMul_1`).
  public let name: String
  /// The op and attributes.
  public let op: Op
  /// The data inputs.
  public let inputs: [Endpoint]
  /// Nodes that must run before this one (`tf.control_dependencies`).
  public let controlInputs: [Node]
  /// The outputs' dtypes and static shapes.
  public let outputSpecs: [TensorSpec]
  /// The graph the node belongs to.
  public unowned let graph: DataflowGraph

  init(
    id: Int, name: String, op: Op, inputs: [Endpoint], controlInputs: [Node], outputSpecs: [TensorSpec],
    graph: DataflowGraph
  ) {
    self.id = id
    self.name = name
    self.op = op
    self.inputs = inputs
    self.controlInputs = controlInputs
    self.outputSpecs = outputSpecs
    self.graph = graph
  }

  /// Output `index` as an input for other nodes.
  public func output(_ index: Int) -> Endpoint { Endpoint(node: self, index: index) }
}

/// One output of a node (TF's `Output`, `name:index`): what an edge carries.
public struct Endpoint: Hashable {
  /// The producing node.
  public let node: Node
  /// Which of its outputs.
  public let index: Int

  /// An output of `node`.
  public init(node: Node, index: Int) {
    self.node = node
    self.index = index
  }

  /// The output's dtype and static shape.
  public var spec: TensorSpec { node.outputSpecs[index] }

  /// `name:index`, as TensorFlow names tensors.
  public var name: String { "\(node.name):\(index)" }

  public static func == (a: Endpoint, b: Endpoint) -> Bool { a.node === b.node && a.index == b.index }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(ObjectIdentifier(node))
    hasher.combine(index)
  }
}
