import Autodiff
import Operations
import PythonRuntime
import TensorCore

/// `tf.GradientTape`: records the eager ops that run inside its `with` block on watched
/// tensors (and, with `watch_accessed_variables`, on trainable variables), and computes
/// gradients through them with each op's rule.
final class GradientTapeObject: PyObject {
  let tape: Tape
  unowned let runtime: TFRuntime
  private var used = false

  init(persistent: Bool, watchAccessedVariables: Bool, runtime: TFRuntime) {
    tape = Tape(persistent: persistent, watchesAccessedVariables: watchAccessedVariables)
    self.runtime = runtime
  }

  var typeName: String { "GradientTape" }
  func repr() -> String { "<tensorflow.python.eager.backprop.GradientTape object>" }

  func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    guard runtime.currentGraph == nil else { throw .unsupported("tf.GradientTape in graph mode") }
    runtime.activeTapes.append(self)
    return .object(self)
  }

  func exit(context: CallContext) throws(RuntimeError) {
    runtime.activeTapes.removeAll { $0 === self }
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "watch":
      return .builtin(
        BuiltinFunction("watch") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind("watch", [.required("tensor")])
          for value in try Self.flatten(bound["tensor"]) {
            guard case let .eager(tensor) = try self.eagerOperand(value) else { continue }
            if Backpropagation.isTrainable(tensor.value.dtype) { self.tape.watch(tensor.id) }
          }
          return .none
        })
    case "gradient":
      return .builtin(
        BuiltinFunction("gradient") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            "gradient",
            [
              .required("target"), .required("sources"), .optional("output_gradients"),
              .optional("unconnected_gradients"),
            ])
          return try self.gradient(
            bound["target"], bound["sources"], outputGradients: bound["output_gradients"],
            zeros: try Self.unconnectedAreZero(bound["unconnected_gradients"]))
        })
    case "jacobian":
      return .builtin(
        BuiltinFunction("jacobian") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            "jacobian",
            [
              .required("target"), .required("sources"), .optional("unconnected_gradients"),
              .optional("parallel_iterations"), .optional("experimental_use_pfor"),
            ])
          return try self.jacobian(
            bound["target"], bound["sources"], zeros: try Self.unconnectedAreZero(bound["unconnected_gradients"]))
        })
    case "stop_recording":
      return .builtin(BuiltinFunction("stop_recording") { _, _ in .object(TapePause(tape: self.tape)) })
    case "reset":
      return .builtin(
        BuiltinFunction("reset") { _, _ in
          self.tape.reset()
          return .none
        })
    case "watched_variables": throw .unsupported("tf.GradientTape.watched_variables")
    default: throw .exception("AttributeError", "'GradientTape' object has no attribute '\(name)'")
    }
  }

  /// `unconnected_gradients`: `tf.UnconnectedGradients.NONE` (default) or `.ZERO`, or their strings.
  static func unconnectedAreZero(_ value: PyValue) throws(RuntimeError) -> Bool {
    switch value {
    case .none: return false
    case let .string(text) where text == "none" || text == "zero": return text == "zero"
    case let .object(choice as UnconnectedGradientsValue): return choice.zero
    default: throw .valueError("Unknown value for unconnected_gradients: \(value.repr)")
    }
  }

  private func eagerOperand(_ value: PyValue) throws(RuntimeError) -> Operand? {
    guard let tensor = value.object(as: TensorValue.self) else { return nil }
    if let variable = tensor as? EagerVariable { return .eager(TapeTensor(id: variable.id, value: variable.value)) }
    return try tensor.operand()
  }

  /// A structure's leaves: a tensor, or a list or tuple of them.
  static func flatten(_ value: PyValue) throws(RuntimeError) -> [PyValue] {
    switch value {
    case let .list(list): return list.items
    case let .tuple(items): return items
    default: return [value]
    }
  }

  private func gradient(_ target: PyValue, _ sources: PyValue, outputGradients: PyValue, zeros: Bool)
    throws(RuntimeError) -> PyValue
  {
    guard tape.persistent || !used else {
      throw .exception(
        "RuntimeError",
        "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)")
    }
    used = true
    // A non-persistent tape stops recording once its gradient is taken, as TF's does.
    if !tape.persistent { runtime.activeTapes.removeAll { $0 === self } }
    let targets = try Self.flatten(target)
    var seeds: [PyValue?] = Array(repeating: nil, count: targets.count)
    if case .none = outputGradients {
    } else {
      let given = try Self.flatten(outputGradients)
      guard given.count == targets.count else {
        throw .valueError("Target and output_gradients must have the same length")
      }
      seeds = given.map { $0 }
    }
    var seeded: [(value: TapeTensor, seed: TapeTensor)] = []
    for (value, seed) in zip(targets, seeds) {
      guard case let .eager(tensor)? = try eagerOperand(value) else {
        throw .unsupported("a gradient target that is not an eager tensor (\(value.typeName))")
      }
      let seedTensor: Tensor
      if let seed, case let .eager(given)? = try eagerOperand(seed) {
        seedTensor = given.value
      } else if let seed {
        seedTensor = try runtime.eagerTensor(seed, dtype: tensor.value.dtype)
      } else {
        seedTensor = try Conversion.kernel { () throws(TensorError) in
          try Tensor.ones(shape: tensor.value.shape, dtype: tensor.value.dtype)
        }
      }
      seeded.append((tensor, TapeTensor(id: runtime.newTensorID(), value: seedTensor)))
    }
    let leaves = try Self.flatten(sources)
    var sourceTensors: [TapeTensor] = []
    for leaf in leaves {
      guard case let .eager(tensor)? = try eagerOperand(leaf) else {
        throw .unsupported("a gradient source that is not an eager tensor or variable (\(leaf.typeName))")
      }
      sourceTensors.append(tensor)
    }
    let grads: [TapeTensor?]
    do {
      grads = try tape.gradients(
        of: seeded, with: sourceTensors, executor: runtime, traces: runtime.gradientTraces)
    } catch {
      throw TFRuntime.runtimeError(error, eagerOp: Op(.noOp), dtype: nil)
    }
    // A non-persistent tape is done (TF frees it here): dropping its record frees the values
    // its ops kept, so a variable updated next owns its buffer again and is updated in place.
    if !tape.persistent { tape.reset() }
    var results: [PyValue] = []
    for (grad, source) in zip(grads, sourceTensors) {
      if let grad {
        results.append(.object(EagerTensor(grad, runtime: runtime)))
      } else if zeros {
        let zero = try Conversion.kernel { () throws(TensorError) in
          try Tensor.zeros(shape: source.value.shape, dtype: source.value.dtype)
        }
        results.append(.object(EagerTensor(zero, runtime: runtime)))
      } else {
        results.append(.none)
      }
    }
    switch sources {
    case .list: return .list(PyList(results))
    case .tuple: return .tuple(results)
    default: return results[0]
    }
  }

  /// The Jacobian of `target` with respect to one source: one gradient per target element.
  private func jacobian(_ target: PyValue, _ source: PyValue, zeros: Bool) throws(RuntimeError) -> PyValue {
    guard case let .eager(y)? = try eagerOperand(target), case let .eager(x)? = try eagerOperand(source) else {
      throw .unsupported("tf.GradientTape.jacobian of anything but one eager tensor with respect to one source")
    }
    if !tape.persistent && used {
      throw .exception(
        "RuntimeError",
        "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)")
    }
    used = true
    if !tape.persistent { runtime.activeTapes.removeAll { $0 === self } }
    let count = y.value.scalarCount
    var rows: [Tensor] = []
    for index in 0..<count {
      var oneHot = [Double](repeating: 0, count: count)
      oneHot[index] = 1
      let seed = TapeTensor(
        id: runtime.newTensorID(), value: Tensor(doubles: oneHot, shape: y.value.shape, dtype: y.value.dtype))
      let grad: TapeTensor?
      do {
        grad = try tape.gradients(of: [(y, seed)], with: [x], emitter: EagerEmitter(executor: runtime))[0]
      } catch {
        throw TFRuntime.runtimeError(error, eagerOp: Op(.noOp), dtype: nil)
      }
      guard let grad else {
        if zeros { continue }
        return .none
      }
      rows.append(grad.value)
    }
    let shape = y.value.shape + x.value.shape
    let joined: Tensor
    if rows.count < count {
      joined = try Conversion.kernel { () throws(TensorError) in try Tensor.zeros(shape: shape, dtype: x.value.dtype) }
    } else if x.value.dtype == .float32 {
      joined = Tensor(shape: shape, scalars: rows.flatMap { $0.scalars(as: Float.self) })
    } else if x.value.dtype == .float64 {
      joined = Tensor(shape: shape, scalars: rows.flatMap { $0.scalars(as: Double.self) })
    } else {
      throw .unsupported("tf.GradientTape.jacobian for \(x.value.dtype.name) sources")
    }
    return .object(EagerTensor(joined, runtime: runtime))
  }
}

