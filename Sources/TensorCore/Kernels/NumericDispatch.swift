/// A kernel body written once for floats and once for integers, which `dispatch(on:op:)`
/// calls with the element type of a dtype — the one switch from dtype to Swift type that
/// every numeric kernel shares, specialised per type by the compiler.
public protocol NumericKernel {
  /// What the kernel returns.
  associatedtype Result
  /// The body for float16, bfloat16, float32 and float64.
  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Result
  /// The body for the signed and unsigned integers.
  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Result
}

extension NumericKernel {
  /// Runs the body for `dtype`'s element type; bool and string tensors are refused as TF's
  /// kernels refuse them (`Could not find device for node … = op[T=DT_BOOL]`).
  @inlinable @inline(__always)
  public func dispatch(on dtype: DType, op: String) throws(TensorError) -> Result {
    switch dtype {
    case .float16: try floating(Float16.self)
    case .bfloat16: try floating(BFloat16.self)
    case .float32: try floating(Float.self)
    case .float64: try floating(Double.self)
    case .int8: try integer(Int8.self)
    case .int16: try integer(Int16.self)
    case .int32: try integer(Int32.self)
    case .int64: try integer(Int64.self)
    case .uint8: try integer(UInt8.self)
    case .uint16: try integer(UInt16.self)
    case .bool, .string: throw .unsupportedDType(op: op, dtype: dtype)
    }
  }
}
