import Operations
import PythonRuntime
import TensorCore

/// A NumPy array (or, at rank 0, a NumPy scalar such as `np.float32(3.0)`), as `sess.run`
/// and `.numpy()` return them. Arithmetic follows NumPy's rules, which promote dtypes.
final class NDArray: PyObject {
  let value: Tensor
  /// Whether a rank-0 value is a 0-d array (`np.array(1.0)`) rather than a NumPy scalar
  /// (`np.float32(1.0)`, what `sess.run` and `.numpy()` return for scalars).
  let isZeroDimensionalArray: Bool

  init(_ value: Tensor, zeroDimensionalArray: Bool = false) {
    self.value = value
    self.isZeroDimensionalArray = zeroDimensionalArray && value.rank == 0
  }

  /// Whether this is a NumPy scalar rather than an array.
  var isScalar: Bool { value.rank == 0 && !isZeroDimensionalArray }

  /// NumPy's type as Python's messages name it (`numpy.float32`, `numpy.ndarray`).
  var typeName: String { isScalar ? "numpy.\(value.dtype == .bool ? "bool" : value.dtype.name)" : "numpy.ndarray" }

  func str() -> String {
    value.rank == 0 ? NumpyFormat.scalarString(value) : NumpyFormat.arrayString(value)
  }

