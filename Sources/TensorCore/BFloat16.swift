/// Google's brain floating point: float32's exponent with a 7-bit mantissa, as TensorFlow
/// (Eigen's `bfloat16`) stores and rounds it.
public struct BFloat16: Sendable, Hashable {
  /// The 16 stored bits: float32's upper half.
  public var bitPattern: UInt16

  /// The value with these bits.
  public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

  /// `value` rounded to nearest, ties to even, as Eigen's `float_to_bfloat16_rtne`; NaN stays
  /// a quiet NaN with its sign.
  public init(_ value: Float) {
    let bits = value.bitPattern
    if value.isNaN {
      bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
      return
    }
    let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
    bitPattern = UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
  }

  /// The exact float32 value.
  public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

}
