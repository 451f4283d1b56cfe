import TensorCore

/// An eager tensor as the tape and the gradient rules know it: by identity, with its value.
public struct TapeTensor: Hashable {
  /// The tensor's identity (a variable's reads share the variable's).
  public let id: Int
  /// Its value.
  public let value: Tensor

  /// A tensor with identity `id`.
  public init(id: Int, value: Tensor) {
    self.id = id
    self.value = value
  }

  public static func == (a: TapeTensor, b: TapeTensor) -> Bool { a.id == b.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// What runs the eager tape's gradient ops: the runtime, which runs an op at once (recording
/// it on the tapes that are open, so rules nest into second derivatives) and gives new
/// tensors their identities.
public protocol EagerExecutor: AnyObject {
  /// Runs `op` on `inputs` now; its outputs, with new identities.
  func executeEagerly(_ op: Op, _ inputs: [TapeTensor]) throws(OpError) -> [TapeTensor]
  /// A new tensor identity.
  func newTensorID() -> Int
}

/// The eager tape's emitter. It is declared here, beside the rules, so that every rule is
/// compiled specialised for it (`@_specialize`): generic over any emitter, a rule looks up
/// type metadata for each array of values it builds, which costs more than small ops.
public struct EagerEmitter: GradientEmitter {
  /// Runs the ops. Unretained: an emitter lives only while its runtime computes one
  /// gradient.
  public unowned(unsafe) let executor: any EagerExecutor

  /// Told of each op and constant, when a backward pass is being traced.
  public let recorder: (any EagerEmissionRecorder)?

  /// An emitter running ops through `executor`, telling `recorder` of each.
  public init(executor: any EagerExecutor, recorder: (any EagerEmissionRecorder)? = nil) {
    self.executor = executor
    self.recorder = recorder
  }

  /// The dtype and shape, never the elements (`TensorSpec(constant:)` would carry small ints):
  /// the tape replays a traced backward pass on the promise that rules see no values.
  public func spec(of value: TapeTensor) -> TensorSpec { TensorSpec(of: value.value) }

  public func dtype(of value: TapeTensor) -> DType { value.value.dtype }

  public func knownShape(of value: TapeTensor) -> [Int]? { value.value.shape }

  public func emit(_ op: Op, _ inputs: [TapeTensor]) throws(OpError) -> [TapeTensor] {
    let outputs = try executor.executeEagerly(op, inputs)
    recorder?.ran(op, inputs: inputs, outputs: outputs)
    return outputs
  }

  public func constant(_ tensor: Tensor) -> TapeTensor {
    let constant = TapeTensor(id: executor.newTensorID(), value: tensor)
    recorder?.made(constant)
    return constant
  }
}

/// Told of every op an `EagerEmitter` runs and every constant it makes: how the tape traces a
/// backward pass to run it again.
public protocol EagerEmissionRecorder: AnyObject {
  /// `op` ran on `inputs`, giving `outputs`.
  func ran(_ op: Op, inputs: [TapeTensor], outputs: [TapeTensor])
  /// A rule made `constant`.
  func made(_ constant: TapeTensor)
}