  func repr() -> String {
    if isScalar {
      let text = NumpyFormat.scalarString(value)
      return value.dtype == .bool ? "np.\(text)_" : "np.\(value.dtype.name)(\(text))"
    }
    return NumpyFormat.arrayRepr(value)
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "shape": return .tuple(value.shape.map { .int($0) })
    case "dtype": return .object(NumpyDType(value.dtype, instance: true))
    case "ndim": return .int(value.rank)
    case "size": return .int(value.scalarCount)
    case "tolist":
      return .builtin(BuiltinFunction("tolist") { _, _ throws(RuntimeError) in try Conversion.pythonList(self.value) })
    case "item":
      return .builtin(
        BuiltinFunction("item") { _, _ throws(RuntimeError) in
          guard self.value.scalarCount == 1 else {
            throw .valueError("can only convert an array of size 1 to a Python scalar")
          }
          return Conversion.pythonScalar(self.value, at: 0)
        })
    case "astype":
      return .builtin(
        BuiltinFunction("astype") { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind("astype", [.required("dtype")])
          guard let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype") else {
            throw .typeError("Cannot interpret 'None' as a data type")
          }
          return .object(NDArray(try Conversion.kernel { () throws(TensorError) in try self.value.cast(to: dtype) }))
        })
    case "sum", "mean", "max", "min":
      let op: NumpyReduction.Kind = name == "sum" ? .sum : name == "mean" ? .mean : name == "max" ? .max : .min
      return .builtin(
        BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
          let bound = try arguments.bind(
            name,
            DefaultsTable.bundled.signature(
              "numpy.ndarray.\(name)", [.optional("axis"), .optional("dtype"), .optional("out"), .optional("keepdims")]
            ).signature)
          if case .object = bound["out"] { throw .unsupported("ndarray.\(name)(out=…)") }
          return try NumpyReduction.reduce(
            self.value, op, name: name, axes: try bound.axes("axis"), keepDims: try bound.bool("keepdims"),
            dtype: try DTypeArgument.parse(bound["dtype"], argument: "dtype"))
        })
    default:
      throw .unsupported("numpy.ndarray.\(name)")
    }
  }

  func floatValue(context: CallContext) throws(RuntimeError) -> Double? { try value.pythonFloat() }

  func formatted(spec: String, context: CallContext) throws(RuntimeError) -> String {
    try NumpyFormat.formatted(value, spec: spec, numpyScalar: isScalar, context: context)
  }
  func truthValue(context: CallContext) throws(RuntimeError) -> Bool { try value.pythonTruth() }
  func length(context: CallContext) throws(RuntimeError) -> Int {
    if isScalar { throw .typeError("object of type '\(typeName)' has no len()") }
    return try value.pythonLength()
  }

  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    guard value.rank > 0 else { throw .typeError("iteration over a 0-d array") }
    return try Indexing.rows(of: value).map { .object(NDArray($0)) }
  }

  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    .object(NDArray(try Indexing.select(value, index, as: isScalar ? .numpyScalar : .numpyArray)))
  }

  func unary(_ op: PythonOperator, context: CallContext) throws(RuntimeError) -> PyValue {
    switch op {
    case .negate:
      return .object(NDArray(try Conversion.kernel { () throws(TensorError) in try OpDefinition.neg(value) }))
    case .absolute:
      return .object(NDArray(try Conversion.kernel { () throws(TensorError) in try OpDefinition.abs(value) }))
    case .plus: return .object(self)
    default: throw .typeError("bad operand type for \(op.rawValue): 'numpy.ndarray'")
    }
  }

  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    // Tensors and variables take precedence (TF sets a higher __array_priority__).
    if case .object(let object) = other, !(object is NDArray) { return nil }
    // A NumPy scalar leaves `*` with a sequence to the sequence: an integer repeats it (it is
    // an index), anything else is CPython's TypeError.
    if op == .multiply, isScalar {
      switch other {
      case .list, .tuple, .string:
        guard value.dtype.isInteger else {
          throw .typeError("can't multiply sequence by non-int of type '\(typeName)'")
        }
        return try PyValue.binary(.multiply, other, .int(value.integers[0]), context: context)
      default: break
      }
    }
    guard let otherTensor = try Conversion.numpyOperand(other) else { return nil }
    let mine = NumpyPromotion.Operand(tensor: value, pythonKind: nil)
    let (lhs, rhs) = reflected ? (otherTensor, mine) : (mine, otherTensor)
    let dtype = NumpyPromotion.resultType(lhs, rhs)
    let a = try Conversion.kernel { () throws(TensorError) in try lhs.tensor.cast(to: dtype) }
    let b = try Conversion.kernel { () throws(TensorError) in try rhs.tensor.cast(to: dtype) }
    if op != .matmul && Shape.broadcast(a.shape, b.shape) == nil {
      let shapes = [a.shape, b.shape].map { Shape.pythonTuple($0).replacingOccurrences(of: " ", with: "") }
      throw .valueError("operands could not be broadcast together with shapes \(shapes[0]) \(shapes[1]) ")
    }
    if op == .matmul {
      // Scalars do not take part in `@` at all; NumPy's gufunc errors are ValueErrors.
      if isScalar && (other.object(as: NDArray.self).map { $0.isScalar } ?? true) { return nil }
      do {
        return .object(NDArray(try NDArray.numpyMatmul(a, b)))
      } catch {
        throw .valueError(error.message)
      }
    }
    let kernel: (Tensor, Tensor) throws(TensorError) -> Tensor
    switch op {
    case .add: kernel = { a, b throws(TensorError) in try OpDefinition.addV2(a, b) }
    case .subtract: kernel = { a, b throws(TensorError) in try OpDefinition.sub(a, b) }
    case .multiply: kernel = { a, b throws(TensorError) in try OpDefinition.mul(a, b) }
    case .divide:
      let floatType: DType = dtype.isFloatingPoint ? dtype : .float64
      kernel = { a, b throws(TensorError) in
        try OpDefinition.realDiv(try a.cast(to: floatType), try b.cast(to: floatType))
      }
    case .floorDivide: kernel = { a, b throws(TensorError) in try OpDefinition.floorDiv(a, b) }
    case .matmul: kernel = { a, b throws(TensorError) in try NDArray.numpyMatmul(a, b) }
    // Comparisons run in the promoted dtype and give bool arrays, as NumPy's do.
    case .less: kernel = { a, b throws(TensorError) in try OpDefinition.less(a, b) }
    case .lessEqual: kernel = { a, b throws(TensorError) in try OpDefinition.lessEqual(a, b) }
    case .greater: kernel = { a, b throws(TensorError) in try OpDefinition.greater(a, b) }
    case .greaterEqual: kernel = { a, b throws(TensorError) in try OpDefinition.greaterEqual(a, b) }
    case .equal: kernel = { a, b throws(TensorError) in try OpDefinition.equal(a, b) }
    case .notEqual: kernel = { a, b throws(TensorError) in try OpDefinition.notEqual(a, b) }
    default: throw .unsupported("the NumPy operator '\(op.rawValue)'")
    }
    let result = try Conversion.kernel { () throws(TensorError) -> Tensor in try kernel(a, b) }
    return .object(NDArray(result))
  }
}

