import TensorCore

/// One TensorFlow op, declared once: its registered signature (inputs, outputs, allowed
/// dtypes, from TF's own registry), shape and dtype inference raising TF's
/// graph-construction errors, its kernel, and its gradient.
///
/// Eager mode runs the kernel at once; graph mode records an `Op` (definition plus
/// attributes) in a node and runs the same kernel in a session.
public final class OpDefinition: Sendable {
  /// Computes the outputs' specs from the inputs' specs and the attributes.
  public typealias Inference =
    @Sendable (_ inputs: [TensorSpec], _ attributes: OpAttributes) throws(OpError) -> [TensorSpec]
  /// Computes the outputs from concrete inputs whose specs inference accepted.
  public typealias Kernel = @Sendable (_ inputs: [Tensor], _ attributes: OpAttributes) throws(TensorError) -> [Tensor]
  /// The kernel of a stateful op: it also reads or writes the variables of the run.
  public typealias StateKernel =
    @Sendable (_ inputs: [Tensor], _ attributes: OpAttributes, _ resources: ResourceStore) throws(OpError) -> [Tensor]

  /// TensorFlow's op name (`AddV2`), used for node names and messages.
  public let name: String
  /// The op's registered signature.
  public let signature: OpSignature
  /// How many of the signature's inputs Lockstep passes as tensors; the rest (a
  /// reduction's axes, a reshape's shape) it passes as attributes of the same names.
  public let tensorInputCount: Int
  /// The op's gradient.
  public let gradient: GradientSlot
  /// Whether the op reads or writes state (variables, feeds): it runs each time its node is
  /// reached, never folded, and only in an executor that holds the state.
  public let isStateful: Bool
  /// Whether the op's output refers to a TF1 reference variable rather than holding a value:
  /// consumers read the variable when they run (`VariableV2`, `Assign`; `Identity` forwards it).
  public let referenceOutput: Bool
  let inference: Inference
  let kernel: Kernel
  let stateKernel: StateKernel?
  /// The same kernel for an attribute-free op of two inputs and one output, without the
  /// arrays: what eager operators call (`x + y` runs millions of times in a training loop).
  let binaryKernel: (@Sendable (Tensor, Tensor) throws(TensorError) -> Tensor)?
  /// Whether the op is declared by a binary kernel, which `callAsFunction(_:_:)` runs
  /// without building arrays.
  public var hasBinaryKernel: Bool { binaryKernel != nil }
  let eagerKernelName: @Sendable (DType?) -> String

  /// Declares an op; `name` must be in TensorFlow's registry.
  public convenience init(
    _ name: String, tensorInputs: Int? = nil, referenceOutput: Bool = false, gradient: GradientSlot = .pending,
    eagerKernelName: @escaping @Sendable (DType?) -> String = { _ in "" },
    infer: @escaping Inference, kernel: @escaping Kernel
  ) {
    self.init(
      name, tensorInputs: tensorInputs, gradient: gradient, eagerKernelName: eagerKernelName, infer: infer,
      kernel: kernel, binaryKernel: nil, referenceOutput: referenceOutput)
  }

  /// Declares a stateful op by its kernel over the run's variables.
  public convenience init(
    _ name: String, tensorInputs: Int? = nil, stateful: Bool, referenceOutput: Bool = false,
    gradient: GradientSlot = .pending, infer: @escaping Inference, stateKernel: @escaping StateKernel
  ) {
    self.init(
      name, tensorInputs: tensorInputs, gradient: gradient, eagerKernelName: { _ in "" }, infer: infer,
      kernel: { _, _ throws(TensorError) in preconditionFailure("\(name) runs with its variables") },
      binaryKernel: nil, referenceOutput: referenceOutput, stateKernel: stateKernel)
  }

  /// Declares an attribute-free op of two inputs and one output by its binary kernel.
  public convenience init(
    _ name: String, gradient: GradientSlot = .pending,
    infer: @escaping Inference, binaryKernel: @escaping @Sendable (Tensor, Tensor) throws(TensorError) -> Tensor
  ) {
    self.init(
      name, tensorInputs: nil, gradient: gradient, eagerKernelName: { _ in "" }, infer: infer,
      kernel: { inputs, _ throws(TensorError) in [try binaryKernel(inputs[0], inputs[1])] }, binaryKernel: binaryKernel)
  }

  private init(
    _ name: String, tensorInputs: Int?, gradient: GradientSlot, eagerKernelName: @escaping @Sendable (DType?) -> String,
    infer: @escaping Inference, kernel: @escaping Kernel,
    binaryKernel: (@Sendable (Tensor, Tensor) throws(TensorError) -> Tensor)?, referenceOutput: Bool = false,
    stateKernel: StateKernel? = nil
  ) {
    guard let signature = OpSignature.named(name) else {
      preconditionFailure("\(name) is not in TensorFlow's op registry")
    }
    self.name = name
    self.signature = signature
    self.tensorInputCount = tensorInputs ?? signature.inputs.count
    self.gradient = gradient
    self.inference = infer
    self.kernel = kernel
    self.binaryKernel = binaryKernel
    self.eagerKernelName = eagerKernelName
    self.referenceOutput = referenceOutput
    self.stateKernel = stateKernel
    self.isStateful = stateKernel != nil
  }

  /// The names TF gives the op's tensor inputs (and so the constants it converts literals
  /// to: `Sum/input`, `MatMul/b`).
  public var inputNames: ArraySlice<String> { signature.inputs.prefix(tensorInputCount) }