/// The context manager `tape.stop_recording()` returns.
final class TapePause: PyObject {
  let tape: Tape
  private var wasRecording = true
  init(tape: Tape) { self.tape = tape }

  var typeName: String { "_GeneratorContextManager" }
  func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    wasRecording = tape.isRecording
    tape.isRecording = false
    return .none
  }
  func exit(context: CallContext) throws(RuntimeError) { tape.isRecording = wasRecording }
}

/// `tf.UnconnectedGradients.NONE` / `.ZERO`.
final class UnconnectedGradientsValue: PyObject {
  let zero: Bool
  init(zero: Bool) { self.zero = zero }
  var typeName: String { "UnconnectedGradients" }
  func repr() -> String { "<UnconnectedGradients.\(zero ? "ZERO: 'zero'" : "NONE: 'none'")>" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "value": return .string(zero ? "zero" : "none")
    case "name": return .string(zero ? "ZERO" : "NONE")
    default: throw .exception("AttributeError", "'UnconnectedGradients' object has no attribute '\(name)'")
    }
  }
}

/// Runs gradient ops eagerly, recorded by the active tapes (so tapes nest into second
/// derivatives), with new identities.
extension TFRuntime: EagerExecutor {
  /// Records an eager op on every active tape.
  func record(_ op: Op, inputs: [TapeTensor], outputs: [TapeTensor]) {
    for tape in activeTapes { tape.tape.record(op, inputs: inputs, outputs: outputs) }
  }

  /// A trainable variable was read: tapes that watch accessed variables watch it.
  func variableAccessed(_ id: Int) {
    for tape in activeTapes where tape.tape.watchesAccessedVariables && tape.tape.isRecording {
      tape.tape.watch(id)
    }
  }
}
