import Operations
import PythonRuntime
import TensorCore

/// Turning Python values into tensors and back, with TensorFlow's and NumPy's rules.
enum Conversion {
  /// Runs a kernel, turning its failure into the error TF raises eagerly (`InvalidArgumentError`
  /// for most).
  static func kernel<T>(_ body: () throws(TensorError) -> T) throws(RuntimeError) -> T {
    do {
      return try body()
    } catch {
      throw limitError(error) ?? .exception(exceptionType(error), error.message)
    }
  }

  /// The `tf.errors` class TensorFlow raises for a kernel failure: `UnimplementedError` for a
  /// valid request its kernel does not implement, `InvalidArgumentError` for the rest.
  static func exceptionType(_ error: TensorError) -> String {
    if case .unimplemented = error { return "UnimplementedError" }
    return "InvalidArgumentError"
  }

  /// Lockstep's own limits among kernel failures (the memory budget, a missing backend, a
  /// case its kernels do not model), which are never Python exceptions.
  static func limitError(_ error: TensorError) -> RuntimeError? {
    switch error {
    case let .limitExceeded(message), let .backendUnavailable(message): RuntimeError(.limitExceeded(message))
    case let .unsupported(feature): .unsupported(feature)
    default: nil
    }
  }

  /// A nested Python list of numbers, its shape and the kind of its elements.
  struct Literal {
    var values: [Double]
    var shape: [Int]
    /// The widest element kind seen: bool < int < float.
    var kind: DType
  }

  /// Flattens nested lists/tuples of Python numbers; nil when the value is not such a literal.
  static func literal(_ value: PyValue) throws(RuntimeError) -> Literal? {
    switch value {
    case let .bool(b): return Literal(values: [b ? 1 : 0], shape: [], kind: .bool)
    case let .int(i): return Literal(values: [Double(i)], shape: [], kind: .int64)
    case let .float(f): return Literal(values: [f], shape: [], kind: .float64)
    case let .object(array as NDArray):
      return Literal(values: array.value.doubles, shape: array.value.shape, kind: array.value.dtype)
    case .list, .tuple, .object(is PyRange):
      let items: [PyValue]
      if case let .list(list) = value {
        items = list.items
      } else if case let .tuple(t) = value {
        items = t
      } else if let range = value.object(as: PyRange.self) {
        guard range.count <= TFRuntime.maxElements else {
          throw RuntimeError(
            .limitExceeded("a range of more than \(TFRuntime.maxElements) numbers exceeds Lockstep's tensor size limit")
          )
        }
        items = (0..<range.count).map { .int(range.element($0)) }
      } else {
        items = []
      }
      var parts: [Literal] = []
      for item in items {
        guard let part = try literal(item) else { return nil }
        if parts.isEmpty {
          let (total, overflow) = items.count.multipliedReportingOverflow(by: max(part.values.count, 1))
          if overflow || total > TFRuntime.maxElements {
            throw RuntimeError(
              .limitExceeded(
                "a nested list of more than \(TFRuntime.maxElements) numbers exceeds Lockstep's tensor size limit"))
          }
        }
        parts.append(part)
      }
      guard let first = parts.first else { return Literal(values: [], shape: [0], kind: .float64) }
      for part in parts where part.shape != first.shape {
        throw .valueError("Can't convert non-rectangular Python sequence to Tensor.")
      }
      let order: [DType] = [.bool, .int32, .int64, .float32, .float64]
      let kind = parts.map(\.kind).max { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }!
      return Literal(values: parts.flatMap(\.values), shape: [parts.count] + first.shape, kind: kind)
    default:
      return nil
    }
  }

