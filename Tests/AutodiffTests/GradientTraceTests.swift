import Operations
import Testing

@testable import Autodiff
@testable import TensorCore

/// Runs ops at once and numbers their results, as the runtime does.
private final class TestExecutor: EagerExecutor {
  private var lastID = 0

  func executeEagerly(_ op: Op, _ inputs: [TapeTensor]) throws(OpError) -> [TapeTensor] {
    try op.checkTypes(of: inputs.map(\.value))
    return try op.compute(inputs.map(\.value)).map { TapeTensor(id: newTensorID(), value: $0) }
  }

  func newTensorID() -> Int {
    lastID += 1
    return lastID
  }

  /// A new float32 tensor.
  func tensor(_ scalars: [Float], _ shape: [Int]) -> TapeTensor {
    TapeTensor(id: newTensorID(), value: Tensor(shape: shape, scalars: scalars))
  }

  /// Runs `op` and records it on `tape`; its first output.
  func run(_ op: Op, _ inputs: [TapeTensor], on tape: Tape) throws -> TapeTensor {
    let outputs = try executeEagerly(op, inputs)
    tape.record(op, inputs: inputs, outputs: outputs)
    return outputs[0]
  }

  /// The gradients' elements, through `traces` when given, else by the rules alone.
  func gradients(
    on tape: Tape, of target: TapeTensor, seed: TapeTensor, with sources: [TapeTensor], traces: GradientTraces?
  ) throws -> [[Float]?] {
    let grads =
      if let traces {
        try tape.gradients(of: [(target, seed)], with: sources, executor: self, traces: traces)
      } else {
        try tape.gradients(of: [(target, seed)], with: sources, emitter: EagerEmitter(executor: self))
      }
    return grads.map { $0?.value.scalars(as: Float.self) }
  }
}

@Suite struct GradientTraceTests {
  /// One step of a small MLP on a new tape: relu(x·w + b), its mean, and the gradients of
  /// w, b and an unused source, with or without the trace cache.
  private func step(
    _ executor: TestExecutor, batch: Int, seed: UInt64, traces: GradientTraces?
  ) throws -> [[Float]?] {
    func tensor(_ shape: [Int], _ offset: UInt64) -> TapeTensor {
      let count = shape.reduce(1, *)
      return executor.tensor((0..<count).map { Float((Int($0) * 7 + Int(offset)) % 11) / 4 - 1.25 }, shape)
    }
    let (x, w, b, unused) = (
      tensor([batch, 3], seed), tensor([3, 4], seed + 1), tensor([4], seed + 2), tensor([2], 5)
    )
    let tape = Tape(persistent: false, watchesAccessedVariables: true)
    for source in [w, b, unused] { tape.watch(source.id) }
    func run(_ op: Op, _ inputs: [TapeTensor]) throws -> TapeTensor { try executor.run(op, inputs, on: tape) }
    let product = try run(
      Op(.matMul, OpAttributes(["transpose_a": .bool(false), "transpose_b": .bool(false)])), [x, w])
    let hidden = try run(Op(.relu), [try run(Op(.addV2), [product, b])])
    let loss = try run(Op(.mean, .reduction(axes: nil, keepDims: false)), [try run(Op(.mul), [hidden, hidden])])
    return try executor.gradients(
      on: tape, of: loss, seed: executor.tensor([1], []), with: [w, b, unused], traces: traces)
  }

  @Test("a traced backward pass runs again with the bits of the rules, and a new shape is traced anew")
  func replayMatchesRules() throws {
    let executor = TestExecutor()
    let traces = GradientTraces()
    for (round, batch) in [2, 2, 2, 2, 5, 5, 5, 2].enumerated() {
      let traced = try step(executor, batch: batch, seed: UInt64(round), traces: traces)
      let direct = try step(executor, batch: batch, seed: UInt64(round), traces: nil)
      #expect(traced == direct, "round \(round)")
      #expect(traced[2] == nil)
    }
    // Batch 2 is seen in round 0, traced in round 1, replayed in rounds 2, 3 and 7; batch 5
    // is seen in round 4, traced in round 5 and replayed in round 6.
    #expect(traces.replays == 4)
  }

  @Test("a long tape (its values found through a dictionary) replays with the rules' bits")
  func longTape() throws {
    let executor = TestExecutor()
    let traces = GradientTraces()
    for round in 0..<4 {
      var results: [[Float]?] = []
      for useTraces in [true, false] {
        let x = executor.tensor([Float(round), 0.5, -2], [3])
        let tape = Tape(persistent: false, watchesAccessedVariables: true)
        tape.watch(x.id)
        var y = x
        for step in 0..<50 {
          let factor = executor.tensor([Float(step % 3) * 0.25 + 0.75], [])
          y = try executor.run(Op(step % 2 == 0 ? .mul : .addV2), [y, factor], on: tape)
        }
        let grads = try executor.gradients(
          on: tape, of: y, seed: executor.tensor([1, 2, 3], [3]), with: [x], traces: useTraces ? traces : nil)
        results.append(grads[0])
      }
      #expect(results[0] == results[1] && results[0] != nil, "round \(round)")
    }
    #expect(traces.replays == 2)
  }

  @Test("a seed that is one of the tape's own values is never traced")
  func seedAmongValues() throws {
    let executor = TestExecutor()
    let traces = GradientTraces()
    for _ in 0..<4 {
      let x = executor.tensor([1, 2], [2])
      let tape = Tape(persistent: false, watchesAccessedVariables: true)
      tape.watch(x.id)
      let y = try executor.run(Op(.mul), [x, x], on: tape)
      #expect(try executor.gradients(on: tape, of: y, seed: x, with: [x], traces: traces)[0] == [2, 8])
    }
    #expect(traces.replays == 0)
  }
}
