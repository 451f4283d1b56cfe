import TensorCore

/// Emits the ops a gradient rule computes with: into a graph (`tf.gradients`), or eagerly,
/// where any enclosing tape records them (so rules nest into second derivatives).
public protocol GradientEmitter {
  /// A tensor of the computation: a graph output or an eager value.
  associatedtype Value
  /// The value's dtype and (static) shape.
  func spec(of value: Value) -> TensorSpec
  /// The value's dtype (what `spec(of:)` holds, without building the spec).
  func dtype(of value: Value) -> DType
  /// The value's shape when every dimension is known statically.
  func knownShape(of value: Value) -> [Int]?
  /// Adds `op` on `inputs` to the graph, or runs it; its outputs.
  func emit(_ op: Op, _ inputs: [Value]) throws(OpError) -> [Value]
  /// Called before the rule of the op named `name` runs (graph emitters name its ops
  /// `gradients/<name>_grad/…`).
  func beginGradient(of name: String)
  /// A constant: a `Const` op in a graph; eagerly, the tensor itself, as TF's eager
  /// `constant_op.constant` makes it without running an op.
  func constant(_ tensor: Tensor) throws(OpError) -> Value
}

extension GradientEmitter {
  public func beginGradient(of name: String) {}

  public func constant(_ tensor: Tensor) throws(OpError) -> Value { try emit(.constant(tensor), [])[0] }

  public func dtype(of value: Value) -> DType { spec(of: value).dtype }

  public func knownShape(of value: Value) -> [Int]? { spec(of: value).knownShape }
}

/// What a gradient rule receives: the op as it ran, its inputs and outputs, and the gradient
/// flowing into each of its outputs.
public struct GradientInputs<Emitter: GradientEmitter> {
  /// The op, with its attributes.
  public let op: Op
  /// The op's inputs.
  public let inputs: [Emitter.Value]
  /// The op's outputs.
  public let outputs: [Emitter.Value]
  /// The gradient of the target with respect to each output; nil where none flows.
  public let upstream: [Emitter.Value?]
  /// Where the rule's ops go.
  public let emitter: Emitter
  /// Whether each input's gradient is wanted: a rule may skip the others' work and return
  /// nil for them (TF's `skip_input_indices`).
  public let wanted: [Bool]

  /// Gathers a rule's inputs.
  public init(
    op: Op, inputs: [Emitter.Value], outputs: [Emitter.Value], upstream: [Emitter.Value?], emitter: Emitter,
    wanted: [Bool]? = nil
  ) {
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
    self.upstream = upstream
    self.emitter = emitter
    self.wanted = wanted ?? Array(repeating: true, count: inputs.count)
  }
}

/// One op's gradient rule, written once as ops it emits (TF's `ops.RegisterGradient`), so
/// that graph-mode `tf.gradients`, the eager tape and nested (second) derivatives share it.
public protocol GradientFunction {
  /// The gradient with respect to each input of `g.op`; nil where an input has none.
  static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?]
}

/// What an op declares about its gradient.
public enum GradientSlot: @unchecked Sendable {
  /// Lockstep cannot differentiate the op yet (its rule is still to come).
  case pending
  /// The op has no gradient in TensorFlow either (`ops.NotDifferentiable`).
  case notDifferentiable
  /// The op's rule.
  case rule(any GradientFunction.Type)
}