  /// `tf.convert_to_tensor` of a non-tensor Python value: floats become float32, ints int32
  /// (int64 when too large), NumPy arrays keep their dtype unless `dtype` is given.
  static func tensor(from value: PyValue, dtype hint: DType?) throws(RuntimeError) -> Tensor {
    if case let .object(array as NDArray) = value {
      guard let hint else { return array.value }
      return try kernel { () throws(TensorError) in try array.value.cast(to: hint) }
    }
    // A Python float or int: the common `0.01 * g`, without the nested-literal walk below
    // (same dtypes and errors).
    switch value {
    case let .float(x) where hint?.isFloatingPoint ?? true:
      return Tensor(doubles: [x], shape: [], dtype: hint ?? DType.defaultFloat)
    case let .int(i) where Int(Int32.min)...Int(Int32.max) ~= i && hint != .bool:
      return Tensor(doubles: [Double(i)], shape: [], dtype: hint ?? DType.defaultInt)
    default: break
    }
    // Element types are checked before the nesting is: a float in a list bound for int32 is
    // reported even when the list is ragged.
    if let hint, containsIncompatibleLeaf(value, hint) {
      throw .typeError("Cannot convert \(value.repr) to EagerTensor of dtype \(hint.name)")
    }
    guard let literal = try literal(value) else {
      if case .string = value { throw .unsupported("tf.string tensors") }
      throw .valueError(
        "Attempt to convert a value (\(value.repr)) with an unsupported type (<class '\(value.typeName)'>) to a Tensor."
      )
    }
    let natural: DType
    switch literal.kind {
    case .float32, .float64: natural = DType.defaultFloat
    case .int32, .int64:
      natural = literal.values.allSatisfy { $0 >= -2_147_483_648 && $0 <= 2_147_483_647 } ? DType.defaultInt : .int64
    default: natural = literal.kind
    }
    guard let target = hint else { return Tensor(doubles: literal.values, shape: literal.shape, dtype: natural) }
    // TF refuses to narrow a float literal to an integer dtype, or an int literal to bool;
    // Python bools are ints, so they convert to any dtype.
    let compatible: Bool
    switch (literal.kind, target) {
    case _ where literal.values.isEmpty: compatible = true
    case (.float32, _), (.float64, _): compatible = target.isFloatingPoint
    case (.bool, _): compatible = true
    default: compatible = target != .bool
    }
    guard compatible else {
      throw .typeError("Cannot convert \(value.repr) to EagerTensor of dtype \(target.name)")
    }
    return Tensor(doubles: literal.values, shape: literal.shape, dtype: target)
  }

  /// Whether a nested literal holds a Python number that cannot become `dtype` (a float for
  /// an integer or bool dtype, an int for bool).
  static func containsIncompatibleLeaf(_ value: PyValue, _ dtype: DType) -> Bool {
    switch value {
    case .float: return !dtype.isFloatingPoint
    case .int: return dtype == .bool
    case let .list(list): return list.items.contains { containsIncompatibleLeaf($0, dtype) }
    case let .tuple(items): return items.contains { containsIncompatibleLeaf($0, dtype) }
    default: return false
    }
  }

  /// `np.array(value, dtype)`: ints become int64 and floats float64 unless `dtype` is given.
  static func numpyArray(_ value: PyValue, dtype: DType?) throws(RuntimeError) -> Tensor {
    if case let .object(array as NDArray) = value {
      guard let dtype else { return array.value }
      return try kernel { () throws(TensorError) in try array.value.cast(to: dtype) }
    }
    if let tensor = value.object(as: TensorValue.self) {
      guard let concrete = tensor.eagerValue else { throw symbolicArrayError(tensor) }
      guard let dtype else { return concrete }
      return try kernel { () throws(TensorError) in try concrete.cast(to: dtype) }
    }
    let parsed: Literal?
    do {
      parsed = try literal(value)
    } catch  where error.typeName == "ValueError" {
      // NumPy words a ragged list by the shape it detected before the nesting broke.
      let detected = raggedPrefix(value)
      throw .valueError(
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after "
          + "\(detected.count) dimensions. The detected shape was \(Shape.pythonTuple(detected)) + inhomogeneous part."
      )
    }
    guard let literal = parsed else {
      throw .unsupported("numpy arrays of '\(value.typeName)' values")
    }
    return Tensor(doubles: literal.values, shape: literal.shape, dtype: dtype ?? literal.kind)
  }

  /// The dimensions of a nested list that are regular before it becomes ragged.
  static func raggedPrefix(_ value: PyValue) -> [Int] {
    func children(_ value: PyValue) -> [PyValue]? {
      switch value {
      case let .list(list): list.items
      case let .tuple(items): items
      default: nil
      }
    }
    var level = [value]
    var shape: [Int] = []
    while true {
      let lists = level.compactMap(children)
      guard lists.count == level.count, let first = lists.first, lists.allSatisfy({ $0.count == first.count }) else {
        return shape
      }
      shape.append(first.count)
      level = lists.flatMap { $0 }
    }
  }

  /// An operand of NumPy arithmetic: an array, or a Python scalar with its weak kind.
  static func numpyOperand(_ value: PyValue) throws(RuntimeError) -> NumpyPromotion.Operand? {
    switch value {
    case let .object(array as NDArray): return NumpyPromotion.Operand(tensor: array.value, pythonKind: nil)
    case .int, .float, .bool:
      let literal = try literal(value)!
      return NumpyPromotion.Operand(
        tensor: Tensor(doubles: literal.values, shape: [], dtype: literal.kind), pythonKind: literal.kind)
    case .list, .tuple:
      return NumpyPromotion.Operand(tensor: try numpyArray(value, dtype: nil), pythonKind: nil)
    default: return nil
    }
  }

