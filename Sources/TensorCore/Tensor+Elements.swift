extension Tensor {
  /// The Swift type this tensor's elements are stored as (not for strings).
  public var elementType: any TensorElement.Type { dtype.elementType }

  /// The element at a flat offset widened to Double (for printing and single elements, not
  /// for kernels).
  public func doubleValue(at offset: Int) -> Double {
    func read<T: TensorElement>(_ type: T.Type) -> Double { buffer.pointer(as: T.self)[offset].doubleValue }
    return read(elementType)
  }

  /// The element at a flat offset as int64, as a C cast converts it.
  public func int64Value(at offset: Int) -> Int64 {
    func read<T: TensorElement>(_ type: T.Type) -> Int64 { buffer.pointer(as: T.self)[offset].int64Value }
    return read(elementType)
  }

  /// Every element as int64, as a C cast converts it.
  public var int64s: [Int64] {
    func read<T: TensorElement>(_ type: T.Type) -> [Int64] {
      withUnsafeBufferPointer(as: T.self) { $0.map { $0.int64Value } }
    }
    // Shapes, axes and indices are int32 or int64: those read without opening the type.
    switch dtype {
    case .int32: return read(Int32.self)
    case .int64: return read(Int64.self)
    default: return read(elementType)
    }
  }
}

extension DType {
  /// The Swift type a tensor of this dtype stores its elements as (not for strings): the one
  /// mapping cold paths open generically; kernels specialise through `NumericKernel`.
  public var elementType: any TensorElement.Type {
    switch self {
    case .float16: Float16.self
    case .bfloat16: BFloat16.self
    case .float32: Float.self
    case .float64: Double.self
    case .int8: Int8.self
    case .int16: Int16.self
    case .int32: Int32.self
    case .int64: Int64.self
    case .uint8: UInt8.self
    case .uint16: UInt16.self
    case .bool: Bool.self
    case .string: preconditionFailure("string tensors have no numeric element type")
    }
  }
}
