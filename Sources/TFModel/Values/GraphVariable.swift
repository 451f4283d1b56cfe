import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// A `tf.Variable` in a v1 graph. Its value lives in each session's resource store, from
/// when its initializer runs. With `disable_v2_behavior` it is a TF1 reference variable
/// (`VariableV2`, read through `name/read`), otherwise a resource variable whose every use
/// reads it where the graph puts the read; they print and fail differently.
final class GraphVariable: TensorValue {
  /// The variable's name, which is also its shared name in the store.
  let name: String
  unowned let graph: Graph
  /// Whether this is a resource variable (TF2 behaviour) rather than a `RefVariable`.
  let isResource: Bool
  let trainable: Bool
  let spec: TensorSpec
  /// The op that sets the initial value (`name/Assign`).
  let initializer: Node
  /// The tensor `sess.run(variable)` fetches and a reference variable's uses read.
  let snapshot: Endpoint
  /// The attributes of the ops that read and write the variable.
  let attributes: OpAttributes

  init(name: String, initialValue: Endpoint, graph: Graph, isResource: Bool, trainable: Bool) throws(OpError) {
    self.name = name
    self.graph = graph
    self.isResource = isResource
    self.trainable = trainable
    spec = initialValue.spec
    let attributes = OpAttributes([
      "shared_name": .string(name), "dtype": .type(spec.dtype), "shape": .ints(spec.knownShape ?? []),
    ])
    self.attributes = attributes
    let core = graph.core
    if isResource {
      initializer = try core.add(Op(.assignVariableOp, attributes), [initialValue], name: "\(name)/Assign")
      snapshot = try core.add(Op(.readVariableOp, attributes), [], name: "\(name)/Read/ReadVariableOp").output(0)
    } else {
      let reference = try core.add(Op(.variableV2, attributes), [], name: name).output(0)
      initializer = try core.add(Op(.assign, attributes), [initialValue], name: "\(name)/Assign")
      snapshot = try core.add(Op(.identity), [reference], name: "\(name)/read").output(0)
    }
  }

  var runtime: TFRuntime { graph.runtime }
  var typeName: String { isResource ? "ResourceVariable" : "RefVariable" }
  var eagerValue: Tensor? { nil }

  /// The variable as an op input: a reference variable's `name/read`; for a resource
  /// variable, a new read where the graph is being built (after any open control
  /// dependencies), as TF's `ReadVariableOp` per use.
  func operand() throws(RuntimeError) -> Operand {
    guard isResource else { return .graph(GraphNode(snapshot, graph: graph)) }
    return .graph(try read())
  }

  /// A new read of the variable.
  func read(name base: String = "ReadVariableOp") throws(RuntimeError) -> GraphNode {
    do {
      return try graph.tensor(Op(.readVariableOp, attributes), [], name: graph.uniqueName(base))
    } catch {
      throw TFRuntime.graphConstructionError(error, nodeName: base, inputNames: [])
    }
  }

  /// Every endpoint through which the variable's value enters the graph: its gradient sources.
  var readEndpoints: [Endpoint] {
    guard isResource else { return [snapshot] }
    return graph.core.nodes.filter { node in
      node.op.definition === OpDefinition.readVariableOp && node.op.attributes.string("shared_name") == name
    }.map { $0.output(0) }
  }

  func repr() -> String {
    "<tf.Variable '\(name):0' shape=\(spec.shapeDescription) dtype=\(spec.dtype.name)\(isResource ? "" : "_ref")>"
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "name": return .string("\(self.name):0")
    case "initializer": return .object(GraphOperation(initializer, graph: graph))
    case "trainable": return .bool(trainable)
    case "graph": return .object(graph)
    case "read_value", "value":
      return .builtin(
        BuiltinFunction(name) { _, _ throws(RuntimeError) in
          guard self.isResource else {
            // A reference variable's fresh read: an Identity of the reference, placed here.
            return .object(
              try self.runtime.graphOp(
                Op(.identity), [self.snapshot.node.inputs.first ?? self.snapshot], name: "read", graph: self.graph))
          }
          return .object(try self.read(name: "Read/ReadVariableOp"))
        })
    case "assign", "assign_add", "assign_sub":
      return variableMethod(name) { value throws(RuntimeError) in
        try self.runtime.graphUpdate(self, method: name, value)
      }
    case "eval": throw .unsupported("tf.Variable.eval (use sess.run)")
    default: throw .unsupported("tf.Variable.\(name)")
    }
  }
}