  /// `array.tolist()`: nested Python lists of Python scalars.
  static func pythonList(_ tensor: Tensor) throws(RuntimeError) -> PyValue {
    guard tensor.rank > 0 else { return pythonScalar(tensor, at: 0) }
    var items: [PyValue] = []
    for row in try Indexing.rows(of: tensor) { items.append(try pythonList(row)) }
    return .list(PyList(items))
  }

  /// The element at a flat offset as a Python scalar.
  static func pythonScalar(_ tensor: Tensor, at offset: Int) -> PyValue {
    switch tensor.dtype {
    case .bool: .bool(tensor.int64Value(at: offset) != 0)
    case .string: .string(tensor.strings[offset])
    case let dtype where dtype.isFloatingPoint: .float(tensor.doubleValue(at: offset))
    default: .int(Int(tensor.int64Value(at: offset)))
    }
  }
}

/// NumPy's refusal to turn a graph tensor into an array.
func symbolicArrayError(_ tensor: any TensorValue) -> RuntimeError {
  let name =
    (try? tensor.operand()).flatMap { operand -> String? in
      if case let .graph(node) = operand { return node.name }
      return nil
    } ?? "?"
  return .exception(
    "NotImplementedError",
    "Cannot convert a symbolic tf.Tensor (\(name):0) to a numpy array. This error may indicate that you're trying to "
      + "pass a Tensor to a NumPy call, which is not supported."
  )
}

/// Reading `x[…]` subscripts into index components.
enum Indexing {
  /// The sub-tensors along the first axis.
  static func rows(of tensor: Tensor) throws(RuntimeError) -> [Tensor] {
    try Conversion.kernel { () throws(TensorError) in try tensor.rows() }
  }

  /// How a value being indexed reports misuse: NumPy arrays and scalars, or TF tensors.
  enum Indexed {
    case numpyArray, numpyScalar, tensor
  }

  /// `tensor[index]` for ints, slices and tuples of them, raising NumPy's or TF's error for
  /// an index out of range or too many indices.
  static func select(_ tensor: Tensor, _ index: PyValue, as kind: Indexed = .numpyArray) throws(RuntimeError) -> Tensor
  {
    let parts: [PyValue]
    if case let .tuple(items) = index { parts = items } else { parts = [index] }
    if parts.count > tensor.rank {
      switch kind {
      case .tensor where tensor.rank == 0:
        throw .exception(
          "InvalidArgumentError", "Attempting to slice scalar input. [Op:StridedSlice] name: strided_slice/")
      case .tensor:
        throw .exception(
          "InvalidArgumentError",
          "Index out of range using input dim \(tensor.rank); input has only \(tensor.rank) dims [Op:StridedSlice] "
            + "name: strided_slice/"
        )
      case .numpyScalar:
        throw .exception("IndexError", "invalid index to scalar variable.")
      case .numpyArray:
        throw .exception(
          "IndexError",
          "too many indices for array: array is \(tensor.rank)-dimensional, but \(parts.count) were indexed")
      }
    }
    var components: [IndexComponent] = []
    for part in parts {
      switch part {
      case let .int(i): components.append(.position(i))
      case let .object(slice as PySlice):
        func bound(_ value: PyValue) throws(RuntimeError) -> Int? {
          switch value {
          case .none: return nil
          case let .int(i): return i
          default: throw .typeError("slice indices must be integers or None")
          }
        }
        components.append(
          .range(start: try bound(slice.lower), end: try bound(slice.upper), step: try bound(slice.step) ?? 1))
      case .none: throw .unsupported("indexing with None (tf.newaxis)")
      default: throw .unsupported("indexing with '\(part.typeName)' values (only ints and slices)")
      }
    }
    for (axis, component) in components.enumerated() where axis < tensor.rank {
      guard case let .position(position) = component else { continue }
      let size = tensor.shape[axis]
      if position >= size || position < -size {
        throw kind == .tensor
          ? .exception(
            "InvalidArgumentError",
            "slice index \(position) of dimension \(axis) out of bounds. [Op:StridedSlice] name: strided_slice/")
          : .exception("IndexError", "index \(position) is out of bounds for axis \(axis) with size \(size)")
      }
    }
    return try Conversion.kernel { () throws(TensorError) in try tensor.indexed(components) }
  }
}

extension Tensor {
  /// The elements of an integer or bool tensor as Swift Ints, exactly. Callers check the
  /// dtype first.
  var integers: [Int] {
    precondition(!dtype.isFloatingPoint && dtype != .string, "integers of a \(dtype.name) tensor")
    return int64s.map { Int($0) }
  }
}
