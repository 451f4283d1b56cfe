import Operations
import PythonRuntime
import TensorCore

/// `tf.expand_dims` and `tf.squeeze`, in TF2's and TF1's (`tf.compat.v1`) signatures.
extension TFRuntime {
  func declareShapeFunctions() {
    declare(["tf.expand_dims"], [.required("input"), .required("axis"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.expandDims(bound, axis: bound["axis"])
    }
    // TF1 keeps the deprecated `dim` spelling and requires one of the two.
    declare(["tf.compat.v1.expand_dims"], [.required("input"), .optional("axis"), .optional("name"), .optional("dim")])
    { [unowned self] bound, _ throws(RuntimeError) in
      var axis = bound["axis"]
      if case .none = bound["dim"] {
      } else {
        guard case .none = axis else { throw .valueError("Cannot specify both 'dim' and 'axis'.") }
        axis = bound["dim"]
      }
      if case .none = axis { throw .valueError("Must specify an axis argument to tf.expand_dims()") }
      return try self.expandDims(bound, axis: axis)
    }
    declare(["tf.squeeze"], [.required("input"), .optional("axis"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.squeeze(bound, axes: try bound.axes("axis"))
    }
    declare(
      ["tf.compat.v1.squeeze"], [.required("input"), .optional("axis"), .optional("name"), .optional("squeeze_dims")]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      var axes = try bound.axes("axis")
      if let legacy = try bound.axes("squeeze_dims") {
        guard axes == nil else { throw .valueError("Cannot specify both 'squeeze_dims' and 'axis'.") }
        axes = legacy
      }
      return try self.squeeze(bound, axes: axes)
    }
  }

  /// `ExpandDims` of the bound `input` at `axis`: an int, or a list or tensor of one int (TF
  /// converts it to the op's `dim` input, so other counts fail in the op).
  private func expandDims(_ bound: BoundArguments, axis: PyValue) throws(RuntimeError) -> PyValue {
    let values = BoundArguments(function: bound.function, values: ["axis": axis], defaulted: [])
    guard let dims = try values.axes("axis") else {
      if try graphFor([bound["input"]]) == nil {
        throw .valueError(
          "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")
      }
      throw .valueError("Tried to convert 'dim' to a tensor and failed. Error: None values not supported.")
    }
    var scalar = false
    if case .int = axis { scalar = true }
    if let array = axis.object(as: NDArray.self), array.value.rank == 0 { scalar = true }
    if let tensor = axis.object(as: EagerTensor.self), tensor.value.rank == 0 { scalar = true }
    return try apply(
      Op(.expandDims, .expandDims(dims, scalar: scalar)), [bound["input"]],
      name: try Self.opName(bound, default: "ExpandDims"))
  }

  /// `Squeeze` of the bound `input` over `axes` (every dimension of size 1 when nil).
  private func squeeze(_ bound: BoundArguments, axes: [Int]?) throws(RuntimeError) -> PyValue {
    try apply(Op(.squeeze, .squeeze(axes ?? [])), [bound["input"]], name: try Self.opName(bound, default: "Squeeze"))
  }

  /// The node's base name: the bound `name`, or the op's.
  private static func opName(_ bound: BoundArguments, default name: String) throws(RuntimeError) -> String {
    switch bound["name"] {
    case .none: return name
    case let .string(given): return given
    default: throw .unsupported("a '\(bound["name"].typeName)' value as `name`")
    }
  }
}
