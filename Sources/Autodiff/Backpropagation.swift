import Operations
import TensorCore

/// An op as it ran (on the tape) or as it sits in a graph: what backpropagation walks.
public struct RecordedOp<Value> {
  /// The op and attributes.
  public let op: Op
  /// Its inputs.
  public let inputs: [Value]
  /// Its outputs.
  public let outputs: [Value]
  /// Its name (a graph node's), under which its gradient ops are named.
  public let name: String

  /// A recorded op.
  public init(op: Op, inputs: [Value], outputs: [Value], name: String) {
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
    self.name = name
  }
}

/// Reverse-mode differentiation over recorded ops, shared by graph-mode `tf.gradients` and
/// the eager tape: each op's rule (declared beside the op) emits its gradient ops through
/// the driver's emitter, so gradients of gradients work the same way.
///
/// The driver is `@inlinable` so that each caller's module specialises it for its emitter:
/// unspecialised, its sets and dictionaries of values cost more than the ops they walk.
public enum Backpropagation {
  /// The gradients of the sum of `targets` (each seeded with its gradient) with respect to
  /// each source; a source is every value it reached the ops through (a variable read in
  /// several places), whose gradients add up. Nil for a source no gradient reaches.
  ///
  /// - Parameters:
  ///   - ops: the ops in the order they ran (a topological order).
  ///   - stopped: values held constant (`stop_gradients`): no gradient flows through them.
  @inlinable
  public static func gradients<E: GradientEmitter>(
    of targets: [(value: E.Value, seed: E.Value)], with sources: [[E.Value]], through ops: [RecordedOp<E.Value>],
    stopped: Set<E.Value> = [], emitter: E
  ) throws(OpError) -> [E.Value?] where E.Value: Hashable {
    let (between, reached) = opsBetween(
      sources: sources, targets: targets.map { $0.value }, ops: ops, emitter: emitter)
    var pending = [E.Value: [E.Value]](minimumCapacity: between.count * 2 + targets.count)
    for target in targets { pending[target.value, default: []].append(target.seed) }
    for index in between.reversed() {
      let recorded = ops[index]
      var upstream: [E.Value?] = []
      for output in recorded.outputs {
        upstream.append(stopped.contains(output) ? nil : try sum(pending[output], emitter: emitter))
      }
      guard upstream.contains(where: { $0 != nil }) else { continue }
      let rule: any GradientFunction.Type
      switch recorded.op.definition.gradient {
      case .notDifferentiable: continue
      case .pending: throw .unimplemented("the gradient of \(recorded.op.typeName)")
      case let .rule(function): rule = function
      }
      emitter.beginGradient(of: recorded.name)
      let inputs = GradientInputs(
        op: recorded.op, inputs: recorded.inputs, outputs: recorded.outputs, upstream: upstream, emitter: emitter,
        wanted: recorded.inputs.map { reached.contains($0) })
      let grads = try rule.gradients(inputs)
      for (input, grad) in zip(recorded.inputs, grads) {
        guard let grad, reached.contains(input), isTrainable(emitter.dtype(of: input)) else { continue }
        pending[input, default: []].append(grad)
      }
    }
    var results: [E.Value?] = []
    for source in sources {
      var grads: [E.Value] = []
      for value in source { grads += pending[value] ?? [] }
      results.append(try sum(grads, emitter: emitter))
    }
    return results
  }

  /// Whether gradients flow through values of `dtype` (floating point, as TF's
  /// `backprop_util.IsTrainable`).
  @inlinable
  public static func isTrainable(_ dtype: DType) -> Bool { dtype.isFloatingPoint }

  /// The indices of the ops on a path from a source to a target, in order, and the values
  /// that depend on a source (only their gradients are wanted).
  @inlinable
  static func opsBetween<E: GradientEmitter>(
    sources: [[E.Value]], targets: [E.Value], ops: [RecordedOp<E.Value>], emitter: E
  ) -> (between: [Int], reached: Set<E.Value>) where E.Value: Hashable {
    // Sized for every value the ops make, so the sets never grow while walking.
    var reached = Set<E.Value>(minimumCapacity: ops.count * 2 + sources.count)
    for source in sources { reached.formUnion(source) }
    var forward: [Int] = []
    for (index, recorded) in ops.enumerated()
    where recorded.inputs.contains(where: { reached.contains($0) && isTrainable(emitter.dtype(of: $0)) }) {
      forward.append(index)
      reached.formUnion(recorded.outputs)
    }
    var needed = Set<E.Value>(minimumCapacity: ops.count * 3 + targets.count)
    needed.formUnion(targets)
    var between: [Int] = []
    for index in forward.reversed() where ops[index].outputs.contains(where: { needed.contains($0) }) {
      between.append(index)
      needed.formUnion(ops[index].inputs)
    }
    return (between.reversed(), reached)
  }

  /// The sum of the gradients reaching one value, left to right (TF's `add_n`); nil when none.
  @inlinable
  static func sum<E: GradientEmitter>(_ values: [E.Value]?, emitter: E) throws(OpError) -> E.Value? {
    guard var total = values?.first else { return nil }
    for value in values!.dropFirst() { total = try emitter.emit(Op(.addV2), [total, value])[0] }
    return total
  }
}
