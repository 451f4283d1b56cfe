import PythonRuntime
import TensorCore

extension TFRuntime {
  /// Runs `op` on `inputs` eagerly, or adds it to the current graph, depending on the mode
  /// and on whether any input is a graph tensor. Python literals among the inputs take
  /// TensorFlow's default dtype for them.
  func apply(_ op: Op, _ inputs: [PyValue], name: String) throws(RuntimeError) -> PyValue {
    let graph = try graphFor(inputs)
    let scope = scopeName(name, graph: graph)
    var operands: [Operand] = []
    for (input, parameter) in zip(inputs, op.inputParameters) {
      operands.append(try operand(input, dtype: nil, graph: graph, constName: "\(scope)/\(parameter)"))
    }
    return try apply(op, operands, name: scope, graph: graph, nameIsUnique: true)
  }

  /// The unique name of an op about to be added to `graph` (its name scope, inside which TF
  /// names the constants it converts inputs to: `matmul/b`); the plain name eagerly.
  func scopeName(_ name: String, graph: Graph?) -> String {
    graph?.uniqueName(name) ?? name
  }

  /// Runs or records `op` on operands already converted for `graph` (nil: eager).
  func apply(_ op: Op, _ operands: [Operand], name: String, graph: Graph?, nameIsUnique: Bool = false) throws(RuntimeError) -> PyValue {
    guard let graph else {
      var tensors: [Tensor] = []
      for operand in operands {
        guard case let .eager(tensor) = operand else { preconditionFailure("eager ops take eager operands") }
        tensors.append(tensor)
      }
      if let constraint = OpTypeConstraint.of(op), tensors.indices.contains(constraint.inputIndex),
        !constraint.allows(tensors[constraint.inputIndex].dtype)
      {
        throw constraint.eagerError(tensors[constraint.inputIndex].dtype, op: op.typeName)
      }
      try Self.checkOutputSize(op, tensors)
      do {
        return .object(EagerTensor(try op.compute(tensors), runtime: self))
      } catch {
        throw Self.runtimeError(error, eagerOp: op.eagerKernelName(for: tensors.first?.dtype))
      }
    }
    let nodes = operands.map { operand -> GraphNode in
      guard case let .graph(node) = operand else { preconditionFailure("graph ops take graph operands") }
      return node
    }
    if let constraint = OpTypeConstraint.of(op), nodes.indices.contains(constraint.inputIndex),
      !constraint.allows(nodes[constraint.inputIndex].spec.dtype)
    {
      throw constraint.graphError(nodes[constraint.inputIndex].spec.dtype)
    }
    let nodeName = nameIsUnique ? name : graph.uniqueName(name)
    let spec: TensorSpec
    do {
      spec = try op.infer(nodes.map(\.spec))
    } catch {
      // TF passes a reshape's shape and a reduction's axes as extra constant inputs.
      var inputNames = nodes.map(\.name)
      if case .reshape = op { inputNames.append("\(nodeName)/shape") }
      if case .reduce = op { inputNames.append("\(nodeName)/reduction_indices") }
      throw Self.graphConstructionError(error, nodeName: nodeName, inputNames: inputNames)
    }
    try Self.checkSize(spec)
    return .object(GraphNode(.op(op, inputs: nodes), name: nodeName, spec: spec, graph: graph))
  }

  /// Refuses to compute an output too large to allocate. Shape inference serves only this;
  /// the kernel raises TF's own error for anything else.
  static func checkOutputSize(_ op: Op, _ inputs: [Tensor]) throws(RuntimeError) {
    if let spec = try? op.infer(inputs.map(TensorSpec.init(of:))) { try checkSize(spec) }
  }

  /// The most elements one tensor may hold (256 MiB of float32).
  static let maxElements = 64 << 20

  /// Refuses a tensor too large to allocate safely: a limit error, never a crash.
  static func checkSize(_ spec: TensorSpec) throws(RuntimeError) {
    guard let shape = spec.shape else { return }
    var count = 1
    for dim in shape {
      guard let dim else { continue }
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow, product <= maxElements else {
        throw RuntimeError(.limitExceeded("a tensor of shape \(spec.bracketedShape) exceeds Lockstep's limit of \(maxElements) elements"))
      }
      count = product
    }
  }