extension NDArray {
  /// `a @ b` as NumPy does it: a 1-D operand is a row (left) or column (right) vector whose
  /// axis is removed from the result; 0-D operands are refused.
  static func numpyMatmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    guard a.rank > 0, b.rank > 0 else {
      throw .invalidArgument(
        "matmul: Input operand \(a.rank == 0 ? 0 : 1) does not have enough dimensions (has 0, gufunc core with "
          + "signature (n?,k),(k,m?)->(n?,m?) requires 1)"
      )
    }
    let left = a.rank == 1 ? a.reshaped(to: [1] + a.shape) : a
    let right = b.rank == 1 ? b.reshaped(to: b.shape + [1]) : b
    let (inner, other) = (left.shape[left.rank - 1], right.shape[right.rank - 2])
    guard inner == other else {
      throw .invalidArgument(
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) "
          + "(size \(other) is different from \(inner))"
      )
    }
    let product = try left.matmul(right)
    var shape = product.shape
    if b.rank == 1 { shape.removeLast() }
    if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
    return product.reshaped(to: shape)
  }
}

/// NumPy 2's dtype promotion for the dtypes Lockstep has (NEP 50: Python scalars are weak).
enum NumpyPromotion {
  /// An operand with whether it came from a Python scalar literal.
  struct Operand {
    let tensor: Tensor
    let pythonKind: DType?
  }

  static func resultType(_ a: Operand, _ b: Operand) -> DType {
    if let kind = a.pythonKind { return weak(kind, against: b.tensor.dtype) }
    if let kind = b.pythonKind { return weak(kind, against: a.tensor.dtype) }
    return strong(a.tensor.dtype, b.tensor.dtype)
  }

  private static func weak(_ kind: DType, against dtype: DType) -> DType {
    switch (kind, dtype) {
    case (.float64, _) where !dtype.isFloatingPoint: return .float64
    case (.int64, .bool): return .int64
    default: return dtype
    }
  }

  private static func strong(_ a: DType, _ b: DType) -> DType {
    if a == b { return a }
    let order: [DType] = [.bool, .int32, .int64, .float32, .float64]
    let (low, high) = order.firstIndex(of: a)! < order.firstIndex(of: b)! ? (a, b) : (b, a)
    if high == .float32 && low.isInteger { return .float64 }
    return high
  }
}

extension PyValue {
  /// Whether this is a Python int, float or bool (NumPy and TF treat these as weakly typed).
  var isPythonScalar: Bool {
    switch self {
    case .int, .float, .bool: true
    default: false
    }
  }
}

extension Tensor {
  /// `float(x)` of a 0-dimensional array or tensor (NumPy 2.4 refuses any other).
  func pythonFloat() throws(RuntimeError) -> Double {
    guard rank == 0 else { throw .typeError("only 0-dimensional arrays can be converted to Python scalars") }
    return doubles[0]
  }

  /// `bool(x)`: only one-element values have a truth value.
  func pythonTruth() throws(RuntimeError) -> Bool {
    guard scalarCount == 1 else {
      throw .valueError("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
    }
    return doubles[0] != 0
  }

  /// `len(x)`: the size of the first dimension.
  func pythonLength() throws(RuntimeError) -> Int {
    guard let first = shape.first else { throw .typeError("len() of unsized object") }
    return first
  }
}
