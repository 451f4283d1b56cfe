extension Tensor {
  /// The elements converted to `target`, as TensorFlow's `Cast` converts them: floats to
  /// integers truncate toward zero (NaN and out-of-range as x86 converts them), anything
  /// to bool is `!= 0`, bool to numbers is 0 or 1, half types round to nearest even.
  public func cast(to target: DType) throws(TensorError) -> Tensor {
    if target == dtype { return self }
    guard dtype != .string, target != .string else {
      throw .invalidArgument("Cast string to \(target.name) is not supported")
    }
    switch dtype {
    case .float16: return try cast(from: Float16.self, to: target)
    case .bfloat16: return try cast(from: BFloat16.self, to: target)
    case .float32: return try cast(from: Float.self, to: target)
    case .float64: return try cast(from: Double.self, to: target)
    case .int8: return try cast(from: Int8.self, to: target)
    case .int16: return try cast(from: Int16.self, to: target)
    case .int32: return try cast(from: Int32.self, to: target)
    case .int64: return try cast(from: Int64.self, to: target)
    case .uint8: return try cast(from: UInt8.self, to: target)
    case .uint16: return try cast(from: UInt16.self, to: target)
    case .bool: return try cast(from: Bool.self, to: target)
    case .string: preconditionFailure("checked above")
    }
  }

  private func cast<S: TensorElement>(from source: S.Type, to target: DType) throws(TensorError) -> Tensor {
    switch target {
    case .float16: return try castFloat(S.self, Float16.self)
    case .bfloat16: return try castFloat(S.self, BFloat16.self)
    case .float32: return try castFloat(S.self, Float.self)
    case .float64: return try Elementwise.map(self, ToDouble<S>.self)
    case .int8: return try castInteger(S.self, Int8.self)
    case .int16: return try castInteger(S.self, Int16.self)
    case .int32: return try castInteger(S.self, Int32.self)
    case .int64: return try castInteger(S.self, Int64.self)
    case .uint8: return try castInteger(S.self, UInt8.self)
    case .uint16: return try castInteger(S.self, UInt16.self)
    case .bool: return try Elementwise.map(self, ToBool<S>.self)
    case .string: preconditionFailure("checked by cast(to:)")
    }
  }

  /// To float32, half or bfloat16: rounded once to float, then (half types) to the target,
  /// as Eigen converts.
  private func castFloat<S: TensorElement, F: FloatingElement>(_ source: S.Type, _ target: F.Type) throws(TensorError)
    -> Tensor
  {
    try Elementwise.map(self, ToFloat<S, F>.self)
  }

  /// To an integer type: integers wrap (keep the low bits), floats truncate.
  private func castInteger<S: TensorElement, I: IntegerElement>(_ source: S.Type, _ target: I.Type) throws(TensorError)
    -> Tensor
  {
    if S.dtype.isFloatingPoint {
      return try Elementwise.map(self, FloatToInteger<S, I>.self)
    }
    return try Elementwise.map(self, IntegerToInteger<S, I>.self)
  }
}

/// Exactly, to float64.
private enum ToDouble<S: TensorElement>: UnaryElementFunction {
  static func apply(_ x: S) -> Double { x.doubleValue }
}

/// `x != 0`.
private enum ToBool<S: TensorElement>: UnaryElementFunction {
  static func apply(_ x: S) -> Bool { x.doubleValue != 0 }
}

/// Rounded once to float, then to the target (a half type), as Eigen converts.
private enum ToFloat<S: TensorElement, F: FloatingElement>: UnaryElementFunction {
  static func apply(_ x: S) -> F { F(computed: F.Compute(x.floatValue)) }
}

/// Truncated toward zero, as x86 converts (see `IntegerElement.init(castingFrom:)`).
private enum FloatToInteger<S: TensorElement, I: IntegerElement>: UnaryElementFunction {
  static func apply(_ x: S) -> I { I(castingFrom: x.doubleValue) }
}

/// The low bits, as C converts between integer types.
private enum IntegerToInteger<S: TensorElement, I: IntegerElement>: UnaryElementFunction {
  static func apply(_ x: S) -> I { I(truncatingIfNeeded: x.int64Value) }
}
