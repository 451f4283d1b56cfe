import Operations
import PythonRuntime
import TensorCore

/// How an API converts the Python values among its two inputs. TensorFlow is not uniform,
/// and the difference decides whether a mixed-dtype call raises `TypeError` before running
/// or `InvalidArgumentError` from the kernel.
enum InputConversion {
  /// `x = convert_to_tensor(x)`, then `y` with `dtype_hint=x.dtype`, falling back to `y`'s
  /// own dtype (`tf.add`, `+`, `tf.matmul`, `@`, `tf.divide`, `/`).
  case hinted
  /// A generated op whose inputs share one type attribute: literals are converted strictly
  /// to it (`tf.multiply`, `tf.subtract`, `tf.maximum`, `-`, `*`, `//`).
  case sharedType
}

extension TFRuntime {
  /// Converts two op inputs under `rule`, for `graph` (nil: eager).
  func convertInputs(
    _ x: PyValue, _ y: PyValue, rule: InputConversion, opName: String, graph: Graph?, scope: String,
    parameters: (String, String) = ("x", "y")
  ) throws(RuntimeError) -> (Operand, Operand) {
    let (xName, yName) = (
      constantName(scope, parameters.0, graph: graph), constantName(scope, parameters.1, graph: graph)
    )
    switch rule {
    case .hinted:
      let a = try operand(x, dtype: nil, graph: graph, constName: xName)
      return (a, try softly(y, hint: a.spec.dtype, graph: graph, constName: yName))
    case .sharedType:
      guard let graph else { return try sharedTypeEagerly(x, y, opName: opName) }
      // A graph op takes the type from its first input, converting a literal there with its
      // default dtype, and requires the rest to match.
      let a = try strictly(
        x, to: x.tensorDType, parameter: parameters.0, opName: opName, graph: graph, constName: xName)
      // The op builder checks the type attribute as soon as the first input sets it.
      if let constraint = OpRegistry.definition(named: opName)?.signature.typeConstraints.first,
        !constraint.allows(a.spec.dtype)
      {
        throw .typeError(constraint.graphMessage(a.spec.dtype))
      }
      let b = try strictly(y, to: a.spec.dtype, parameter: parameters.1, opName: opName, graph: graph, constName: yName)
      return (a, b)
    }
  }

  /// Eager conversion for a generated op, as TF's C++ fast path does it when every input is
  /// a tensor, variable, ndarray or Python number (the type then comes from the first tensor
  /// or variable), and as its Python fallback does otherwise (from the first eager tensor
  /// only, else from the first input, converting the rest strictly).
  private func sharedTypeEagerly(_ x: PyValue, _ y: PyValue, opName: String) throws(RuntimeError) -> (Operand, Operand)
  {
    let fastPath = x.isFastPathInput && y.isFastPathInput
    /// Whether `value` sets the type: an eager tensor, or on the fast path a variable too.
    func typed(_ value: PyValue) -> Bool {
      value.object(as: EagerTensor.self) != nil || (fastPath && value.object(as: EagerVariable.self) != nil)
    }
    let dtype = typed(x) ? x.tensorDType : typed(y) ? y.tensorDType : nil
    guard let dtype else {
      let first = try operand(x, dtype: nil, graph: nil)
      return (first, try convertEagerly(y, to: first.spec.dtype, fastPath: fastPath))
    }
    return (try convertEagerly(x, to: dtype, fastPath: fastPath), try convertEagerly(y, to: dtype, fastPath: fastPath))
  }

  /// One eager input converted to the op's type: tensors and variables must already have it
  /// (the fast path leaves the mismatch to the kernel), other values are converted.
  private func convertEagerly(_ value: PyValue, to dtype: DType, fastPath: Bool) throws(RuntimeError) -> Operand {
    if let tensor = value.object(as: TensorValue.self) {
      let operand = try tensor.operand()
      guard !fastPath, tensor.spec.dtype != dtype else { return operand }
      if tensor is EagerVariable {
        throw .valueError(
          "Incompatible type conversion requested to type \(dtype.name) for `tf.Variable of type "
            + "\(tensor.spec.dtype.name). (Variable: \(tensor.repr()))"
        )
      }
      throw .valueError(
        "Tensor conversion requested dtype \(dtype.name) for Tensor with dtype \(tensor.spec.dtype.name): "
          + "\(tensor.repr())"
      )
    }
    return try operand(value, dtype: dtype, graph: nil)
  }

