import PythonRuntime
import TensorCore

/// The dtypes TensorFlow registers for an op's type attribute `T`, in its registration
/// order (from `op_def_registry` of TF 2.21), and the name of the input that sets `T`.
/// Checked before anything else, as TF checks attributes before running a kernel.
struct OpTypeConstraint {
  /// The input whose dtype sets `T` (`x`, `input`, `a`, `features`).
  let parameter: String
  /// Its position among the inputs Lockstep passes the op.
  var inputIndex = 0
  /// The allowed dtypes, by their Python names.
  let allowed: [String]

  /// The constraint of an op, or nil when the op accepts every Lockstep dtype.
  static func of(_ op: Op) -> OpTypeConstraint? {
    switch op {
    case .constant, .cast, .reshape, .clip: return nil
    case let .binary(binary): return table[binary.opName]
    case let .unary(unary): return table[unary.opName]
    case let .reduce(reduction, _, _, _): return table[reduction.opName]
    case .matmul: return table["MatMul"]
    case .sparseSoftmaxCrossEntropy: return table["SparseSoftmaxCrossEntropyWithLogits"]
    }
  }

  /// The constraint of an op by its TF name (`Mul`).
  static func named(_ opName: String) -> OpTypeConstraint? { table[opName] }

  /// Whether `dtype` satisfies the constraint.
  func allows(_ dtype: DType) -> Bool { allowed.contains(dtype.name) }

  /// The eager error: `Value for attr 'T' of bool is not in the list of allowed values: …`.
  func eagerError(_ dtype: DType, op: String) -> RuntimeError {
    let names = allowed.map(Self.cppName).joined(separator: ", ")
    return .exception(
      "InvalidArgumentError",
      "Value for attr 'T' of \(dtype.cppName) is not in the list of allowed values: \(names)\n\t; NodeDef: {{node \(op)}} [Op:\(op)]")
  }

  /// The graph-construction error: `Value passed to parameter 'x' has DataType bool …`.
  func graphError(_ dtype: DType) -> RuntimeError {
    .typeError("Value passed to parameter '\(parameter)' has DataType \(dtype.name) not in list of allowed values: \(allowed.joined(separator: ", "))")
  }

  private static func cppName(_ python: String) -> String {
    switch python {
    case "float16": "half"
    case "float32": "float"
    case "float64": "double"
    default: python
    }
  }

  private static let arithmetic = "bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128"
  private static let extremum = "bfloat16, float16, float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64"
  private static let reduction = "float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64"
  private static let transcendental = "bfloat16, float16, float32, float64, complex64, complex128"

  private static func make(_ parameter: String, _ list: String) -> OpTypeConstraint {
    OpTypeConstraint(parameter: parameter, allowed: list.components(separatedBy: ", "))
  }

  private static let table: [String: OpTypeConstraint] = [
    "AddV2": make("x", "bfloat16, float16, float32, float64, uint8, uint16, uint32, uint64, int8, int16, int32, int64, complex64, complex128"),
    "Sub": make("x", "bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, int64, complex64, complex128, uint32, uint64"),
    "Mul": make("x", arithmetic),
    "RealDiv": make("x", arithmetic),
    "FloorDiv": make("x", arithmetic),
    "Maximum": make("x", extremum),
    "Minimum": make("x", extremum),
    "Neg": make("x", "bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, complex128"),
    "Abs": make("x", "bfloat16, float16, float32, float64, int8, int16, int32, int64"),
    "Exp": make("x", transcendental),
    "Log": make("x", transcendental),
    "Sum": make("input", reduction),
    "Mean": make("input", reduction),
    "Max": make("input", "float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8, quint8, qint32, qint16, quint16"),
    "Min": make("input", "float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8, quint8, qint32, qint16, quint16"),
    "MatMul": make("a", "bfloat16, float16, float32, float64, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128"),
    "SparseSoftmaxCrossEntropyWithLogits": OpTypeConstraint(
      parameter: "features", inputIndex: 1, allowed: ["float16", "bfloat16", "float32", "float64"]),
  ]
}
