import Operations
import PythonRuntime
import TensorCore

/// Element-wise math and activations (`tf.square`, `tf.nn.relu` …), comparisons, selection,
/// clipping, and the shape-building functions (`tf.shape`, `tf.fill`, `tf.zeros_like` …).
extension TFRuntime {
  func declareActivationFunctions() {
    /// The paths TF exports a `tf.math` function under, filtered by the API table.
    func paths(_ name: String, top: Bool = true, nn: Bool = false) -> [String] {
      var result = ["tf.math.\(name)", "tf.compat.v1.\(name)", "tf.compat.v1.math.\(name)"]
      if top { result.append("tf.\(name)") }
      if nn { result += ["tf.nn.\(name)", "tf.compat.v1.nn.\(name)"] }
      return result
    }
    let unary: [([String], OpDefinition, String)] = [
      (paths("square"), .square, "x"), (paths("sqrt"), .sqrt, "x"), (paths("rsqrt", top: false), .rsqrt, "x"),
      (paths("reciprocal", top: false), .reciprocal, "x"), (paths("sign"), .sign, "x"),
      (paths("sigmoid", nn: true), .sigmoid, "x"), (paths("tanh", nn: true), .tanh, "x"),
      (["tf.nn.relu", "tf.compat.v1.nn.relu"], .relu, "features"),
    ]
    for (names, op, parameter) in unary {
      declare(names, [.required(parameter), .optional("name")]) { [unowned self] bound, _ throws(RuntimeError) in
        try self.apply(Op(op), [bound[parameter]], name: op.name)
      }
    }
    declare(paths("pow"), [.required("x"), .required("y"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.binary(.pow, bound["x"], bound["y"], name: "Pow", rule: .sharedType)
    }
    let comparisons: [(String, OpDefinition)] = [
      ("greater", .greater), ("greater_equal", .greaterEqual), ("less", .less), ("less_equal", .lessEqual),
      ("equal", .equal), ("not_equal", .notEqual),
    ]
    for (python, op) in comparisons {
      declare(paths(python), [.required("x"), .required("y"), .optional("name")]) {
        [unowned self] bound, _ throws(RuntimeError) in
        try self.binary(op, bound["x"], bound["y"], name: op.name, rule: .sharedType)
      }
    }
    declare(
      ["tf.clip_by_value", "tf.compat.v1.clip_by_value"],
      [.required("t"), .required("clip_value_min"), .required("clip_value_max"), .optional("name")]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      // TF's clip_by_value: minimum with the upper bound, then maximum with the lower one.
      let upper = try self.binary(.minimum, bound["t"], bound["clip_value_max"], name: "Minimum", rule: .sharedType)
      let clipped = try self.binary(.maximum, upper, bound["clip_value_min"], name: "clip_by_value", rule: .sharedType)
      if let input = bound["t"].object(as: TensorValue.self), let result = clipped.object(as: TensorValue.self),
        let before = input.spec.shape, let after = result.spec.shape, before.count != after.count
      {
        throw .valueError("Shapes \(input.spec.shapeDescription) and \(result.spec.shapeDescription) are incompatible")
      }
      return clipped
    }
    declare(["tf.where"], [.required("condition"), .optional("x"), .optional("y"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      if case .none = bound["x"] { throw .unsupported("tf.where with only a condition (the Where op)") }
      return try self.apply(Op(.selectV2), [bound["condition"], bound["x"], bound["y"]], name: "SelectV2")
    }
    for (python, op) in [("zeros_like", OpDefinition.zerosLike), ("ones_like", .onesLike)] {
      declare(["tf.\(python)"], [.required("input"), .optional("dtype"), .optional("name")]) {
        [unowned self] bound, _ throws(RuntimeError) in
        if case .none = bound["dtype"] {} else { throw .unsupported("tf.\(python)(dtype=…)") }
        return try self.apply(Op(op), [bound["input"]], name: op.name)
      }
      declare(
        ["tf.compat.v1.\(python)"],
        [.required("tensor"), .optional("dtype"), .optional("name"), .optional("optimize")]
      ) { [unowned self] bound, _ throws(RuntimeError) in
        if case .none = bound["dtype"] {} else { throw .unsupported("tf.compat.v1.\(python)(dtype=…)") }
        return try self.apply(Op(op), [bound["tensor"]], name: op.name)
      }
    }
    declare(["tf.shape", "tf.compat.v1.shape"], [.required("input"), .optional("out_type"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      let dtype = try DTypeArgument.parse(bound["out_type"], argument: "out_type") ?? .int32
      return try self.apply(Op(.shape, OpAttributes(["out_type": .type(dtype)])), [bound["input"]], name: "Shape")
    }
    declare(
      ["tf.broadcast_to", "tf.compat.v1.broadcast_to"], [.required("input"), .required("shape"), .optional("name")]
    ) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.apply(Op(.broadcastTo), [bound["input"], bound["shape"]], name: "BroadcastTo")
    }
    declare(["tf.fill", "tf.compat.v1.fill"], [.required("dims"), .required("value"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.apply(Op(.fill), [bound["dims"], bound["value"]], name: "Fill")
    }
  }
}
