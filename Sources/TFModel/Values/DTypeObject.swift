import Operations
import PythonRuntime
import TensorCore

/// `tf.float32` and friends: a TensorFlow dtype as a program holds it.
final class TFDType: PyObject {
  let dtype: DType
  init(_ dtype: DType) { self.dtype = dtype }

  var typeName: String { "DType" }
  func repr() -> String { "tf.\(dtype.name)" }
  func str() -> String { "<dtype: '\(dtype.name)'>" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "name": return .string(dtype.name)
    case "is_floating": return .bool(dtype.isFloatingPoint)
    case "is_integer": return .bool(dtype.isInteger)
    case "is_bool": return .bool(dtype == .bool)
    case "as_numpy_dtype": return .object(NumpyDType(dtype))
    default: throw .unsupported("tf.DType.\(name)")
    }
  }

  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    guard op == .equal || op == .notEqual else { return nil }
    let same = DTypeArgument.dtype(of: other) == dtype
    return .bool(op == .equal ? same : !same)
  }
}

/// `np.float32` and friends (a NumPy scalar type, callable to make a NumPy scalar), or
/// `array.dtype` (a `numpy.dtype` instance); the two compare equal, as in NumPy.
final class NumpyDType: PyObject {
  let dtype: DType
  /// Whether this is a `numpy.dtype` instance rather than a scalar type.
  let isInstance: Bool
  init(_ dtype: DType, instance: Bool = false) {
    self.dtype = dtype
    self.isInstance = instance
  }

  private var numpyName: String { dtype == .bool ? "bool" : dtype.name }
  var typeName: String { isInstance ? "dtype[\(numpyName)]" : "type" }
  func repr() -> String { isInstance ? "dtype('\(numpyName)')" : "<class 'numpy.\(numpyName)'>" }
  func str() -> String { isInstance ? numpyName : repr() }

  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    guard !isInstance else { throw .typeError("'numpy.dtype' object is not callable") }
    let bound = try arguments.bind(
      dtype.name, DefaultsTable.bundled.signature("numpy.generic", [.optional("value")]).signature)
    let tensor = try Conversion.numpyArray(bound["value"], dtype: dtype)
    guard tensor.rank == 0 else { return .object(NDArray(tensor)) }
    return .object(NDArray(tensor))
  }

  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    guard op == .equal || op == .notEqual else { return nil }
    let same = DTypeArgument.dtype(of: other) == dtype
    return .bool(op == .equal ? same : !same)
  }
}

/// Reading a `dtype=` argument: `tf.float32`, `np.float32`, or a string such as `"float32"`.
enum DTypeArgument {
  static func dtype(of value: PyValue) -> DType? {
    switch value {
    case let .object(object as TFDType): return object.dtype
    case let .object(object as NumpyDType): return object.dtype
    case let .string(name):
      switch name {
      case "float32", "float": return name == "float" ? .float64 : .float32
      case "float64", "double": return .float64
      case "int32": return .int32
      case "int64", "int": return .int64
      case "bool": return .bool
      default: return nil
      }
    case let .builtin(function) where function.name == "float": return .float64
    case let .builtin(function) where function.name == "int": return .int64
    case let .builtin(function) where function.name == "bool": return .bool
    default: return nil
    }
  }

  /// The dtype named by an argument, nil for `None`; other values raise TF's TypeError.
  static func parse(_ value: PyValue, argument: String) throws(RuntimeError) -> DType? {
    if case .none = value { return nil }
    guard let dtype = dtype(of: value) else {
      if case let .string(name) = value,
        ["float16", "bfloat16", "int8", "int16", "uint8", "complex64", "string"].contains(name)
      {
        throw .unsupported("dtype \(name)")
      }
      throw .typeError("Cannot convert the argument `type_value`: \(value.repr) to a TensorFlow DType.")
    }
    return dtype
  }
}

extension DType {
  /// The dtypes a program can name (`tf.float32`, `np.int64`) and make tensors of. The engine
  /// holds more (half types, small and unsigned integers, strings); each joins this list
  /// once the TF model's conversions, printing and ops are checked against TF for it.
  static let modelled: [DType] = [.float32, .float64, .int32, .int64, .bool]
}
