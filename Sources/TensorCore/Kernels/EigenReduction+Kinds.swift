/// One dtype as TensorFlow's AVX build of Eigen sums it: how it is stored, the type it is summed
/// in, its packet (`packet_traits<T>::type`), the tree's leaf size and the full reducer's cost.
///
/// The kernels are generic over a kind and specialised per kind, so a packet is a `SIMD` value
/// and every addition is the one Eigen performs, lane for lane.
protocol EigenSumKind: SendableMetatype {
  /// The element type in memory.
  associatedtype Stored
  /// The type Eigen accumulates in: the reduction's `CoeffReturnType`.
  associatedtype Scalar: BinaryFloatingPoint & SIMDScalar & Sendable
  /// Eigen's AVX packet of `Scalar` (`Packet8f`, `Packet4d`, `Packet8h`).
  associatedtype Packet: SIMD where Packet.Scalar == Scalar

  /// `LeafSize<CoeffReturnType>()` in TensorReduction.h: the tree stops splitting at
  /// `packetSize * leafSize` elements.
  static var leafSize: Int { get }
  /// What `FullReducer<…, ThreadPoolDevice>` charges per element in its cost model.
  static var fullReducerCost: Double { get }
  /// Element `index`, widened to `Scalar` as Eigen's evaluator reads it.
  static func scalar(_ base: UnsafePointer<Stored>, _ index: Int) -> Scalar
  /// The packet of elements starting at `index` (`packet<Unaligned>`).
  static func packet(_ base: UnsafePointer<Stored>, _ index: Int) -> Packet
  /// `predux`: the sum of a packet's lanes in the order of Eigen's AVX/SSE3 shuffles.
  static func predux(_ packet: Packet) -> Scalar
  /// `static_cast<Scalar>(count)`: the divisor of a mean.
  static func divisor(_ count: Int) -> Scalar
}

extension EigenSumKind {
  /// Eigen's packet size for this kind.
  @inline(__always) static var packetSize: Int { Packet.scalarCount }
}

extension EigenReduction {
  /// `TensorCostModel::totalCost` per element: bytes loaded at 11/64 cycles each plus compute.
  static func costPerElement(bytesLoaded: Double, compute: Double) -> Double {
    let loadCycles = 1.0 / 64 * 11
    let storeCycles = 1.0 / 64 * 11
    return loadCycles * bytesLoaded + storeCycles * 0 + 1 * compute
  }

  /// `TensorCostModel::numThreads`: how many shards `FullReducer` cuts `count` elements into.
  static func fullReducerShards(count: Int, cost: Double, intraOpThreads: Int) -> Int {
    let total = Double(count) * cost
    let threads = min((total - 100_000) / 100_000 + 0.9, Double(Int32.max))
    return min(max(intraOpThreads, 1), max(1, Int(threads)))
  }

  /// `predux<Packet8f>`: `lo + hi` (AVX), then `(b0 + b2) + (b1 + b3)` (SSE3 `movehl`/`movehdup`).
  @inline(__always)
  static func predux(_ packet: SIMD8<Float>) -> Float {
    let halves = packet.lowHalf + packet.highHalf
    let pairs = halves.lowHalf + halves.highHalf
    return pairs[0] + pairs[1]
  }

  /// Rounds a float to bfloat16 bits as Eigen does: to nearest even; a NaN becomes `0x7FC0` on the
  /// packet path (`F32ToBf16`) and keeps its sign on the scalar path (`float_to_bfloat16_rtne`).
  @inline(__always)
  static func bfloat16Bits(_ value: Float, packetPath: Bool) -> UInt16 {
    if value.isNaN { return packetPath || value.sign == .plus ? 0x7FC0 : 0xFFC0 }
    let bits = value.bitPattern
    return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
  }
}

/// float32: `Packet8f`, leaves of 1024 packets.
enum FloatSum: EigenSumKind {
  typealias Stored = Float
  typealias Scalar = Float
  typealias Packet = SIMD8<Float>

  static var leafSize: Int { 1024 }
  static var fullReducerCost: Double { EigenReduction.costPerElement(bytesLoaded: 4, compute: 10.0 / 8) }

