import Autodiff
import Operations
import PythonRuntime
import TensorCore

/// A `tf.Tensor` in eager mode: a computed value.
final class EagerTensor: TensorValue {
  let value: Tensor
  /// The tensor's identity, which gradient tapes follow.
  let id: Int
  unowned let runtime: TFRuntime

  /// A new tensor (a new identity).
  init(_ value: Tensor, runtime: TFRuntime) {
    self.value = value
    self.runtime = runtime
    id = runtime.newTensorID()
  }

  /// The tensor an op input or a tape result refers to, keeping its identity.
  init(_ tensor: TapeTensor, runtime: TFRuntime) {
    value = tensor.value
    id = tensor.id
    self.runtime = runtime
  }

  var typeName: String { "EagerTensor" }
  var spec: TensorSpec { TensorSpec(of: value) }
  var eagerValue: Tensor? { value }
  func operand() throws(RuntimeError) -> Operand { .eager(TapeTensor(id: id, value: value)) }

  /// `tf.Tensor([5. 7. 9.], shape=(3,), dtype=float32)`, with a line break before a
  /// multi-line array as TF prints it.
  func str() -> String {
    let array = NumpyFormat.arrayString(value)
    let separator = array.contains("\n") ? "\n" : ""
    return "tf.Tensor(\(separator)\(array), shape=\(Shape.pythonTuple(value.shape)), dtype=\(value.dtype.name))"
  }

  func repr() -> String {
    let numpy = value.rank == 0 ? NumpyFormat.scalarString(value) : NumpyFormat.arrayRepr(value)
    let separator = numpy.contains("\n") ? "\n" : ""
    return "<tf.Tensor: shape=\(Shape.pythonTuple(value.shape)), dtype=\(value.dtype.name), numpy=\(separator)\(numpy)>"
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "numpy": return .builtin(BuiltinFunction("numpy") { _, _ in .object(NDArray(self.value)) })
    default: throw .unsupported("tf.Tensor.\(name)")
    }
  }

  func floatValue(context: CallContext) throws(RuntimeError) -> Double? { try value.pythonFloat() }

  func formatted(spec: String, context: CallContext) throws(RuntimeError) -> String {
    try NumpyFormat.formatted(value, spec: spec, context: context)
  }
  func truthValue(context: CallContext) throws(RuntimeError) -> Bool { try value.pythonTruth() }
  func length(context: CallContext) throws(RuntimeError) -> Int {
    guard value.rank > 0 else { throw .typeError("Scalar tensor has no `len()`") }
    return try value.pythonLength()
  }

  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    guard value.rank > 0 else { throw .typeError("Cannot iterate over a scalar tensor.") }
    return try Indexing.rows(of: value).map { .object(EagerTensor($0, runtime: runtime)) }
  }

  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    .object(EagerTensor(try Indexing.select(value, index, as: .tensor), runtime: runtime))
  }
}

/// A `tf.Variable` in eager mode: a mutable value.
final class EagerVariable: TensorValue {
  @exclusivity(unchecked) private(set) var value: Tensor
  let name: String
  let trainable: Bool
  /// The variable's identity: every read of it, which tapes follow to the variable.
  let id: Int
  unowned let runtime: TFRuntime

  init(_ value: Tensor, name: String, trainable: Bool = true, runtime: TFRuntime) {
    self.value = value
    self.name = name
    self.trainable = trainable
    self.runtime = runtime
    id = runtime.newTensorID()
  }

  var typeName: String { "ResourceVariable" }
  var spec: TensorSpec { TensorSpec(of: value) }
  var eagerValue: Tensor? { value }
  /// The variable's current value as an op input; recording tapes watch it when they watch
  /// accessed variables and it is trainable.
  func operand() throws(RuntimeError) -> Operand {
    if trainable { runtime.variableAccessed(id) }
    return .eager(TapeTensor(id: id, value: value))
  }

  func repr() -> String {
    "<tf.Variable '\(name):0' shape=\(Shape.pythonTuple(value.shape)) dtype=\(value.dtype.name), "
      + "numpy=\(value.rank == 0 ? NumpyFormat.scalarString(value) : NumpyFormat.arrayRepr(value))>"
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let common = commonAttribute(name) { return common }
    switch name {
    case "numpy": return .builtin(BuiltinFunction("numpy") { _, _ in .object(NDArray(self.value)) })
    case "name": return .string("\(self.name):0")
    case "trainable": return .bool(trainable)
    case "read_value", "value":
      return .builtin(BuiltinFunction(name) { _, _ in .object(EagerTensor(self.value, runtime: self.runtime)) })
    case "assign", "assign_add", "assign_sub":
      return variableMethod(name) { value throws(RuntimeError) in
        try self.update(name, value)
        return .object(self)
      }
    default: throw .unsupported("tf.Variable.\(name)")
    }
  }

  /// `assign`, `assign_add` or `assign_sub`, with TF's dtype and shape checks.
  func update(_ method: String, _ newValue: PyValue) throws(RuntimeError) {
    let tensor = try runtime.eagerTensor(newValue, dtype: value.dtype)
    guard tensor.shape == value.shape else {
      throw .valueError(
        "Cannot assign value to variable ' \(name):0': Shape mismatch.The variable shape "
          + "\(Shape.pythonTuple(value.shape)), and the assigned value shape \(Shape.pythonTuple(tensor.shape)) are "
          + "incompatible."
      )
    }
    switch method {
    case "assign": value = tensor
    case "assign_add": try Conversion.kernel { () throws(TensorError) in try VariableUpdate.add(&value, tensor) }
    default: try Conversion.kernel { () throws(TensorError) in try VariableUpdate.subtract(&value, tensor) }
    }
  }

  func floatValue(context: CallContext) throws(RuntimeError) -> Double? { try value.pythonFloat() }

  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    .object(EagerTensor(try Indexing.select(value, index, as: .tensor), runtime: runtime))
  }
}
