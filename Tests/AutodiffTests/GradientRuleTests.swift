import Autodiff
import Operations
import Testing

@testable import TensorCore

/// Runs rules eagerly on concrete tensors, numbering results as the tape does.
final class EagerTestEmitter: GradientEmitter {
  private var nextID = 1_000_000

  func spec(of value: TapeTensor) -> TensorSpec { TensorSpec(of: value.value) }

  func emit(_ op: Op, _ inputs: [TapeTensor]) throws(OpError) -> [TapeTensor] {
    try op.compute(inputs.map(\.value)).map { output in
      nextID += 1
      return TapeTensor(id: nextID, value: output)
    }
  }
}

@Suite struct GradientRuleTests {
  /// Ops whose rules are still to come; each must leave this list as its rule lands.
  static let stillPending: Set<String> = []

  @Test("every registered op has a gradient rule or is declared non-differentiable")
  func everyOpHasARule() {
    var pending: [String] = []
    for (name, definition) in OpRegistry.byName {
      if case .pending = definition.gradient, !Self.stillPending.contains(name) { pending.append(name) }
    }
    #expect(pending.sorted() == [], "ops without a gradient rule")
  }

  @Test("the tape differentiates y = sum(x * w + b) through broadcasting")
  func broadcastingProduct() throws {
    let emitter = EagerTestEmitter()
    let tape = Tape(persistent: false, watchesAccessedVariables: true)
    let x = TapeTensor(id: 1, value: Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32))
    let w = TapeTensor(id: 2, value: Tensor(doubles: [10, 20, 30], shape: [3], dtype: .float32))
    tape.watch(w.id)
    let product = try emitter.emit(Op(.mul), [x, w])
    tape.record(Op(.mul), inputs: [x, w], outputs: product)
    let sumOp = Op(.sum, .reduction(axes: nil, keepDims: false))
    let total = try emitter.emit(sumOp, product)
    tape.record(sumOp, inputs: product, outputs: total)
    let seed = TapeTensor(id: 3, value: Tensor(doubles: [1], shape: [], dtype: .float32))
    let grads = try tape.gradients(of: [(total[0], seed)], with: [w, x], emitter: emitter)
    #expect(grads[0]?.value.scalars(as: Float.self) == [5, 7, 9])
    #expect(grads[1] == nil)
  }
}
