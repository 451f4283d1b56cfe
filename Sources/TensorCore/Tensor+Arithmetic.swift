import RealModule

/// The element-wise binary ops, named as TensorFlow's kernels are named.
public enum BinaryOp: String, Sendable, CaseIterable {
  case add = "AddV2"
  case subtract = "Sub"
  case multiply = "Mul"
  case realDivide = "RealDiv"
  case floorDivide = "FloorDiv"
  case maximum = "Maximum"
  case minimum = "Minimum"

  /// The TensorFlow op name used in error messages.
  public var opName: String { rawValue }
}

/// The element-wise unary ops.
public enum UnaryOp: String, Sendable, CaseIterable {
  case negate = "Neg"
  case abs = "Abs"
  case log = "Log"
  case exp = "Exp"

  /// The TensorFlow op name used in error messages.
  public var opName: String { rawValue }
}

extension Tensor {
  /// Applies a binary op with broadcasting. Both operands must share a dtype: TensorFlow
  /// never promotes between tensor dtypes.
  public func applying(_ op: BinaryOp, _ other: Tensor) throws(TensorError) -> Tensor {
    guard dtype == other.dtype else {
      throw .dtypeMismatch(op: op.opName, expected: dtype, actual: other.dtype, inputIndex: 1)
    }
    guard let outShape = Shape.broadcast(shape, other.shape) else {
      throw .incompatibleShapes(op: op.opName, lhs: shape, rhs: other.shape)
    }
    func run<T>(_ a: [T], _ b: [T], _ f: (T, T) -> T) -> [T] {
      Broadcasting.apply(a, shape, b, other.shape, outShape: outShape, f)
    }
    let result: TensorStorage
    switch (storage, other.storage) {
    case let (.float32(a), .float32(b)): result = .float32(run(a, b, Self.floatKernel(op)))
    case let (.float64(a), .float64(b)): result = .float64(run(a, b, Self.floatKernel(op)))
    case let (.int32(a), .int32(b)): result = .int32(try Self.integerRun(op, a, b, run))
    case let (.int64(a), .int64(b)): result = .int64(try Self.integerRun(op, a, b, run))
    case (.bool, .bool):
      throw .unsupportedDType(op: op.opName, dtype: .bool)
    default:
      preconditionFailure("dtypes were checked equal")
    }
    return Tensor(shape: outShape, storage: result)
  }

  /// Applies a unary op element-wise.
  public func applying(_ op: UnaryOp) throws(TensorError) -> Tensor {
    func float<T: BinaryFloatingPoint & ElementaryFunctions>(_ values: [T]) -> [T] {
      switch op {
      case .negate: values.map { -$0 }
      case .abs: values.map { Swift.abs($0) }
      case .log: values.map { T.log($0) }
      case .exp: values.map { T.exp($0) }
      }
    }
    // Integers wrap like TensorFlow's kernels: -INT_MIN stays INT_MIN.
    func integer<T: FixedWidthInteger & SignedInteger>(_ values: [T]) throws(TensorError) -> [T] {
      switch op {
      case .negate: return values.map { 0 &- $0 }
      case .abs: return values.map { $0 < 0 ? 0 &- $0 : $0 }
      case .log, .exp: throw .unsupportedDType(op: op.opName, dtype: dtype)
      }
    }
    switch storage {
    case let .float32(v): return Tensor(shape: shape, storage: .float32(float(v)))
    case let .float64(v): return Tensor(shape: shape, storage: .float64(float(v)))
    case let .int32(v): return Tensor(shape: shape, storage: .int32(try integer(v)))
    case let .int64(v): return Tensor(shape: shape, storage: .int64(try integer(v)))
    case .bool: throw .unsupportedDType(op: op.opName, dtype: .bool)
    }
  }

  private static func floatKernel<T: BinaryFloatingPoint>(_ op: BinaryOp) -> (T, T) -> T {
    switch op {
    case .add: return { $0 + $1 }
    case .subtract: return { $0 - $1 }
    case .multiply: return { $0 * $1 }
    case .realDivide: return { $0 / $1 }
    case .floorDivide: return { ($0 / $1).rounded(.down) }
    // TensorFlow's Maximum/Minimum propagate NaN.
    case .maximum: return { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
    case .minimum: return { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
    }
  }

  private static func integerRun<T: FixedWidthInteger & SignedInteger>(
    _ op: BinaryOp, _ a: [T], _ b: [T], _ run: ([T], [T], (T, T) -> T) -> [T]
  ) throws(TensorError) -> [T] {
    switch op {
    case .add: return run(a, b, &+)
    case .subtract: return run(a, b, &-)
    case .multiply: return run(a, b, &*)
    case .maximum: return run(a, b, Swift.max)
    case .minimum: return run(a, b, Swift.min)
    case .realDivide:
      throw .unsupportedDType(op: op.opName, dtype: T.bitWidth == 32 ? .int32 : .int64)
    case .floorDivide:
      if b.contains(0) { throw .invalidArgument("Integer division by zero") }
      return run(a, b) { x, y in
        // MIN // -1 wraps to MIN rather than trapping.
        if x == T.min && y == -1 { return T.min }
        let (q, r) = x.quotientAndRemainder(dividingBy: y)
        return (r != 0 && ((r < 0) != (y < 0))) ? q - 1 : q
      }
    }
  }
}
