/// Element-wise Eigen functors as TF 2.21's CPU kernels run them on float32 and float64.
///
/// TF evaluates `out = in.unaryExpr(f)` (or `in0.binaryExpr(in1, f)`) with Eigen's non-tiled,
/// vectorised executor: `f.packetOp` on every whole AVX packet (8 floats, 4 doubles) from the
/// start and `f(scalar)` on the last `n % packetSize` elements (see `EigenMath`). Many functors
/// compute differently on the two paths (`_mm256_rcp_ps` plus a Newton step against `1 / x`,
/// another order of multiplications), so a functor here states both, lane by lane, and the
/// drivers apply each where Eigen does, with subnormals flushed as TF's kernels run.
public protocol EigenUnaryFunctor {
  /// One lane of the packet path on float32.
  static func packet(_ x: Float) -> Float
  /// The scalar path on float32 (also what half types compute in float).
  static func scalar(_ x: Float) -> Float
  /// One lane of a float16 or bfloat16 packet (`Packet8h`, `Packet8bf`), each operation
  /// computed in float and rounded to the half type by `round`.
  static func halfPacket(_ x: Float, rounding round: (Float) -> Float) -> Float
  /// The scalar path on a float16 or bfloat16 element, rounded likewise.
  static func halfScalar(_ x: Float, rounding round: (Float) -> Float) -> Float
  /// One lane of the packet path on float64.
  static func packet(_ x: Double) -> Double
  /// The scalar path on float64.
  static func scalar(_ x: Double) -> Double
}

extension EigenUnaryFunctor {
  /// The float32 packet path, rounded once.
  @inlinable public static func halfPacket(_ x: Float, rounding round: (Float) -> Float) -> Float { round(packet(x)) }
  /// The float32 scalar path, rounded once.
  @inlinable public static func halfScalar(_ x: Float, rounding round: (Float) -> Float) -> Float { round(scalar(x)) }
}

/// A binary Eigen functor on two same-shaped operands (see `EigenUnaryFunctor`).
public protocol EigenBinaryFunctor {
  static func packet(_ a: Float, _ b: Float) -> Float
  static func scalar(_ a: Float, _ b: Float) -> Float
  static func packet(_ a: Double, _ b: Double) -> Double
  static func scalar(_ a: Double, _ b: Double) -> Double
  /// The packet path over `count` elements (a multiple of the packet size); lane by lane
  /// unless the functor computes whole packets at once.
  /// One lane of a half-type packet and the half-type scalar path (see `EigenUnaryFunctor`).
  static func halfPacket(_ a: Float, _ b: Float, rounding round: (Float) -> Float) -> Float
  static func halfScalar(_ a: Float, _ b: Float, rounding round: (Float) -> Float) -> Float
  static func packets(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, count: Int)
  static func packets(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>, count: Int)
}

extension EigenBinaryFunctor {
  /// The float32 packet path, rounded once.
  @inlinable public static func halfPacket(_ a: Float, _ b: Float, rounding round: (Float) -> Float) -> Float {
    round(packet(a, b))
  }

  /// The float32 scalar path, rounded once.
  @inlinable public static func halfScalar(_ a: Float, _ b: Float, rounding round: (Float) -> Float) -> Float {
    round(scalar(a, b))
  }

  @inlinable
  public static func packets(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in 0..<count { (o + i).initialize(to: packet(a[i], b[i])) }
  }

  @inlinable
  public static func packets(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>, count: Int
  ) {
    for i in 0..<count { (o + i).initialize(to: packet(a[i], b[i])) }
  }
}

/// A float32 or float64 element.
public protocol EigenScalar: FloatingElement, BinaryFloatingPoint {
  /// Eigen's AVX packet size for the type.
  static var packetSize: Int { get }
  /// `F`'s packet and scalar paths on this type.
  static func packet<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Self) -> Self
  static func scalar<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Self) -> Self
  static func packet<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Self, _ b: Self) -> Self
  static func scalar<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Self, _ b: Self) -> Self
  static func packets<F: EigenBinaryFunctor>(
    _ function: F.Type, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ o: UnsafeMutablePointer<Self>,
    count: Int)
}

