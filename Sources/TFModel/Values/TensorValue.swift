import Autodiff
import Operations
import PythonRuntime
import TensorCore

/// An op input, as the current execution mode needs it.
enum Operand {
  /// A concrete value with its identity (eager mode), which tapes follow.
  case eager(TapeTensor)
  /// A node of a graph (graph mode).
  case graph(GraphNode)

  var spec: TensorSpec {
    switch self {
    case let .eager(tensor): TensorSpec(of: tensor.value)
    case let .graph(node): node.spec
    }
  }
}

/// Anything a TF op accepts as a tensor: eager tensors, graph tensors and variables.
protocol TensorValue: PyObject {
  /// The runtime the value belongs to.
  var runtime: TFRuntime { get }
  /// Dtype and (static) shape.
  var spec: TensorSpec { get }
  /// The value, for eager tensors and variables; nil for graph values.
  var eagerValue: Tensor? { get }
  /// The value as an op input.
  func operand() throws(RuntimeError) -> Operand
}

/// Python's operators on tensors, mapped to the ops TensorFlow's `__add__` & co. create.
extension TensorValue {
  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    do {
      return try tensorBinary(op, other, reflected: reflected)
    } catch
      where !reflected && op == .multiply && other.isSequence
      && (error.typeName == "TypeError" || error.typeName == "ValueError")
    {
      // TF's operator wrapper then tries `list.__rmul__(tensor)`, which repeats the list when
      // the tensor is an integer scalar (it has `__index__`).
      guard let value = eagerValue, value.rank == 0, value.dtype.isInteger else { throw error }
      return try PyValue.binary(.multiply, other, .int(value.integers[0]), context: context)
    } catch
      where !reflected && other.object(as: NDArray.self) != nil
      && (error.typeName == "TypeError" || error.typeName == "ValueError")
    {
      // TF's operator wrapper then tries the ndarray's reflected operator: NumPy computes
      // with an eager tensor's value, and cannot turn a symbolic tensor into an array.
      if let value = eagerValue {
        guard let array = other.object(as: NDArray.self),
          let result = try? array.binary(
            op, .object(NDArray(value, zeroDimensionalArray: true)), reflected: true, context: context)
        else { throw error }
        return result
      }
      throw symbolicArrayError(self)
    }
  }

  private func tensorBinary(_ op: PythonOperator, _ other: PyValue, reflected: Bool) throws(RuntimeError) -> PyValue? {
    if !reflected, let result = try eagerFastPath(op, other) { return result }
    if let result = try eagerScalarFastPath(op, other, reflected: reflected) { return result }
    if let comparison = Self.comparison(op) {
      // Tensor.__lt__ & co. are the generated comparison ops; a reflected literal is converted
      // to the tensor's dtype on the left.
      let me = PyValue.object(self)
      return reflected
        ? try runtime.binary(comparison, other, me, name: comparison.name, rule: .sharedType)
        : try runtime.binary(comparison, me, other, name: comparison.name, rule: .sharedType)
    }
    guard let name = Self.scopeName(op) else { return try comparisonOrUnsupported(op) }
    if op == .multiply && (spec.dtype == .bool || other.tensorDType == .bool) {
      throw .unsupported("'*' on bool tensors (TF computes tf.logical_and)")
    }
    // TF opens the op's name scope first; a reflected literal is converted inside it.
    let scope = runtime.scopeName(name, graph: try runtime.graphFor([.object(self), other]))
    let me = PyValue.object(self)
    let (x, y) = reflected ? (try runtime.reflectedOperand(other, like: self, scope: scope), me) : (me, other)
    switch op {
    case .add: return try runtime.binary(.addV2, x, y, name: name, rule: .hinted, scope: scope)
    case .subtract: return try runtime.binary(.sub, x, y, name: name, rule: .sharedType, scope: scope)
    case .multiply: return try runtime.binary(.mul, x, y, name: name, rule: .sharedType, scope: scope)
    case .divide: return try runtime.trueDivide(x, y, name: name, scope: scope)
    case .floorDivide: return try runtime.binary(.floorDiv, x, y, name: name, rule: .sharedType, scope: scope)
    case .power: return try runtime.binary(.pow, x, y, name: name, rule: .sharedType, scope: scope)
    default: return try runtime.matmul(x, y, transposeA: false, transposeB: false, name: name, scope: scope)
    }
  }

  /// The name scope TF opens for an arithmetic operator (`Tensor.__add__` runs in `add`).
  private static func scopeName(_ op: PythonOperator) -> String? {
    switch op {
    case .add: "add"
    case .subtract: "sub"
    case .multiply: "mul"
    case .divide: "truediv"
    case .floorDivide: "floordiv"
    case .matmul: "matmul"
    case .power: "pow"
    default: nil
    }
  }

  /// The op of a comparison operator (`Tensor.__lt__` is `tf.math.less`).
  private static func comparison(_ op: PythonOperator) -> OpDefinition? {
    switch op {
    case .less: .less
    case .lessEqual: .lessEqual
    case .greater: .greater
    case .greaterEqual: .greaterEqual
    default: nil
    }
  }

  /// Two eager tensors of one dtype in eager mode: the op runs at once, with none of the
  /// conversions and name scopes that literals and graphs need (TF's C++ fast path).
  private func eagerFastPath(_ op: PythonOperator, _ other: PyValue) throws(RuntimeError) -> PyValue? {
    guard case let .object(object) = other, eagerValue != nil, runtime.currentGraph == nil,
      object is EagerTensor || object is EagerVariable, case let .eager(a) = try operand(),
      case let .eager(b) = try (object as! TensorValue).operand()
    else { return nil }
    let dtype = a.value.dtype
    guard dtype == b.value.dtype, let definition = Self.eagerOp(op, dtype) else { return nil }
    return try runtime.runEagerly(Op(definition), a, b)
  }

  /// The op an arithmetic operator runs on two eager operands of `dtype`, when no conversion
  /// stands between them; nil for the operators that need one (`/` on integers, `*` on bools).
  private static func eagerOp(_ op: PythonOperator, _ dtype: DType) -> OpDefinition? {
    switch op {
    case .add: .addV2
    case .subtract: .sub
    case .multiply where dtype != .bool: .mul
    case .floorDivide: .floorDiv
    case .divide where dtype.isFloatingPoint: .realDiv
    default: nil
    }
  }

  /// An eager tensor and a Python float (or int32-range int) in eager mode, for `+`, `-` and
  /// `*` on a float or int32/int64 tensor: the number becomes a scalar of the tensor's dtype and
  /// the op runs at once (`0.01 * g`, `x - 1`), as the conversions below would do it.
  private func eagerScalarFastPath(_ op: PythonOperator, _ other: PyValue, reflected: Bool) throws(RuntimeError)
    -> PyValue?
  {
    guard runtime.currentGraph == nil, let dtype = eagerValue?.dtype, op == .add || op == .subtract || op == .multiply,
      let definition = Self.eagerOp(op, dtype)
    else { return nil }
    switch other {
    case .float where dtype.isFloatingPoint: break
    case let .int(i)
    where (dtype.isFloatingPoint || dtype == .int32 || dtype == .int64) && Int(Int32.min)...Int(Int32.max) ~= i:
      break
    default: return nil
    }
    guard case let .eager(tensor) = try operand() else { return nil }
    let scalar = TapeTensor(id: runtime.newTensorID(), value: try Conversion.tensor(from: other, dtype: dtype))
    return reflected
      ? try runtime.runEagerly(Op(definition), scalar, tensor) : try runtime.runEagerly(Op(definition), tensor, scalar)
  }

  private func comparisonOrUnsupported(_ op: PythonOperator) throws(RuntimeError) -> PyValue? {
    switch op {
    case .equal, .notEqual:
      throw .unsupported("comparing tensors with '\(op.rawValue)' (use tf.math.equal / tf.math.not_equal)")
    case .modulo: throw .unsupported("tf.math.floormod (the '%' operator on tensors)")
    default: return nil
    }
  }

  func unary(_ op: PythonOperator, context: CallContext) throws(RuntimeError) -> PyValue {
    switch op {
    case .negate: return try runtime.apply(Op(.neg), [.object(self)], name: "Neg")
    case .absolute: return try runtime.apply(Op(.abs), [.object(self)], name: "Abs")
    case .plus: return .object(self)
    case .invert: throw .unsupported("tf.math.logical_not / bitwise invert ('~' on tensors)")
    default: throw .typeError("bad operand type for \(op.rawValue)")
    }
  }

  /// `variable.assign(value)` & co.: TF's signature (defaults from the profile table), then `body`
  /// with the value.
  func variableMethod(_ name: String, _ body: @escaping (PyValue) throws(RuntimeError) -> PyValue) -> PyValue {
    .builtin(
      BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
        try body(arguments.bind(name, self.runtime.variableMethodSignature(name))["value"])
      })
  }

  /// `.shape` and `.dtype`, shared by every tensor-like value.
  func commonAttribute(_ name: String) -> PyValue? {
    switch name {
    case "shape": return .object(TensorShapeObject(spec.shape))
    case "dtype": return .object(TFDType(spec.dtype))
    case "ndim": return spec.rank.map { .int($0) } ?? PyValue.none
    default: return nil
    }
  }
}

