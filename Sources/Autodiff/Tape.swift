import Operations
import TensorCore

/// `tf.GradientTape`'s record: the eager ops that ran on watched tensors (or on what they
/// computed), in order, and the gradients of targets with respect to sources through them.
///
/// Every eager op reads its state, which no access holds across a call: it is marked
/// `@exclusivity(unchecked)`, sparing the runtime's access bookkeeping (about 3% of a training
/// step, with the runtime's and variables' hot state).
public final class Tape {
  /// Whether `gradient` may be called more than once.
  public let persistent: Bool
  /// Whether variables used while recording are watched automatically.
  public let watchesAccessedVariables: Bool
  /// Whether ops are being recorded (`stop_recording` pauses it).
  @exclusivity(unchecked) public var isRecording = true
  /// The recorded ops, in the order they ran.
  @exclusivity(unchecked) public private(set) var ops: [RecordedOp<TapeTensor>] = []
  /// Identities of watched tensors and of everything computed from them.
  @exclusivity(unchecked) @usableFromInline private(set) var live: Set<Int> = []

  /// A tape.
  public init(persistent: Bool, watchesAccessedVariables: Bool) {
    self.persistent = persistent
    self.watchesAccessedVariables = watchesAccessedVariables
  }

  /// Watches a tensor: ops on it are recorded from now on.
  public func watch(_ id: Int) { live.insert(id) }

  /// Whether the tensor `id` is watched or computed from a watched tensor.
  public func isWatching(_ id: Int) -> Bool { live.contains(id) }

  /// Records an op that just ran, when it used a tensor the tape follows.
  public func record(_ op: Op, inputs: [TapeTensor], outputs: [TapeTensor]) {
    guard isRecording, inputs.contains(where: { live.contains($0.id) }) else { return }
    ops.append(RecordedOp(op: op, inputs: inputs, outputs: outputs, name: op.typeName))
    for output in outputs { live.insert(output.id) }
  }

  /// Forgets everything recorded (`tape.reset()`).
  public func reset() {
    ops.removeAll()
    live.removeAll()
  }

  /// The gradients of `targets` (seeded with `seeds`) with respect to `sources`, emitting the
  /// gradient ops through `emitter` (which runs them eagerly, recorded by enclosing tapes).
  /// Inlinable, so that the driver is specialised for the caller's emitter.
  @inlinable
  public func gradients<E: GradientEmitter>(
    of targets: [(value: TapeTensor, seed: TapeTensor)], with sources: [TapeTensor], emitter: E
  ) throws(OpError) -> [TapeTensor?] where E.Value == TapeTensor {
    // A source the tape never followed gets no gradient, even when a recorded op used it.
    let followed = sources.map { live.contains($0.id) ? [$0] : [] }
    return try Backpropagation.gradients(of: targets, with: followed, through: ops, emitter: emitter)
  }

  /// `gradients` run eagerly through `executor`: a backward pass whose signature `traces`
  /// has met before is traced, and one it has traced runs its trace (`GradientTrace`).
  public func gradients(
    of targets: [(value: TapeTensor, seed: TapeTensor)], with sources: [TapeTensor], executor: any EagerExecutor,
    traces: GradientTraces
  ) throws(OpError) -> [TapeTensor?] {
    if let (signature, slots) = TapeSignature.of(ops: ops, targets: targets, sources: sources, followed: live) {
      let seeds = targets.map(\.seed)
      switch traces.state(of: signature) {
      case let .traced(trace)?:
        return try trace.replay(slots: slots, seeds: seeds, executor: executor)
      case .seen?:
        let recorder = GradientTraceRecorder(slots: slots, seeds: seeds)
        let grads = try gradients(
          of: targets, with: sources, emitter: EagerEmitter(executor: executor, recorder: recorder))
        traces.store(recorder.trace(results: grads), for: signature)
        return grads
      case .untraceable?, nil: break
      }
    }
    return try gradients(of: targets, with: sources, emitter: EagerEmitter(executor: executor))
  }
}
