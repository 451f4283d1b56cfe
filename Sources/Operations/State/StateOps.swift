import TensorCore

/// The stateful ops a graph runs: feeds, variables and their updates, and `NoOp`. A
/// variable is named by its `shared_name` attribute (TF passes a resource handle input).
/// TF1 reference variables (`VariableV2`, `Assign`) output a reference that their consumers
/// read when they run, so a read placed after an update sees the new value, as in TF.
enum StateOps {
  static let ops: [OpDefinition] = [
    .placeholder, .noOp, .identity, .stopGradient, .variableV2, .assign, .assignAdd, .assignSub, .readVariableOp,
    .assignVariableOp, .assignAddVariableOp, .assignSubVariableOp, .applyGradientDescent, .resourceApplyGradientDescent,
  ]

  /// The variable an op reads or writes.
  static func variable(_ attributes: OpAttributes) -> String {
    guard let name = attributes.string("shared_name") else { preconditionFailure("a variable op without its name") }
    return name
  }

  /// The spec a variable op outputs, from its `dtype` and `shape` attributes.
  static func variableSpec(_ attributes: OpAttributes) -> TensorSpec {
    guard let dtype = attributes.type("dtype") else { preconditionFailure("a variable op without its dtype") }
    return TensorSpec(dtype: dtype, partialShape: attributes.ints("shape").map { $0.map { $0 < 0 ? nil : $0 } })
  }

  /// The value after `method` (`assign`, `add`, `sub`) of `value` to the variable's current one.
  static func update(_ method: String, _ value: Tensor, of name: String, in store: ResourceStore, resource: Bool)
    throws(OpError) -> Tensor
  {
    let updated: Tensor
    switch method {
    case "assign":
      updated = value
    default:
      let current = try store.read(name, resource: resource)
      do {
        updated = method == "add" ? try OpDefinition.addV2(current, value) : try OpDefinition.sub(current, value)
      } catch {
        throw .tensor(error)
      }
    }
    store[variable: name] = updated
    return updated
  }

  /// Declares a variable update: `Assign`-style (reference, outputs the variable) or
  /// `AssignVariableOp`-style (resource, no output).
  static func declareUpdate(_ name: String, _ method: String, resource: Bool) -> OpDefinition {
    OpDefinition(
      name, stateful: true, referenceOutput: !resource, gradient: .notDifferentiable,
      infer: { inputs, _ throws(OpError) in resource ? [] : [inputs[inputs.count - 1]] },
      stateKernel: { inputs, attributes, store throws(OpError) in
        let value = try update(
          method, inputs[inputs.count - 1], of: variable(attributes), in: store, resource: resource)
        return resource ? [] : [value]
      })
  }
}

extension OpDefinition {
  /// A value the session must feed; running it unfed is TF's error.
  public static let placeholder = OpDefinition(
    "Placeholder", stateful: true, gradient: .notDifferentiable,
    infer: { _, attributes throws(OpError) in [StateOps.variableSpec(attributes)] },
    stateKernel: { _, attributes, _ throws(OpError) in
      // TF's PlaceholderOp names the shape only when it has dimensions (not for a scalar).
      let spec = StateOps.variableSpec(attributes)
      throw .invalidArgument(
        "You must feed a value for placeholder tensor '$NODE' with dtype \(spec.dtype.dataTypeString)"
          + ((spec.shape ?? []).isEmpty ? "" : " and shape \(spec.bracketedShape)"))
    })

  /// Nothing; a graph uses it to group control dependencies (`tf.group`, `tf.no_op`).
  public static let noOp = OpDefinition(
    "NoOp", gradient: .notDifferentiable, infer: { _, _ throws(OpError) in [] }, kernel: { _, _ in [] })

  /// Its input; of a reference variable's value, the reference itself (TF forwards the buffer).
  public static let identity = OpDefinition(
    "Identity", referenceOutput: true, gradient: .rule(IdentityGradient.self), infer: ShapeInference.sameAsFirst,
    kernel: { inputs, _ in [inputs[0]] })

  /// Its input, through which no gradient flows.
  public static let stopGradient = OpDefinition(
    "StopGradient", gradient: .notDifferentiable, infer: ShapeInference.sameAsFirst,
    kernel: { inputs, _ in [inputs[0]] })

  /// A TF1 reference variable: outputs a reference to it, which consumers read when they run.
  public static let variableV2 = OpDefinition(
    "VariableV2", stateful: true, referenceOutput: true, gradient: .notDifferentiable,
    infer: { _, attributes throws(OpError) in [StateOps.variableSpec(attributes)] },
    stateKernel: { _, _, _ throws(OpError) in [] })