extension Float: EigenScalar {
  @inlinable public static var packetSize: Int { 8 }
  @inlinable @inline(__always)
  public static func packet<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Float) -> Float { F.packet(x) }
  @inlinable @inline(__always)
  public static func scalar<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Float) -> Float { F.scalar(x) }
  @inlinable @inline(__always)
  public static func packet<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Float, _ b: Float) -> Float {
    F.packet(a, b)
  }
  @inlinable @inline(__always)
  public static func scalar<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Float, _ b: Float) -> Float {
    F.scalar(a, b)
  }
  @inlinable @inline(__always)
  public static func packets<F: EigenBinaryFunctor>(
    _ function: F.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    F.packets(a, b, o, count: count)
  }
}

extension Double: EigenScalar {
  @inlinable public static var packetSize: Int { 4 }
  @inlinable @inline(__always)
  public static func packet<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Double) -> Double { F.packet(x) }
  @inlinable @inline(__always)
  public static func scalar<F: EigenUnaryFunctor>(_ function: F.Type, _ x: Double) -> Double { F.scalar(x) }
  @inlinable @inline(__always)
  public static func packet<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Double, _ b: Double) -> Double {
    F.packet(a, b)
  }
  @inlinable @inline(__always)
  public static func scalar<F: EigenBinaryFunctor>(_ function: F.Type, _ a: Double, _ b: Double) -> Double {
    F.scalar(a, b)
  }
  @inlinable @inline(__always)
  public static func packets<F: EigenBinaryFunctor>(
    _ function: F.Type, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>,
    count: Int
  ) {
    F.packets(a, b, o, count: count)
  }
}

/// The drivers of `EigenUnaryFunctor` and `EigenBinaryFunctor`.
public enum EigenElementwise {
  /// `F` on each element of a float32 or float64 tensor: the packet path up to the last whole
  /// packet, the scalar path after it.
  @inlinable
  public static func map<F: EigenUnaryFunctor, S: EigenScalar>(_ x: Tensor, _ function: F.Type, as type: S.Type)
    throws(TensorError) -> Tensor
  {
    let (out, o) = try Tensor.uninitialized(S.self, shape: x.shape)
    x.withUnsafeBufferPointer(as: S.self) { input in
      guard let p = input.baseAddress else { return }
      let packetEnd = input.count - input.count % S.packetSize
      Parallel.forEachRange(input.count) { range in
        let split = min(max(packetEnd, range.lowerBound), range.upperBound)
        Elementwise.flushing(true) {
          for i in range.lowerBound..<split { (o + i).initialize(to: S.packet(F.self, p[i])) }
          for i in split..<range.upperBound { (o + i).initialize(to: S.scalar(F.self, p[i])) }
        }
      }
    }
    return out
  }

  /// `F` on each pair of elements of two float32 or float64 tensors of one element count;
  /// the output has `a`'s shape.
  @inlinable
  public static func zip<F: EigenBinaryFunctor, S: EigenScalar>(
    _ a: Tensor, _ b: Tensor, _ function: F.Type, as type: S.Type
  ) throws(TensorError) -> Tensor {
    precondition(a.scalarCount == b.scalarCount, "EigenElementwise.zip: element counts differ")
    let (out, o) = try Tensor.uninitialized(S.self, shape: a.shape)
    a.withUnsafeBufferPointer(as: S.self) { lhs in
      b.withUnsafeBufferPointer(as: S.self) { rhs in
        guard let p = lhs.baseAddress, let q = rhs.baseAddress else { return }
        let packetEnd = lhs.count - lhs.count % S.packetSize
        Parallel.forEachRange(lhs.count) { range in
          let split = min(max(packetEnd, range.lowerBound), range.upperBound)
          Elementwise.flushing(true) {
            let start = range.lowerBound
            S.packets(F.self, p + start, q + start, o + start, count: split - start)
            for i in split..<range.upperBound { (o + i).initialize(to: S.scalar(F.self, p[i], q[i])) }
          }
        }
      }
    }
    return out
  }

  /// `F` on a float16 or bfloat16 tensor as Eigen's `Packet8h`/`Packet8bf` functions compute:
  /// each operation in float, rounded to the half type, on whole packets of 8 and the tail. bfloat16 widens to a
  /// float subnormal where float16 does not, so only it sees subnormals flushed.
  @inlinable
  public static func mapHalf<F: EigenUnaryFunctor, T: FloatingElement>(_ x: Tensor, _ function: F.Type, as type: T.Type)
    throws(TensorError) -> Tensor where T.Compute == Float
  {
    let (out, o) = try Tensor.uninitialized(T.self, shape: x.shape)
    func rounded(_ value: Float) -> Float { T(computed: value).computeValue }
    func packetRounded(_ value: Float) -> Float { packetRounding(value, T.self) }
    x.withUnsafeBufferPointer(as: T.self) { input in
      let packetEnd = input.count - input.count % 8
      Elementwise.flushing(T.dtype == .bfloat16) {
        for i in 0..<packetEnd {
          (o + i).initialize(
            to: T(computed: packetRounded(F.halfPacket(input[i].computeValue, rounding: packetRounded))))
        }
        for i in packetEnd..<input.count {
          (o + i).initialize(to: T(computed: F.halfScalar(input[i].computeValue, rounding: rounded)))
        }
      }
    }
    return out
  }

