import Operations
import TensorCore

/// A tape's backward pass as it ran once: the ops its rules emitted, in order, each input
/// named by where it came from. A training loop records the same ops on a new tape every step,
/// and its rules emit the same ops every time, so the tape runs the trace again instead of
/// walking the ops and calling the rules (`GradientTraces`).
///
/// A rule sees its op, the op's attributes, and its values' dtypes and shapes, never their
/// elements (`GradientEmitter` gives no more), so the ops it emits are a function of what a
/// `TapeSignature` holds. Each op still runs through the runtime, with TF's checks and errors,
/// and is recorded on the tapes that are open.
final class GradientTrace {
  /// Where an emitted op's input comes from.
  enum Input {
    /// The tape's value in this slot (`TapeSignature`).
    case slot(Int)
    /// The seed of this target.
    case seed(Int)
    /// An output of an earlier step.
    case step(Int, output: Int)
    /// A constant a rule made.
    case constant(Int)
  }

  /// One emitted op and its inputs.
  struct Step {
    let op: Op
    let inputs: [Input]
  }

  let steps: [Step]
  let constants: [Tensor]
  /// Each source's gradient; nil where none reached it.
  let results: [Input?]

  init(steps: [Step], constants: [Tensor], results: [Input?]) {
    self.steps = steps
    self.constants = constants
    self.results = results
  }

  /// The gradients, running each step's op on this pass's values through `executor`.
  func replay(slots: [TapeTensor], seeds: [TapeTensor], executor: any EagerExecutor) throws(OpError) -> [TapeTensor?] {
    let constants = self.constants.map { TapeTensor(id: executor.newTensorID(), value: $0) }
    var outputs: [[TapeTensor]] = []
    outputs.reserveCapacity(steps.count)
    func resolve(_ input: Input) -> TapeTensor {
      switch input {
      case let .slot(index): slots[index]
      case let .seed(index): seeds[index]
      case let .step(step, output): outputs[step][output]
      case let .constant(index): constants[index]
      }
    }
    for step in steps {
      var inputs: [TapeTensor] = []
      inputs.reserveCapacity(step.inputs.count)
      for input in step.inputs { inputs.append(resolve(input)) }
      outputs.append(try executor.executeEagerly(step.op, inputs))
    }
    return results.map { $0.map(resolve) }
  }
}

/// Everything a tape's backward pass depends on but its values' elements: each recorded op
/// (its definition, attributes, and the slots of its inputs and outputs), each slot's dtype and
/// shape, the targets' slots and seeds' specs, and the sources' slots (−1 for a source the tape
/// never followed). Slots number the tape's values in the order they first appear.
struct TapeSignature: Equatable {
  var definitions: [ObjectIdentifier] = []
  var attributes: [OpAttributes] = []
  /// Per op: its input count, its inputs' slots, its output count, its outputs' slots.
  var wiring: [Int] = []
  var dtypes: [DType] = []
  /// Per slot, then per seed: the rank, then the dimensions.
  var dimensions: [Int] = []
  /// The target count, the targets' slots, then the sources' (−1 when not followed).
  var ends: [Int] = []

  /// The signature of a backward pass, and the tape's values by slot; nil when one identity
  /// stands for two values (a variable assigned between two of the tape's reads of it): a
  /// slot holds one value, so such a pass is not traced.
  static func of(
    ops: [RecordedOp<TapeTensor>], targets: [(value: TapeTensor, seed: TapeTensor)], sources: [TapeTensor],
    followed: Set<Int>
  ) -> (TapeSignature, [TapeTensor])? {
    var signature = TapeSignature()
    var slots = Slots(capacity: ops.count * 3 + targets.count + sources.count)
    signature.definitions.reserveCapacity(ops.count)
    signature.attributes.reserveCapacity(ops.count)
    signature.wiring.reserveCapacity(ops.count * 4)
    for recorded in ops {
      signature.definitions.append(ObjectIdentifier(recorded.op.definition))
      signature.attributes.append(recorded.op.attributes)
      signature.wiring.append(recorded.inputs.count)
      for input in recorded.inputs { signature.wiring.append(slots.slot(of: input)) }
      signature.wiring.append(recorded.outputs.count)
      for output in recorded.outputs { signature.wiring.append(slots.slot(of: output)) }
    }
    signature.ends.reserveCapacity(1 + targets.count + sources.count)
    signature.ends.append(targets.count)
    for target in targets { signature.ends.append(slots.slot(of: target.value)) }
    for source in sources { signature.ends.append(followed.contains(source.id) ? slots.slot(of: source) : -1) }
    guard !slots.ambiguous else { return nil }
    signature.dtypes.reserveCapacity(slots.values.count + targets.count)
    signature.dimensions.reserveCapacity((slots.values.count + targets.count) * 3)
    func describe(_ tensor: Tensor) {
      signature.dtypes.append(tensor.dtype)
      signature.dimensions.append(tensor.rank)
      signature.dimensions.append(contentsOf: tensor.shape)
    }
    for value in slots.values { describe(value.value) }
    for target in targets { describe(target.seed.value) }
    return (signature, slots.values)
  }