  /// The graph the inputs live in: the current graph, or a graph tensor's own graph;
  /// nil in eager mode with eager inputs.
  func graphFor(_ inputs: [PyValue]) throws(RuntimeError) -> Graph? {
    var found = currentGraph
    for input in inputs {
      guard case let .object(object) = input else { continue }
      let graph: Graph?
      switch object {
      case let node as GraphNode: graph = node.graph
      case let variable as GraphVariable: graph = variable.graph
      default: graph = nil
      }
      guard let graph else { continue }
      if let found, found !== graph {
        throw .valueError("Tensor \(object.repr()) must be from the same graph as the other inputs.")
      }
      found = graph
    }
    return found
  }

  /// Converts an op input: tensors as they are, Python values and NumPy arrays through
  /// `convert_to_tensor` (a `Const` node in graph mode).
  func operand(_ value: PyValue, dtype: DType?, graph: Graph?, constName: String = "Const") throws(RuntimeError) -> Operand {
    if case let .object(tensor as TensorValue) = value {
      let operand = try tensor.operand()
      switch (operand, graph) {
      case (.graph, nil):
        throw .exception("RuntimeError", "A graph tensor (\(tensor.repr())) cannot be used in eager mode: run it in a tf.compat.v1.Session.")
      case let (.eager(t), graph?):
        return .graph(constantNode(t, graph: graph, name: constName))
      default:
        return operand
      }
    }
    guard let graph else { return .eager(try Conversion.tensor(from: value, dtype: dtype)) }
    let tensor: Tensor
    do {
      tensor = try Conversion.tensor(from: value, dtype: dtype)
    } catch where error.typeName == "TypeError" && dtype != nil {
      // Graph-mode conversion words a refused literal as make_tensor_proto does.
      throw .typeError(Self.expectedMessage(value, dtype!))
    }
    return .graph(constantNode(tensor, graph: graph, name: constName))
  }

  func constantNode(_ tensor: Tensor, graph: Graph, name: String) -> GraphNode {
    GraphNode(.op(.constant(tensor), inputs: []), name: graph.uniqueName(name), spec: TensorSpec(of: tensor), graph: graph)
  }

  /// A binary op, its Python inputs converted by `rule`, as the TF API it models does.
  func binary(
    _ op: BinaryOp, _ x: PyValue, _ y: PyValue, name: String, rule: InputConversion, scope: String? = nil
  ) throws(RuntimeError) -> PyValue {
    let graph = try graphFor([x, y])
    let scope = scope ?? scopeName(name, graph: graph)
    let (a, b) = try convertInputs(x, y, rule: rule, opName: op.opName, graph: graph, scope: scope)
    return try apply(.binary(op), [a, b], name: scope, graph: graph, nameIsUnique: true)
  }

  /// Python's `/` on tensors (`tf.math.truediv`): integers are cast to float64 first.
  func trueDivide(_ x: PyValue, _ y: PyValue, name: String, scope: String? = nil) throws(RuntimeError) -> PyValue {
    let graph = try graphFor([x, y])
    let scope = scope ?? scopeName(name, graph: graph)
    var (a, b) = try convertInputs(x, y, rule: .hinted, opName: "RealDiv", graph: graph, scope: scope)
    guard a.spec.dtype == b.spec.dtype else {
      throw .typeError("`x` and `y` must have the same dtype, got tf.\(a.spec.dtype.name) != tf.\(b.spec.dtype.name).")
    }
    // _TRUEDIV_TABLE has no entry for bool.
    if a.spec.dtype == .bool {
      throw .typeError(
        "Invalid dtype tf.bool in __truediv__. Expected one of {tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, tf.complex128}.")
    }
    if a.spec.dtype.isInteger {
      let castName = graph.map { _ in "\(scope)/Cast" } ?? "Cast"
      a = try operandOf(try apply(.cast(.float64), [a], name: castName, graph: graph))
      b = try operandOf(try apply(.cast(.float64), [b], name: castName, graph: graph))
    }
    return try apply(.binary(.realDivide), [a, b], name: scope, graph: graph, nameIsUnique: true)
  }

  func operandOf(_ value: PyValue) throws(RuntimeError) -> Operand {
    guard let tensor = value.object(as: TensorValue.self) else { preconditionFailure("ops return tensors") }
    return try tensor.operand()
  }