  /// `value` rounded to `T` as a half-type packet rounds: bfloat16 packets (`F32ToBf16`) turn
  /// every NaN into +qNaN, where the scalar conversion keeps its sign.
  @inlinable @inline(__always)
  static func packetRounding<T: FloatingElement>(_ value: Float, _ type: T.Type) -> Float where T.Compute == Float {
    let rounded = T(computed: value).computeValue
    return T.dtype == .bfloat16 && rounded.isNaN ? .nan : rounded
  }

  /// `F` on two float16 or bfloat16 tensors of one element count (see `mapHalf`).
  @inlinable
  public static func zipHalf<F: EigenBinaryFunctor, T: FloatingElement>(
    _ a: Tensor, _ b: Tensor, _ function: F.Type, as type: T.Type
  ) throws(TensorError) -> Tensor where T.Compute == Float {
    precondition(a.scalarCount == b.scalarCount, "EigenElementwise.zipHalf: element counts differ")
    let (out, o) = try Tensor.uninitialized(T.self, shape: a.shape)
    func rounded(_ value: Float) -> Float { T(computed: value).computeValue }
    func packetRounded(_ value: Float) -> Float { packetRounding(value, T.self) }
    a.withUnsafeBufferPointer(as: T.self) { p in
      b.withUnsafeBufferPointer(as: T.self) { q in
        let packetEnd = p.count - p.count % 8
        Elementwise.flushing(T.dtype == .bfloat16) {
          for i in 0..<packetEnd {
            let value = F.halfPacket(p[i].computeValue, q[i].computeValue, rounding: packetRounded)
            (o + i).initialize(to: T(computed: packetRounded(value)))
          }
          for i in packetEnd..<p.count {
            (o + i).initialize(to: T(computed: F.halfScalar(p[i].computeValue, q[i].computeValue, rounding: rounded)))
          }
        }
      }
    }
    return out
  }
}

#if arch(x86_64)
  import _Builtin_intrinsics.intel
#endif

extension EigenElementwise {
  /// `_mm256_rsqrt_ps` on one lane: this CPU's approximate reciprocal square root (SSE's
  /// `rsqrtss` table is the same per lane).
  @inlinable @inline(__always)
  public static func approximateReciprocalSquareRoot(_ x: Float) -> Float {
    #if arch(x86_64)
      _mm_cvtss_f32(_mm_rsqrt_ss(_mm_set_ss(x)))
    #else
      1 / x.squareRoot()
    #endif
  }

  /// `_mm256_rcp_ps` on one lane: this CPU's approximate reciprocal.
  @inlinable @inline(__always)
  public static func approximateReciprocal(_ x: Float) -> Float {
    #if arch(x86_64)
      _mm_cvtss_f32(_mm_rcp_ss(_mm_set_ss(x)))
    #else
      1 / x
    #endif
  }
}

extension EigenMath {
  /// One lane of `pexp_float` (the packet path of float32 `Exp`).
  @inlinable
  public static func packetExp(_ x: Float) -> Float { pexp8Lane(x) }

  @usableFromInline
  static func pexp8Lane(_ x: Float) -> Float { pexp8(P(repeating: x))[0] }

  /// One lane of `pexp_double` (the packet path of float64 `Exp`); lanes do not interact for
  /// results in the normal range.
  @inlinable
  public static func packetExp(_ x: Double) -> Double { pexp4Lane(x) }

  @usableFromInline
  static func pexp4Lane(_ x: Double) -> Double { pexp4(D(repeating: x))[0] }

  /// glibc's `exp` (the scalar path of float64 `Exp`).
  @inlinable
  public static func scalarExp(_ x: Double) -> Double { libmExpLane(x) }

  @usableFromInline
  static func libmExpLane(_ x: Double) -> Double { libmExp(x) }
}
