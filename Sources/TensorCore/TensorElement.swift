import RealModule

/// A Swift type that a tensor of one dtype stores its elements as.
///
/// Kernels are written once, generically over this protocol (or over `FloatingElement` /
/// `IntegerElement`), and specialised per dtype by the compiler: no closure per element.
public protocol TensorElement: Sendable {
  /// The dtype whose tensors store this type.
  static var dtype: DType { get }
  /// Zero (or `false`).
  static var zero: Self { get }
  /// The value widened to Double (exact except for int64 beyond 2^53).
  var doubleValue: Double { get }
  /// The value rounded once to float32, as `static_cast<float>` converts it.
  var floatValue: Float { get }
  /// The value as int64, as a C cast converts it (floats truncate, x86's way out of range).
  var int64Value: Int64 { get }
  /// The value converted from a Double as TensorFlow's `Cast` converts (floats round to
  /// nearest; integers truncate, with NaN and out-of-range values as the CPU produces them).
  init(castingFrom value: Double)
}

/// A floating-point element type: arithmetic is done in `Compute` and rounded back, as Eigen
/// computes half and bfloat16 in float.
public protocol FloatingElement: TensorElement {
  /// The type kernels compute in (Float for half and bfloat16, Self otherwise).
  associatedtype Compute: BinaryFloatingPoint & Real & SIMDScalar & Sendable
  /// The value in the compute type.
  var computeValue: Compute { get }
  /// The value rounded from the compute type.
  init(computed value: Compute)
}

/// A fixed-width integer element type; arithmetic wraps, as TensorFlow's kernels do.
public protocol IntegerElement: TensorElement, FixedWidthInteger {}

extension Float: FloatingElement {
  public static var dtype: DType { .float32 }
  public static var zero: Float { 0 }
  public var doubleValue: Double { Double(self) }
  public var floatValue: Float { self }
  public var int64Value: Int64 { Int64(truncatingClamped: Double(self)) }
  public init(castingFrom value: Double) { self = Float(value) }
  public var computeValue: Float { self }
  public init(computed value: Float) { self = value }
}

extension Double: FloatingElement {
  public static var dtype: DType { .float64 }
  public static var zero: Double { 0 }
  public var doubleValue: Double { self }
  public var floatValue: Float { Float(self) }
  public var int64Value: Int64 { Int64(truncatingClamped: self) }
  public init(castingFrom value: Double) { self = value }
  public var computeValue: Double { self }
  public init(computed value: Double) { self = value }
}

extension Float16: FloatingElement {
  public static var dtype: DType { .float16 }
  public static var zero: Float16 { 0 }
  public var doubleValue: Double { Double(self) }
  public var floatValue: Float { Float(self) }
  public var int64Value: Int64 { Int64(truncatingClamped: Double(self)) }
  /// Through float, as Eigen's `half(double)` converts.
  public init(castingFrom value: Double) { self = Float16(Float(value)) }
  public var computeValue: Float { Float(self) }
  public init(computed value: Float) { self = Float16(value) }
}

extension BFloat16: FloatingElement {
  public static var dtype: DType { .bfloat16 }
  public static var zero: BFloat16 { BFloat16(bitPattern: 0) }
  public var doubleValue: Double { Double(floatValue) }
  public var int64Value: Int64 { Int64(truncatingClamped: Double(floatValue)) }
  /// Through float, as Eigen's `bfloat16(double)` converts.
  public init(castingFrom value: Double) { self.init(Float(value)) }
  public var computeValue: Float { floatValue }
  public init(computed value: Float) { self.init(value) }
}

extension Bool: TensorElement {
  public static var dtype: DType { .bool }
  public static var zero: Bool { false }
  public var doubleValue: Double { self ? 1 : 0 }
  public var floatValue: Float { self ? 1 : 0 }
  public var int64Value: Int64 { self ? 1 : 0 }
  public init(castingFrom value: Double) { self = value != 0 }
}

extension IntegerElement {
  public static var zero: Self { 0 }
  public var doubleValue: Double { Double(self) }
  public var floatValue: Float { Float(self) }
  public var int64Value: Int64 { Int64(truncatingIfNeeded: self) }

  /// Truncates toward zero like TensorFlow's CPU cast. int64 converts directly; narrower
  /// types go through x86's 32-bit conversion and keep its low bits (`cast(300.0, uint8)` is
  /// 44). NaN, infinities and values out of the conversion's range give its minimum
  /// (`cast(inf, int32)` is -2147483648).
  public init(castingFrom value: Double) {
    if Self.bitWidth == 64 {
      self.init(truncatingIfNeeded: Int64(truncatingClamped: value))
    } else {
      self.init(truncatingIfNeeded: Int32(truncatingClamped: value))
    }
  }
}

extension Int8: IntegerElement { public static var dtype: DType { .int8 } }
extension Int16: IntegerElement { public static var dtype: DType { .int16 } }
extension Int32: IntegerElement { public static var dtype: DType { .int32 } }
extension Int64: IntegerElement { public static var dtype: DType { .int64 } }
extension UInt8: IntegerElement { public static var dtype: DType { .uint8 } }
extension UInt16: IntegerElement { public static var dtype: DType { .uint16 } }

extension FixedWidthInteger where Self: SignedInteger {
  /// Truncates toward zero like x86's truncating conversion: NaN, infinities and values out
  /// of range become `min` (TF: `cast(inf, int32)` is -2147483648).
  init(truncatingClamped value: Double) {
    let truncated = value.rounded(.towardZero)
    if value.isNaN || truncated < Double(Self.min) || truncated >= -Double(Self.min) {
      self = .min
    } else {
      self = Self(truncated)
    }
  }
}