  @inline(__always)
  static func scalar(_ base: UnsafePointer<Float>, _ index: Int) -> Float { base[index] }

  @inline(__always)
  static func packet(_ base: UnsafePointer<Float>, _ index: Int) -> SIMD8<Float> {
    UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func predux(_ packet: SIMD8<Float>) -> Float { EigenReduction.predux(packet) }

  static func divisor(_ count: Int) -> Float { Float(count) }
}

/// float64: `Packet4d`, leaves of 1024 packets.
enum DoubleSum: EigenSumKind {
  typealias Stored = Double
  typealias Scalar = Double
  typealias Packet = SIMD4<Double>

  static var leafSize: Int { 1024 }
  static var fullReducerCost: Double { EigenReduction.costPerElement(bytesLoaded: 8, compute: 10.0 / 4) }

  @inline(__always)
  static func scalar(_ base: UnsafePointer<Double>, _ index: Int) -> Double { base[index] }

  @inline(__always)
  static func packet(_ base: UnsafePointer<Double>, _ index: Int) -> SIMD4<Double> {
    UnsafeRawPointer(base + index).loadUnaligned(as: SIMD4<Double>.self)
  }

  /// `predux<Packet4d>`: `lo + hi`, then `b0 + b1`.
  @inline(__always)
  static func predux(_ packet: SIMD4<Double>) -> Double {
    let halves = packet.lowHalf + packet.highHalf
    return halves[0] + halves[1]
  }

  static func divisor(_ count: Int) -> Double { Double(count) }
}

/// bfloat16 as TF sums it: each element widened to float (`CASTING_SPECIALIZATION(SumReducer,
/// bfloat16, float)` in reduction_ops.h), then the float32 order; stored as raw bits.
enum BFloat16Sum: EigenSumKind {
  typealias Stored = UInt16
  typealias Scalar = Float
  typealias Packet = SIMD8<Float>

  static var leafSize: Int { 1024 }
  /// The cast expression charges a sixteenth of its bytes and one cast per packet lane.
  static var fullReducerCost: Double {
    EigenReduction.costPerElement(bytesLoaded: 2.0 / 8, compute: 1.0 / 8 + 10.0 / 8)
  }

  @inline(__always)
  static func scalar(_ base: UnsafePointer<UInt16>, _ index: Int) -> Float {
    Float(bitPattern: UInt32(base[index]) << 16)
  }

  @inline(__always)
  static func packet(_ base: UnsafePointer<UInt16>, _ index: Int) -> SIMD8<Float> {
    let bits = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<UInt16>.self)
    return unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: bits) &<< 16, to: SIMD8<Float>.self)
  }

  @inline(__always)
  static func predux(_ packet: SIMD8<Float>) -> Float { EigenReduction.predux(packet) }

  static func divisor(_ count: Int) -> Float { Float(count) }
}

#if !(os(macOS) && arch(x86_64))
  /// float16: `Packet8h`, whose adds round every lane to half; leaves of 200 packets; `predux`
  /// widens the packet to float, sums it as `Packet8f`, and rounds once.
  enum HalfSum: EigenSumKind {
    typealias Stored = Float16
    typealias Scalar = Float16
    typealias Packet = SIMD8<Float16>

    static var leafSize: Int { 200 }
    static var fullReducerCost: Double { EigenReduction.costPerElement(bytesLoaded: 2, compute: 10.0 / 8) }

    @inline(__always)
    static func scalar(_ base: UnsafePointer<Float16>, _ index: Int) -> Float16 { base[index] }

    @inline(__always)
    static func packet(_ base: UnsafePointer<Float16>, _ index: Int) -> SIMD8<Float16> {
      UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float16>.self)
    }

    @inline(__always)
    static func predux(_ packet: SIMD8<Float16>) -> Float16 {
      var wide = SIMD8<Float>()
      for lane in 0..<8 { wide[lane] = Float(packet[lane]) }
      return Float16(EigenReduction.predux(wide))
    }

    /// `Eigen::half(long)` converts through float; past 65519 the divisor is infinite.
    static func divisor(_ count: Int) -> Float16 { Float16(Float(count)) }
  }
#endif