  /// `tf.matmul`.
  func matmul(
    _ x: PyValue, _ y: PyValue, transposeA: Bool, transposeB: Bool, name: String, scope: String? = nil
  ) throws(RuntimeError) -> PyValue {
    let graph = try graphFor([x, y])
    let scope = scope ?? scopeName(name, graph: graph)
    let (a, b) = try convertInputs(x, y, rule: .hinted, opName: "MatMul", graph: graph, scope: scope, parameters: ("a", "b"))
    return try apply(.matmul(transposeA: transposeA, transposeB: transposeB), [a, b], name: scope, graph: graph, nameIsUnique: true)
  }

  /// A concrete tensor from any value, for eager variables and constants.
  func eagerTensor(_ value: PyValue, dtype: DType?) throws(RuntimeError) -> Tensor {
    if let tensor = value.object(as: TensorValue.self) {
      guard let concrete = tensor.eagerValue else {
        throw .exception("RuntimeError", "A graph tensor (\(tensor.repr())) cannot be used in eager mode: run it in a tf.compat.v1.Session.")
      }
      if let dtype, concrete.dtype != dtype {
        throw .valueError("Tensor conversion requested dtype \(dtype.name) for Tensor with dtype \(concrete.dtype.name): \(tensor.repr())")
      }
      return concrete
    }
    return try Conversion.tensor(from: value, dtype: dtype)
  }

  /// `variable.assign(value)` & co. in a graph: a node that updates the variable when run.
  func graphUpdate(_ variable: GraphVariable, method: String, _ value: PyValue) throws(RuntimeError) -> PyValue {
    let graph = variable.graph
    let newValue = try operand(value, dtype: variable.spec.dtype, graph: graph)
    guard case let .graph(node) = newValue else { preconditionFailure("graph operands are nodes") }
    guard node.spec.dtype == variable.spec.dtype else {
      throw .typeError("Input 'value' of '\(method == "assign" ? "Assign" : method == "assign_add" ? "AssignAdd" : "AssignSub")' Op has type \(node.spec.dtype.name) that does not match type \(variable.spec.dtype.name)_ref of argument 'ref'.")
    }
    if let target = variable.spec.shape, let given = node.spec.shape, target.count != given.count
      || zip(target, given).contains(where: { $0 != nil && $1 != nil && $0 != $1 })
    {
      throw .valueError("Dimension 0 in both shapes must be equal, but are \(target.first.flatMap { $0 }.map(String.init) ?? "?") and \(given.first.flatMap { $0 }.map(String.init) ?? "?"). Shapes are \(variable.spec.bracketedShape) and \(node.spec.bracketedShape).")
    }
    let opName = method == "assign" ? "Assign" : method == "assign_add" ? "AssignAdd" : "AssignSub"
    return .object(GraphNode(.update(variable, method: method, value: node), name: graph.uniqueName(opName), spec: variable.spec, graph: graph))
  }

  // MARK: - Errors as TensorFlow raises them

  /// An eager kernel failure: `InvalidArgumentError: … [Op:AddV2]`; the message names the
  /// kernel that ran (`_MklMatMul` for float32 MatMul on CPU), the suffix the op.
  static func runtimeError(_ error: OpError, eagerOp kernel: (name: String, op: String)) -> RuntimeError {
    var error = error
    if case let .tensor(.dtypeMismatch(_, expected, actual, index)) = error {
      error = .tensor(.dtypeMismatch(op: kernel.name, expected: expected, actual: actual, inputIndex: index))
    }
    return .exception("InvalidArgumentError", "\(message(of: error)) [Op:\(kernel.op)]")
  }

  /// A kernel failure inside `sess.run`.
  static func runtimeError(_ error: OpError, graphNode: String) -> RuntimeError {
    .exception("InvalidArgumentError", "Graph execution error:\n\n\(message(of: error))\n\t [[{{node \(graphNode)}}]]")
  }

  /// A failure while adding a node: TypeError for dtypes, ValueError for shapes.
  static func graphConstructionError(_ error: OpError, nodeName: String, inputNames: [String]) -> RuntimeError {
    switch error {
    case let .typeError(message):
      return .typeError(message)
    case let .invalidArgument(message):
      let inputs = "(" + inputNames.joined(separator: ", ") + ")"
      return .valueError(
        message.replacingOccurrences(of: "$NODE", with: nodeName).replacingOccurrences(of: "$INPUTS", with: inputs))
    default:
      return .typeError(message(of: error))
    }
  }

  private static func message(of error: OpError) -> String {
    switch error {
    case let .typeError(text), let .invalidArgument(text): text
    case let .tensor(tensorError): tensorError.message
    }
  }
}