  /// The inputs TF passes that Lockstep keeps as attributes (`reduction_indices`, `shape`),
  /// which graph-construction messages list after the tensor inputs.
  public var attributeInputNames: ArraySlice<String> { signature.inputs.dropFirst(tensorInputCount) }

  /// The CPU kernel TF 2.21 runs eagerly for inputs of `dtype`, as its error messages name
  /// it (float32 MatMul runs oneDNN's `_MklMatMul`).
  public func eagerKernel(for dtype: DType?) -> String {
    let special = eagerKernelName(dtype)
    return special.isEmpty ? name : special
  }
}

/// An op with its attributes: what a graph node holds and what eager mode runs.
public struct Op: Sendable {
  /// The op's declaration.
  public let definition: OpDefinition
  /// The attribute values.
  public let attributes: OpAttributes

  /// Binds attributes to an op.
  public init(_ definition: OpDefinition, _ attributes: OpAttributes = OpAttributes()) {
    self.definition = definition
    self.attributes = attributes
  }

  /// TensorFlow's op type (`AddV2`, `MatMul`).
  public var typeName: String { definition.name }

  /// Checks the inputs' dtypes against the registered type constraints, in the registry's
  /// attribute order.
  public func checkTypes(_ dtypes: [DType]) throws(OpError) {
    for constraint in definition.signature.typeConstraints
    where dtypes.indices.contains(constraint.inputIndex) && !constraint.allows(dtypes[constraint.inputIndex]) {
      throw .disallowedType(constraint, dtypes[constraint.inputIndex])
    }
  }

  /// Checks concrete inputs' dtypes against the registered type constraints (eager mode).
  public func checkTypes(of inputs: [Tensor]) throws(OpError) {
    for constraint in definition.signature.typeConstraints
    where inputs.indices.contains(constraint.inputIndex) && !constraint.allows(inputs[constraint.inputIndex].dtype) {
      throw .disallowedType(constraint, inputs[constraint.inputIndex].dtype)
    }
  }

  /// The outputs' specs, raising TensorFlow's graph-construction errors. Inputs past the
  /// op's tensor inputs (axes or a shape computed in the graph) fold into the attributes of
  /// the same names when their values are known constants; otherwise the outputs keep the
  /// first input's dtype with an unknown shape.
  public func infer(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    try checkTypes(inputs.map(\.dtype))
    let count = definition.tensorInputCount
    guard inputs.count > count, !definition.isStateful else { return try definition.inference(inputs, attributes) }
    let values = inputs[count...].compactMap(\.value)
    guard values.count == inputs.count - count else {
      let unknown = TensorSpec(dtype: inputs[0].dtype, partialShape: nil)
      return Array(repeating: unknown, count: Swift.max(definition.signature.outputs.count, 1))
    }
    let folded = folding(attributeInputs: values)
    return try folded.definition.inference(Array(inputs.prefix(count)), folded.attributes)
  }

  /// This op with `values` (the inputs past its tensor inputs) as its attribute inputs: what
  /// `compute` runs, and what an executor runs once those inputs are known constants.
  public func folding(attributeInputs values: [Tensor]) -> Op {
    var folded = attributes
    for (name, value) in zip(definition.attributeInputNames, values) {
      folded[name] = .ints(value.int64s.map { Int($0) })
    }
    return Op(definition, folded)
  }

  /// Checks two concrete inputs' dtypes against the registered type constraints.
  public func checkTypes(_ a: Tensor, _ b: Tensor) throws(OpError) {
    for constraint in definition.signature.typeConstraints {
      let dtype = constraint.inputIndex == 0 ? a.dtype : b.dtype
      guard constraint.allows(dtype) else { throw .disallowedType(constraint, dtype) }
    }
  }

  /// The outputs, from inputs of allowed dtypes; a stateful op reads and writes `resources`.
  public func compute(_ inputs: [Tensor], resources: ResourceStore) throws(OpError) -> [Tensor] {
    guard let stateKernel = definition.stateKernel else { return try compute(inputs) }
    return try stateKernel(inputs, attributes, resources)
  }

  /// The outputs of a stateless op, from inputs of allowed dtypes (inputs past its tensor
  /// inputs fold into its attributes).
  public func compute(_ inputs: [Tensor]) throws(OpError) -> [Tensor] {
    let count = definition.tensorInputCount
    if inputs.count > count && !definition.isStateful {
      return try folding(attributeInputs: Array(inputs[count...])).compute(Array(inputs.prefix(count)))
    }
    do {
      return try definition.kernel(inputs, attributes)
    } catch {
      throw .tensor(error)
    }
  }
}

extension OpDefinition {
  /// Runs the kernel on concrete inputs and returns its first output: for Lockstep's own
  /// computations (NumPy arithmetic, loss reductions) that use TF's kernels directly.
  public func callAsFunction(_ inputs: Tensor..., attributes: OpAttributes = OpAttributes()) throws(TensorError)
    -> Tensor
  {
    try kernel(inputs, attributes)[0]
  }

  /// Runs the kernel of an attribute-free op on two concrete inputs and returns its first
  /// output, without building arrays when the op is declared by its binary kernel.
  public func callAsFunction(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    if let binaryKernel { return try binaryKernel(a, b) }
    return try kernel([a, b], OpAttributes())[0]
  }
}

extension Op {
  /// A `Const` op holding `value`.
  public static func constant(_ value: Tensor) -> Op {
    Op(.const, OpAttributes(["value": .tensor(value), "dtype": .type(value.dtype)]))
  }

  /// A `Cast` op to `dtype`.
  public static func cast(to dtype: DType) -> Op {
    Op(.cast, OpAttributes(["DstT": .type(dtype)]))
  }
}