  /// `ref = value`, outputting the variable.
  public static let assign = StateOps.declareUpdate("Assign", "assign", resource: false)
  /// `ref += value`, outputting the variable.
  public static let assignAdd = StateOps.declareUpdate("AssignAdd", "add", resource: false)
  /// `ref -= value`, outputting the variable.
  public static let assignSub = StateOps.declareUpdate("AssignSub", "sub", resource: false)

  /// A resource variable's value when the op runs.
  public static let readVariableOp = OpDefinition(
    "ReadVariableOp", stateful: true, gradient: .rule(IdentityGradient.self),
    infer: { _, attributes throws(OpError) in [StateOps.variableSpec(attributes)] },
    stateKernel: { _, attributes, store throws(OpError) in
      [try store.read(StateOps.variable(attributes), resource: true)]
    })

  /// Sets a resource variable.
  public static let assignVariableOp = StateOps.declareUpdate("AssignVariableOp", "assign", resource: true)
  /// Adds to a resource variable.
  public static let assignAddVariableOp = StateOps.declareUpdate("AssignAddVariableOp", "add", resource: true)
  /// Subtracts from a resource variable.
  public static let assignSubVariableOp = StateOps.declareUpdate("AssignSubVariableOp", "sub", resource: true)
}

/// `Identity` passes its gradient through (as does a variable read, to its variable).
enum IdentityGradient: GradientFunction {
  @_specialize(where E == EagerEmitter)
  static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
    g.inputs.isEmpty ? [] : [g.grad]
  }
}

extension OpDefinition {
  /// TF1 gradient descent on a reference variable: `var -= delta * alpha`, outputting it.
  public static let applyGradientDescent = StateOps.declareDescent("ApplyGradientDescent", resource: false)
  /// Gradient descent on a resource variable: `var -= delta * alpha`.
  public static let resourceApplyGradientDescent = StateOps.declareDescent(
    "ResourceApplyGradientDescent", resource: true)
}

extension StateOps {
  /// `ApplyGradientDescent` / `ResourceApplyGradientDescent` (training_ops.cc: `var -= grad * lr()`),
  /// with the variable named by attribute and `alpha`, `delta` as inputs.
  static func declareDescent(_ name: String, resource: Bool) -> OpDefinition {
    OpDefinition(
      name, tensorInputs: 2, stateful: true, referenceOutput: !resource, gradient: .notDifferentiable,
      infer: { inputs, attributes throws(OpError) in resource ? [] : [variableSpec(attributes)] },
      stateKernel: { inputs, attributes, store throws(OpError) in
        let (alpha, delta) = (inputs[0], inputs[1])
        let name = variable(attributes)
        let current = try store.read(name, resource: resource)
        let value: Tensor
        do {
          if let fused = try descend(current, delta, alpha) {
            value = fused
          } else {
            value = try OpDefinition.sub(current, try OpDefinition.mul.callAsFunction(delta, alpha))
          }
        } catch let error as TensorError {
          throw .tensor(error)
        } catch {
          preconditionFailure("kernels throw TensorError")
        }
        store[variable: name] = value
        return resource ? [] : [value]
      })
  }

  /// `variable - delta * alpha` in one pass for float32 and float64 of one shape, rounding
  /// the product and then the difference as Eigen's `var -= grad * lr()` does; nil otherwise.
  static func descend(_ variable: Tensor, _ delta: Tensor, _ alpha: Tensor) throws(TensorError) -> Tensor? {
    guard variable.shape == delta.shape, alpha.scalarCount == 1, variable.dtype == delta.dtype,
      variable.dtype == alpha.dtype
    else { return nil }
    switch variable.dtype {
    case .float32: return try descend(variable, delta, alpha, as: Float.self)
    case .float64: return try descend(variable, delta, alpha, as: Double.self)
    default: return nil
    }
  }

  private static func descend<T: TensorElement & BinaryFloatingPoint>(
    _ variable: Tensor, _ delta: Tensor, _ alpha: Tensor, as type: T.Type
  ) throws(TensorError) -> Tensor {
    let rate = alpha.scalars(as: T.self)[0]
    let (out, o) = try Tensor.uninitialized(T.self, shape: variable.shape)
    variable.withUnsafeBufferPointer(as: T.self) { v in
      delta.withUnsafeBufferPointer(as: T.self) { d in
        for index in 0..<v.count {
          let step = d[index] * rate
          o[index] = v[index] - step
        }
      }
    }
    return out
  }
}
