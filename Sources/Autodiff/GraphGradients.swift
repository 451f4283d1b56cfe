import Dataflow
import Operations
import TensorCore

/// Graph-mode `tf.gradients`: gradient ops added to the graph, named under a `gradients`
/// scope as TensorFlow names them (`gradients/MatMul_grad/MatMul_1`).
public final class GraphGradients: GradientEmitter {
  /// The graph gradients are added to.
  public let graph: DataflowGraph
  private let scope: String
  private var opScope: String
  private let controlInputs: [Node]

  /// An emitter adding to `graph` under `scope` (`gradients`, `gradients_1` …), each node
  /// after `controlInputs` (the `control_dependencies` open where `tf.gradients` was called).
  public init(graph: DataflowGraph, scope: String, controlInputs: [Node] = []) {
    self.graph = graph
    self.scope = scope
    self.opScope = scope
    self.controlInputs = controlInputs
  }

  public func spec(of value: Endpoint) -> TensorSpec { value.spec }

  public func emit(_ op: Op, _ inputs: [Endpoint]) throws(OpError) -> [Endpoint] {
    let name = graph.uniqueName("\(opScope)/\(op.typeName)")
    let node = try graph.add(op, inputs, controlInputs: controlInputs, name: name)
    return node.outputSpecs.indices.map(node.output)
  }

  public func beginGradient(of name: String) {
    opScope = graph.uniqueName("\(scope)/\(name)_grad")
  }

  /// The gradients of `targets` (seeded with `seeds`) with respect to each source (all the
  /// endpoints through which it is read), with `stopped` held constant.
  public func gradients(
    of targets: [(value: Endpoint, seed: Endpoint)], with sources: [[Endpoint]], stopped: Set<Endpoint>
  ) throws(OpError) -> [Endpoint?] {
    let ops = graph.nodes.map { node in
      RecordedOp(
        op: node.op, inputs: node.inputs, outputs: node.outputSpecs.indices.map(node.output), name: node.name)
    }
    return try Backpropagation.gradients(of: targets, with: sources, through: ops, stopped: stopped, emitter: self)
  }
}