  /// The tape's values in slot order, found by identity: by a scan from the newest while they
  /// are few (a step's tape holds tens), by a dictionary beyond.
  private struct Slots {
    static let scanLimit = 64
    var values: [TapeTensor] = []
    var ids: [Int] = []
    var index: [Int: Int] = [:]
    /// Whether an identity came back with another buffer: another value.
    var ambiguous = false

    init(capacity: Int) {
      values.reserveCapacity(capacity)
      ids.reserveCapacity(capacity)
    }

    mutating func slot(of value: TapeTensor) -> Int {
      if ids.count <= Self.scanLimit {
        var slot = ids.count - 1
        while slot >= 0 {
          if ids[slot] == value.id { return known(slot, value) }
          slot -= 1
        }
      } else {
        if index.isEmpty { for (slot, id) in ids.enumerated() { index[id] = slot } }
        if let slot = index[value.id] { return known(slot, value) }
        index[value.id] = ids.count
      }
      ids.append(value.id)
      values.append(value)
      return ids.count - 1
    }

    private mutating func known(_ slot: Int, _ value: TapeTensor) -> Int {
      if values[slot].value.buffer !== value.value.buffer { ambiguous = true }
      return slot
    }
  }
}

/// Notes the ops a backward pass emits, naming each input by where it came from; gives up
/// (no trace) on a value it cannot name.
final class GradientTraceRecorder: EagerEmissionRecorder {
  private var origin: [Int: GradientTrace.Input] = [:]
  private var steps: [GradientTrace.Step] = []
  private var constants: [Tensor] = []
  private var failed = false

  init(slots: [TapeTensor], seeds: [TapeTensor]) {
    for (index, value) in slots.enumerated() { origin[value.id] = .slot(index) }
    for (index, seed) in seeds.enumerated() {
      // A seed that is also one of the tape's values (or another seed) is not traced: the
      // signature does not say so.
      if origin[seed.id] != nil { failed = true }
      origin[seed.id] = .seed(index)
    }
  }

  func ran(_ op: Op, inputs: [TapeTensor], outputs: [TapeTensor]) {
    var named: [GradientTrace.Input] = []
    for input in inputs {
      guard let input = origin[input.id] else {
        failed = true
        return
      }
      named.append(input)
    }
    for (index, output) in outputs.enumerated() { origin[output.id] = .step(steps.count, output: index) }
    steps.append(GradientTrace.Step(op: op, inputs: named))
  }

  func made(_ constant: TapeTensor) {
    origin[constant.id] = .constant(constants.count)
    constants.append(constant.value)
  }

  /// The trace, when every op's inputs and every result could be named.
  func trace(results: [TapeTensor?]) -> GradientTrace? {
    var named: [GradientTrace.Input?] = []
    for result in results {
      guard let result else {
        named.append(nil)
        continue
      }
      guard let input = origin[result.id] else { return nil }
      named.append(input)
    }
    return failed ? nil : GradientTrace(steps: steps, constants: constants, results: named)
  }
}

/// The backward passes a runtime has met, by signature, newest first. A signature is traced
/// the second time it is met (a pass whose ops change every time pays only for its signature),
/// and its trace runs from the third on.
public final class GradientTraces {
  /// How many signatures are kept.
  static let capacity = 8

  /// What is known of a signature.
  enum State {
    /// Met once: the next pass is traced.
    case seen
    /// Traced: its passes run the trace.
    case traced(GradientTrace)
    /// Its trace could not name every value (a seed among the tape's values): its passes run
    /// their rules.
    case untraceable
  }

  private var entries: [(signature: TapeSignature, state: State)] = []

  /// An empty cache.
  public init() {}

  /// How many backward passes ran a trace.
  private(set) var replays = 0

  /// What is known of `signature`, nil the first time (it is remembered from now on).
  func state(of signature: TapeSignature) -> State? {
    guard let index = entries.firstIndex(where: { $0.signature == signature }) else {
      entries.insert((signature, .seen), at: 0)
      if entries.count > Self.capacity { entries.removeLast() }
      return nil
    }
    let entry = entries.remove(at: index)
    entries.insert(entry, at: 0)
    if case .traced = entry.state { replays += 1 }
    return entry.state
  }

  /// Records what tracing the newest signature, `signature`, gave.
  func store(_ trace: GradientTrace?, for signature: TapeSignature) {
    guard let index = entries.firstIndex(where: { $0.signature == signature }) else { return }
    entries[index].state = trace.map(State.traced) ?? .untraceable
  }
}
