import Autodiff
import Dataflow
import Operations
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
    for (input, parameter) in zip(inputs, op.definition.inputNames) {
      operands.append(
        try operand(input, dtype: nil, graph: graph, constName: constantName(scope, parameter, graph: graph)))
    }
    return try apply(op, operands, name: scope, graph: graph, nameIsUnique: true)
  }

  /// The unique name of an op about to be added to `graph` (its name scope, inside which TF
  /// names the constants it converts inputs to: `matmul/b`); the plain name eagerly.
  func scopeName(_ name: String, graph: Graph?) -> String {
    graph?.uniqueName(name) ?? name
  }

  /// Runs or records `op` on operands already converted for `graph` (nil: eager).
  func apply(_ op: Op, _ operands: [Operand], name: String, graph: Graph?, nameIsUnique: Bool = false)
    throws(RuntimeError) -> PyValue
  {
    guard let graph else {
      var tensors: [TapeTensor] = []
      for operand in operands {
        guard case let .eager(tensor) = operand else { preconditionFailure("eager ops take eager operands") }
        tensors.append(tensor)
      }
      return .object(EagerTensor(try runEagerly(op, tensors)[0], runtime: self))
    }
    let nodes = operands.map { operand -> GraphNode in
      guard case let .graph(node) = operand else { preconditionFailure("graph ops take graph operands") }
      return node
    }
    let nodeName = nameIsUnique ? name : graph.uniqueName(name)
    return .object(try graphOp(op, nodes.map(\.endpoint), name: nodeName, graph: graph))
  }

  /// Adds `op` to `graph` as the node `name` (already unique), under the open control
  /// dependencies; its first output. Inference failures are TF's graph-construction errors.
  func graphOp(_ op: Op, _ inputs: [Endpoint], name: String, graph: Graph) throws(RuntimeError) -> GraphNode {
    let specs: [TensorSpec]
    do {
      specs = try op.infer(inputs.map(\.spec))
    } catch {
      // TF passes a reshape's shape and a reduction's axes as extra constant inputs.
      let inputNames = inputs.map(\.node.name) + op.definition.attributeInputNames.map { "\(name)/\($0)" }
      throw Self.graphConstructionError(error, nodeName: name, inputNames: inputNames)
    }
    for spec in specs { try Self.checkSize(spec) }
    let node = graph.core.add(op, inputs, controlInputs: graph.controlInputs, name: name, outputSpecs: specs)
    return GraphNode(node.output(0), graph: graph)
  }

  /// Adds an op without outputs (`NoOp`, a resource assign) to `graph`.
  func graphOperation(_ op: Op, _ inputs: [Endpoint], name: String, graph: Graph, controlInputs: [Node] = [])
    throws(RuntimeError) -> Node
  {
    do {
      return try graph.core.add(op, inputs, controlInputs: graph.controlInputs + controlInputs, name: name)
    } catch {
      throw Self.graphConstructionError(error, nodeName: name, inputNames: inputs.map(\.node.name))
    }
  }

  /// The most elements a nested Python list converted to a tensor may hold.
  static let maxElements = 64 << 20

  /// Runs `op` at once on concrete inputs, as TF's eager executor does: the registered dtype
  /// check, then the kernel; its outputs, with new identities, recorded by the active tapes.
  func runEagerly(_ op: Op, _ inputs: [TapeTensor]) throws(RuntimeError) -> [TapeTensor] {
    do {
      return try executeEagerly(op, inputs)
    } catch {
      throw Self.runtimeError(error, eagerOp: op, dtype: inputs.first?.value.dtype)
    }
  }

  /// `runEagerly` with the op's own errors.
  public func executeEagerly(_ op: Op, _ inputs: [TapeTensor]) throws(OpError) -> [TapeTensor] {
    let values = inputs.map(\.value)
    try op.checkTypes(of: values)
    let outputs = try op.compute(values).map { TapeTensor(id: newTensorID(), value: $0) }
    record(op, inputs: inputs, outputs: outputs)
    return outputs
  }

  /// `runEagerly` for an attribute-free op of two inputs (the operators' fast path), without
  /// building arrays when no tape records.
  func runEagerly(_ op: Op, _ a: TapeTensor, _ b: TapeTensor) throws(RuntimeError) -> PyValue {
    guard activeTapes.isEmpty else { return .object(EagerTensor(try runEagerly(op, [a, b])[0], runtime: self)) }
    do {
      try op.checkTypes(a.value, b.value)
    } catch {
      throw Self.runtimeError(error, eagerOp: op, dtype: a.value.dtype)
    }
    do {
      return .object(EagerTensor(try op.definition(a.value, b.value), runtime: self))
    } catch {
      throw Self.runtimeError(.tensor(error), eagerOp: op, dtype: a.value.dtype)
    }
  }

  /// Refuses, while a graph is built, a tensor whose known dimensions alone exceed the
  /// program's memory budget: a limit error, never a crash. (Kernels charge each
  /// allocation to the budget when they run.)
  static func checkSize(_ spec: TensorSpec) throws(RuntimeError) {
    guard let shape = spec.shape else { return }
    var bytes = max(spec.dtype.byteSize, 1)
    let limit = MemoryBudget.current.limit
    for dim in shape {
      guard let dim else { continue }
      let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
      guard !overflow, product <= limit else {
        throw RuntimeError(
          .limitExceeded(
            "a \(spec.dtype.name) tensor of shape \(spec.bracketedShape) is beyond Lockstep's memory budget of "
              + "\(limit >> 20) MiB per program"
          ))
      }
      bytes = product
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
  func operand(_ value: PyValue, dtype: DType?, graph: Graph?, constName: String = "Const") throws(RuntimeError)
    -> Operand
  {
    if case let .object(tensor as TensorValue) = value {
      let operand = try tensor.operand()
      switch (operand, graph) {
      case (.graph, nil):
        throw .exception(
          "RuntimeError",
          "A graph tensor (\(tensor.repr())) cannot be used in eager mode: run it in a tf.compat.v1.Session.")
      case let (.eager(t), graph?):
        return .graph(constantNode(t.value, graph: graph, name: constName))
      default:
        return operand
      }
    }
    guard let graph else {
      return .eager(TapeTensor(id: newTensorID(), value: try Conversion.tensor(from: value, dtype: dtype)))
    }
    let tensor: Tensor
    do {
      tensor = try Conversion.tensor(from: value, dtype: dtype)
    } catch  where error.typeName == "TypeError" && dtype != nil {
      // Graph-mode conversion words a refused literal as make_tensor_proto does.
      throw .typeError(Self.expectedMessage(value, dtype!))
    }
    return .graph(constantNode(tensor, graph: graph, name: constName))
  }

  /// The name a graph gives the constant it converts input `input` of the op in `scope` to
  /// (`matmul/b`); empty eagerly, where no constant is named (building it would be wasted).
  func constantName(_ scope: String, _ input: some StringProtocol, graph: Graph?) -> String {
    graph == nil ? "" : "\(scope)/\(input)"
  }

  /// A `Const` node holding `tensor`, named `name` (a full name: `matmul/b`, or a program's
  /// name already put in the current name scope with `Graph.scoped`), made unique.
  func constantNode(_ tensor: Tensor, graph: Graph, name: String) -> GraphNode {
    let node = graph.core.add(
      .constant(tensor), [], controlInputs: graph.controlInputs, name: graph.uniqueName(absolute: name),
      outputSpecs: [TensorSpec(of: tensor)])
    return GraphNode(node.output(0), graph: graph)
  }

  /// A binary op, its Python inputs converted by `rule`, as the TF API it models does.
  func binary(
    _ definition: OpDefinition, _ x: PyValue, _ y: PyValue, name: String, rule: InputConversion, scope: String? = nil
  ) throws(RuntimeError) -> PyValue {
    let graph = try graphFor([x, y])
    let scope = scope ?? scopeName(name, graph: graph)
    let (a, b) = try convertInputs(x, y, rule: rule, opName: definition.name, graph: graph, scope: scope)
    return try apply(Op(definition), [a, b], name: scope, graph: graph, nameIsUnique: true)
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
        "Invalid dtype tf.bool in __truediv__. Expected one of {tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, "
          + "tf.int32, tf.uint64, tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
          + "tf.complex128}."
      )
    }
    if a.spec.dtype.isInteger {
      let castName = graph.map { _ in "\(scope)/Cast" } ?? "Cast"
      a = try operandOf(try apply(.cast(to: .float64), [a], name: castName, graph: graph))
      b = try operandOf(try apply(.cast(to: .float64), [b], name: castName, graph: graph))
    }
    return try apply(Op(.realDiv), [a, b], name: scope, graph: graph, nameIsUnique: true)
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
    let (a, b) = try convertInputs(
      x, y, rule: .hinted, opName: "MatMul", graph: graph, scope: scope, parameters: ("a", "b"))
    let attributes = OpAttributes.matMul(transposeA: transposeA, transposeB: transposeB)
    return try apply(Op(.matMul, attributes), [a, b], name: scope, graph: graph, nameIsUnique: true)
  }

  /// A concrete tensor from any value, for eager variables and constants.
  func eagerTensor(_ value: PyValue, dtype: DType?) throws(RuntimeError) -> Tensor {
    if let tensor = value.object(as: TensorValue.self) {
      guard let concrete = tensor.eagerValue else {
        throw .exception(
          "RuntimeError",
          "A graph tensor (\(tensor.repr())) cannot be used in eager mode: run it in a tf.compat.v1.Session.")
      }
      if let dtype, concrete.dtype != dtype {
        throw .valueError(
          "Tensor conversion requested dtype \(dtype.name) for Tensor with dtype \(concrete.dtype.name): "
            + "\(tensor.repr())"
        )
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
      throw .typeError(
        "Input 'value' of '\(method == "assign" ? "Assign" : method == "assign_add" ? "AssignAdd" : "AssignSub")' Op "
          + "has type \(node.spec.dtype.name) that does not match type \(variable.spec.dtype.name)_ref of argument "
          + "'ref'."
      )
    }
    if let target = variable.spec.shape, let given = node.spec.shape,
      target.count != given.count
        || zip(target, given).contains(where: { $0 != nil && $1 != nil && $0 != $1 })
    {
      throw .valueError(
        "Dimension 0 in both shapes must be equal, but are \(target.first.flatMap { $0 }.map(String.init) ?? "?") and "
          + "\(given.first.flatMap { $0 }.map(String.init) ?? "?"). Shapes are \(variable.spec.bracketedShape) and "
          + "\(node.spec.bracketedShape)."
      )
    }
    let opName = method == "assign" ? "Assign" : method == "assign_add" ? "AssignAdd" : "AssignSub"
    guard variable.isResource else {
      let definition: OpDefinition = method == "assign" ? .assign : method == "assign_add" ? .assignAdd : .assignSub
      return .object(
        try graphOp(
          Op(definition, variable.attributes), [node.endpoint], name: graph.uniqueName(opName), graph: graph))
    }
    // A resource update returns the variable read after it (TF's `_lazy_read`).
    let definition: OpDefinition =
      method == "assign" ? .assignVariableOp : method == "assign_add" ? .assignAddVariableOp : .assignSubVariableOp
    let update = try graphOperation(
      Op(definition, variable.attributes), [node.endpoint], name: graph.uniqueName("\(opName)VariableOp"),
      graph: graph)
    graph.pushControlDependencies([update])
    defer { graph.popControlDependencies() }
    return .object(try variable.read())
  }

  // MARK: - Errors as TensorFlow raises them

  /// An eager failure: a dtype outside the op's registered list, or a kernel failure
  /// (`InvalidArgumentError: … [Op:AddV2]`) whose message names the kernel that ran
  /// (`_MklMatMul` for float32 MatMul on CPU), the suffix the op.
  static func runtimeError(_ error: OpError, eagerOp op: Op, dtype: DType?) -> RuntimeError {
    switch error {
    case let .disallowedType(constraint, dtype):
      return .exception("InvalidArgumentError", constraint.eagerMessage(dtype, op: op.typeName))
    case let .tensor(.dtypeMismatch(_, expected, actual, index)):
      let kernel = op.definition.eagerKernel(for: dtype)
      let renamed = TensorError.dtypeMismatch(op: kernel, expected: expected, actual: actual, inputIndex: index)
      return .exception("InvalidArgumentError", "\(renamed.message) [Op:\(op.typeName)]")
    case let .tensor(tensorError):
      if let limit = Conversion.limitError(tensorError) { return limit }
      return .exception(Conversion.exceptionType(tensorError), "\(tensorError.message) [Op:\(op.typeName)]")
    case let .unimplemented(feature):
      return .unsupported(feature)
    case .gradientDisabled:
      return .exception("LookupError", error.message)
    default:
      return .exception("InvalidArgumentError", "\(error.message) [Op:\(op.typeName)]")
    }
  }

  /// A kernel failure inside `sess.run`.
  static func runtimeError(_ error: OpError, graphNode: String) -> RuntimeError {
    if case let .unimplemented(feature) = error { return .unsupported(feature) }
    var (type, message) = ("InvalidArgumentError", error.message)
    if case let .tensor(tensorError) = error {
      if let limit = Conversion.limitError(tensorError) { return limit }
      (type, message) = (Conversion.exceptionType(tensorError), tensorError.graphMessage)
    }
    return .exception(type, "Graph execution error:\n\n\(message)\n\t [[{{node \(graphNode)}}]]")
  }

  /// A failure while adding a node: TypeError for dtypes, ValueError for shapes.
  static func graphConstructionError(_ error: OpError, nodeName: String, inputNames: [String]) -> RuntimeError {
    switch error {
    case let .typeError(message):
      return .typeError(message)
    case let .disallowedType(constraint, dtype):
      return .typeError(constraint.graphMessage(dtype))
    case let .invalidArgument(message):
      let inputs = "(" + inputNames.joined(separator: ", ") + ")"
      return .valueError(
        message.replacingOccurrences(of: "$NODE", with: nodeName).replacingOccurrences(of: "$INPUTS", with: inputs))
    case let .tensor(tensorError):
      return Conversion.limitError(tensorError) ?? .typeError(tensorError.message)
    case let .failedPrecondition(message):
      return .exception("FailedPreconditionError", message)
    case let .unimplemented(feature):
      return .unsupported(feature)
    case .gradientDisabled:
      return .exception("LookupError", error.message)
    }
  }
}