  /// `convert_to_tensor(value, dtype_hint=hint)`: the hint when the value fits it, else the
  /// value's own dtype.
  private func softly(_ value: PyValue, hint: DType, graph: Graph?, constName: String) throws(RuntimeError) -> Operand {
    do {
      return try operand(value, dtype: hint, graph: graph, constName: constName)
    } catch  where error.typeName == "TypeError" {
      return try operand(value, dtype: nil, graph: graph, constName: constName)
    }
  }

  /// Converts a literal to exactly `dtype` (tensors pass unchanged), with the message the
  /// eager fast path or the graph's op builder gives when it cannot.
  private func strictly(
    _ value: PyValue, to dtype: DType?, parameter: String, opName: String, graph: Graph?, constName: String
  ) throws(RuntimeError) -> Operand {
    guard let dtype, value.tensorDType == nil else {
      return try operand(value, dtype: dtype, graph: graph, constName: constName)
    }
    do {
      return try operand(value, dtype: dtype, graph: graph, constName: constName)
    } catch  where error.typeName == "TypeError" && graph != nil {
      throw .typeError(
        "Expected \(dtype.name) passed to parameter '\(parameter)' of op '\(opName)', got \(value.repr) of type "
          + "'\(value.typeName)' instead. Error: \(Self.expectedMessage(value, dtype))"
      )
    }
  }

  /// The literal partner of a reflected operator (`0.5 * x`), converted strictly to the
  /// tensor's dtype as TF's `r_binary_op_wrapper` does, as a tensor value.
  func reflectedOperand(_ value: PyValue, like tensor: any TensorValue, scope: String) throws(RuntimeError) -> PyValue {
    guard value.tensorDType == nil else { return value }
    let dtype = tensor.spec.dtype
    let graph = try graphFor([.object(tensor)])
    let converted: Operand
    do {
      converted = try operand(value, dtype: dtype, graph: graph, constName: constantName(scope, "x", graph: graph))
    } catch  where error.typeName == "TypeError" && graph != nil {
      throw .typeError(Self.expectedMessage(value, dtype))
    }
    switch converted {
    case let .eager(t): return .object(EagerTensor(t, runtime: self))
    case let .graph(node): return .object(node)
    }
  }

  /// `Expected int32, but got 0.5 of type 'float'.`, naming the first element that does not fit.
  static func expectedMessage(_ value: PyValue, _ dtype: DType) -> String {
    func offending(_ value: PyValue) -> PyValue? {
      switch value {
      case .float: return dtype.isFloatingPoint ? nil : value
      case .int: return dtype == .bool ? value : nil
      case .bool: return dtype == .bool ? nil : value
      case let .list(list): return list.items.lazy.compactMap(offending).first
      case let .tuple(items): return items.lazy.compactMap(offending).first
      default: return value
      }
    }
    let leaf = offending(value) ?? value
    return "Expected \(dtype.name), but got \(leaf.repr) of type '\(leaf.typeName)'."
  }
}

extension PyValue {
  /// The dtype when this is a tensor, variable or graph tensor; nil for Python values.
  var tensorDType: DType? { object(as: TensorValue.self)?.spec.dtype }

  /// Whether TF's C++ eager fast path takes this input as it is: an eager tensor or variable,
  /// an ndarray, or a Python number (NumPy scalars other than float64, and lists, are not).
  var isFastPathInput: Bool {
    switch self {
    case .int, .float, .bool: return true
    case let .object(object):
      if object is EagerTensor || object is EagerVariable { return true }
      if let array = object as? NDArray {
        return array.value.rank > 0 || array.isZeroDimensionalArray || array.value.dtype == .float64
      }
      return false
    default: return false
    }
  }
}