extension PyValue {
  /// Whether this is a list, tuple or string (the types `*` repeats).
  var isSequence: Bool {
    switch self {
    case .list, .tuple, .string: true
    default: false
    }
  }
}

extension TFRuntime {
  /// The signature of `tf.Variable.<name>` (`assign`, `assign_add`, `assign_sub`) under the
  /// profile, resolved once per program.
  func variableMethodSignature(_ name: String) -> [Arguments.Parameter] {
    if let signature = variableMethodSignatures[name] { return signature }
    let signature = resolvedSignature(
      "tf.Variable.\(name)", [.required("value"), .optional("use_locking"), .optional("name"), .optional("read_value")]
    ).signature
    variableMethodSignatures[name] = signature
    return signature
  }
}

/// `tf.TensorShape`: prints `(2, 3)`, indexes to ints (None where unknown).
final class TensorShapeObject: PyObject {
  let dims: [Int?]?
  init(_ dims: [Int?]?) { self.dims = dims }

  var typeName: String { "TensorShape" }
  func str() -> String { dims.map { Shape.pythonTuple($0) } ?? "<unknown>" }
  func repr() -> String {
    guard let dims else { return "TensorShape(None)" }
    return "TensorShape([" + dims.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + "])"
  }

  private var values: [PyValue] { (dims ?? []).map { $0.map { .int($0) } ?? .none } }

  func length(context: CallContext) throws(RuntimeError) -> Int {
    guard let dims else { throw .valueError("Cannot take the length of shape with unknown rank.") }
    return dims.count
  }
  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] { values }
  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    guard case let .int(i) = index else { throw .unsupported("slicing a TensorShape") }
    let items = values
    let position = i < 0 ? i + items.count : i
    guard items.indices.contains(position) else { throw .exception("IndexError", "list index out of range") }
    return items[position]
  }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "as_list": return .builtin(BuiltinFunction("as_list") { _, _ in .list(PyList(self.values)) })
    case "rank": return dims.map { .int($0.count) } ?? .none
    default: throw .unsupported("tf.TensorShape.\(name)")
    }
  }
  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    guard op == .equal || op == .notEqual else { return nil }
    let others: [PyValue]
    switch other {
    case let .tuple(items): others = items
    case let .list(list): others = list.items
    case let .object(shape as TensorShapeObject): others = shape.values
    default: return .bool(op == .notEqual)
    }
    let same = try PyValue.equal(.tuple(values), .tuple(others))
    return .bool(op == .equal ? same : !same)
  }
}
