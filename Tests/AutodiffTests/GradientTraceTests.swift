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
}

@Suite struct GradientTraceTests {
  /// One step of a small MLP on a new tape: relu(x·w + b), its mean, and the gradients of
  /// w, b and an unused source, with or without the trace cache.
  private func step(
    _ executor: TestExecutor, batch: Int, seed: UInt64, traces: GradientTraces?
  ) throws -> [[Float]?] {
    func tensor(_ shape: [Int], _ offset: UInt64) -> TapeTensor {
      let count = shape.reduce(1, *)
      let doubles = (0..<count).map { Double((Int($0) * 7 + Int(offset)) % 11) / 4 - 1.25 }
      return TapeTensor(id: executor.newTensorID(), value: Tensor(doubles: doubles, shape: shape, dtype: .float32))
    }
    let (x, w, b, unused) = (
      tensor([batch, 3], seed), tensor([3, 4], seed + 1), tensor([4], seed + 2), tensor([2], 5)
    )
    let tape = Tape(persistent: false, watchesAccessedVariables: true)
    for source in [w, b, unused] { tape.watch(source.id) }
    func run(_ op: Op, _ inputs: [TapeTensor]) throws -> TapeTensor {
      let outputs = try executor.executeEagerly(op, inputs)
      tape.record(op, inputs: inputs, outputs: outputs)
      return outputs[0]
    }
    let product = try run(
      Op(.matMul, OpAttributes(["transpose_a": .bool(false), "transpose_b": .bool(false)])), [x, w])
    let hidden = try run(Op(.relu), [try run(Op(.addV2), [product, b])])
    let loss = try run(Op(.mean, .reduction(axes: nil, keepDims: false)), [try run(Op(.mul), [hidden, hidden])])
    let seedTensor = TapeTensor(id: executor.newTensorID(), value: Tensor(shape: [], scalars: [Float(1)]))
    let grads =
      if let traces {
        try tape.gradients(of: [(loss, seedTensor)], with: [w, b, unused], executor: executor, traces: traces)
      } else {
        try tape.gradients(of: [(loss, seedTensor)], with: [w, b, unused], emitter: EagerEmitter(executor: executor))
      }
    return grads.map { $0?.value.scalars(as: Float.self) }
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
        let x = TapeTensor(id: executor.newTensorID(), value: Tensor(shape: [3], scalars: [Float(round), 0.5, -2]))
        let tape = Tape(persistent: false, watchesAccessedVariables: true)
        tape.watch(x.id)
        var y = x
        for step in 0..<50 {
          let factor = TapeTensor(
            id: executor.newTensorID(), value: Tensor(shape: [], scalars: [Float(step % 3) * 0.25 + 0.75]))
          let product = try executor.executeEagerly(Op(step % 2 == 0 ? .mul : .addV2), [y, factor])
          tape.record(Op(step % 2 == 0 ? .mul : .addV2), inputs: [y, factor], outputs: product)
          y = product[0]
        }
        let seed = TapeTensor(id: executor.newTensorID(), value: Tensor(shape: [3], scalars: [Float(1), 2, 3]))
        let grads =
          useTraces
          ? try tape.gradients(of: [(y, seed)], with: [x], executor: executor, traces: traces)
          : try tape.gradients(of: [(y, seed)], with: [x], emitter: EagerEmitter(executor: executor))
        results.append(grads[0]?.value.scalars(as: Float.self))
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
      let x = TapeTensor(id: executor.newTensorID(), value: Tensor(shape: [2], scalars: [Float(1), 2]))
      let tape = Tape(persistent: false, watchesAccessedVariables: true)
      tape.watch(x.id)
      let y = try executor.executeEagerly(Op(.mul), [x, x])
      tape.record(Op(.mul), inputs: [x, x], outputs: y)
      let grads = try tape.gradients(of: [(y[0], x)], with: [x], executor: executor, traces: traces)
      #expect(grads[0]?.value.scalars(as: Float.self) == [2, 8])
    }
    #expect(traces.replays == 0)
  }
}
