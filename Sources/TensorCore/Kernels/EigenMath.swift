#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// TensorFlow 2.21 CPU's float32 and float64 `Exp` and `Log` kernels, bit for bit.
///
/// TF evaluates `out = in.unaryExpr(scalar_exp_op<float>)` with Eigen's non-tiled
/// `TensorExecutor<…, ThreadPoolDevice, Vectorizable>`: `EvalRange::run` (TensorExecutor.h)
/// applies the packet function to every whole 8-float packet and the scalar function to
/// the last `n % 8` elements. `parallelFor` block sizes go through `alignBlockSize`
/// (multiples of 8), so the split never depends on the thread count.
///
/// - Packets (the wheel is built for AVX without FMA, so `pmadd(a, b, c)` is `a * b + c`
///   rounded twice): `pexp_float` / `plog_impl_float` from
///   `Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h`, with AVX's `pmin(a, b)` =
///   `_mm256_min_ps(b, a)`, `pmax(a, b)` = `_mm256_max_ps(b, a)`, `pfloor` = `_mm256_floor_ps`
///   and `pcast<Packet8f, Packet8i>` = `_mm256_cvttps_epi32` (`AVX/PacketMath.h`, `AVX/TypeCasting.h`).
/// - Scalars: `numext::exp(float)` = `::expf`, `numext::log` = `std::log(float)` = `logf` (glibc,
///   `@GLIBC_2.27`); for float64 `exp`/`log` bound as `@GLIBC_2.2.5` (see `libmLog`).
/// - TF runs its kernels with MXCSR's flush-to-zero and denormals-are-zero bits set
///   (`tsl::port::ScopedFlushDenormal`), which changes both paths for subnormal inputs
///   and results; both are run here under the same MXCSR state.
public enum EigenMath {
  /// `tf.exp` on a contiguous float32 tensor: `into[i] = exp(x[i])`.
  public static func exp(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
    precondition(out.count >= x.count, "EigenMath.exp: output shorter than input")
    withFlushedDenormals { apply(x, out, packet: pexp8, scalar: { expf($0) }) }
  }

  /// `tf.math.log` on a contiguous float32 tensor: `into[i] = log(x[i])`.
  public static func log(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
    precondition(out.count >= x.count, "EigenMath.log: output shorter than input")
    withFlushedDenormals { apply(x, out, packet: plog8, scalar: { logf($0) }) }
  }

  typealias P = SIMD8<Float>
  typealias PI = SIMD8<Int32>

  /// Eigen's `EvalRange::run` (TensorExecutor.h): `packet` on every whole packet from the start,
  /// `scalar` on the last `n % V.scalarCount` elements.
  @inline(never)
  static func apply<V: SIMD & BitwiseCopyable>(
    _ x: UnsafeBufferPointer<V.Scalar>, _ out: UnsafeMutableBufferPointer<V.Scalar>,
    packet: (V) -> V, scalar: (V.Scalar) -> V.Scalar
  ) {
    let n = x.count
    guard n > 0, let src = x.baseAddress, let dst = out.baseAddress else { return }
    let width = V.scalarCount
    let packetEnd = n - n % width
    var i = 0
    while i < packetEnd {
      let v = UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: packet(v), as: V.self)
      i += width
    }
    while i < n {
      dst[i] = scalar(src[i])
      i += 1
    }
  }

  /// Runs `body` with MXCSR's FTZ (bit 15) and DAZ (bit 6) set, as in TF's kernels.
  @inline(never)
  static func withFlushedDenormals(_ body: () -> Void) {
    #if arch(x86_64) && canImport(Glibc)
      var saved = fenv_t()
      fegetenv(&saved)
      var flushed = saved
      flushed.__mxcsr |= 0x8040
      fesetenv(&flushed)
      body()
      fesetenv(&saved)
    #else
      body()
    #endif
  }

  // MARK: AVX packet primitives

  /// `pmin(a, b)` = `_mm256_min_ps(b, a)`: `b < a ? b : a`.
  @inline(__always) static func pmin(_ a: P, _ b: P) -> P { a.replacing(with: b, where: b .< a) }
  /// `pmax(a, b)` = `_mm256_max_ps(b, a)`: `b > a ? b : a`.
  @inline(__always) static func pmax(_ a: P, _ b: P) -> P { a.replacing(with: b, where: b .> a) }
  @inline(__always) static func bits(_ a: P) -> SIMD8<UInt32> {
    SIMD8<UInt32>(
      a[0].bitPattern, a[1].bitPattern, a[2].bitPattern, a[3].bitPattern,
      a[4].bitPattern, a[5].bitPattern, a[6].bitPattern, a[7].bitPattern)
  }
  @inline(__always) static func float(_ u: SIMD8<UInt32>) -> P {
    P(
      Float(bitPattern: u[0]), Float(bitPattern: u[1]), Float(bitPattern: u[2]), Float(bitPattern: u[3]),
      Float(bitPattern: u[4]), Float(bitPattern: u[5]), Float(bitPattern: u[6]), Float(bitPattern: u[7]))
  }
  /// `_mm256_cvttps_epi32`: truncation; NaN and out-of-range give 0x80000000.
  @inline(__always) static func cvtt(_ a: P) -> PI {
    var r = PI(repeating: .min)
    for k in 0..<8 where a[k] > -2_147_483_904 && a[k] < 2_147_483_648 { r[k] = Int32(a[k]) }
    return r
  }
  /// `2^e` for a biased exponent `e`: `(e << 23)` reinterpreted.
  @inline(__always) static func pow2Biased(_ e: PI) -> P { float(SIMD8<UInt32>(truncatingIfNeeded: e &<< 23)) }
  @inline(__always) static func pabs(_ a: P) -> P { float(bits(a) & 0x7fff_ffff) }

  /// `pldexp_fast`: `a * 2^clamp(e + 127, 0, 255)`.
  @inline(__always) static func pldexpFast(_ a: P, _ exponent: P) -> P {
    let e = cvtt(pmin(pmax(exponent + 127, P(repeating: 0)), P(repeating: 255)))
    return a * pow2Biased(e)
  }
  /// `pldexp_generic`: four scalings by `2^b, 2^b, 2^b, 2^(e-3b)`, `b = e >> 2`.
  @inline(__always) static func pldexpGeneric(_ a: P, _ exponent: P) -> P {
    let e = cvtt(pmin(pmax(exponent, P(repeating: -278)), P(repeating: 278)))
    var b = e &>> 2
    var c = pow2Biased(b &+ 127)
    var out = ((a * c) * c) * c
    b = e &- 3 &* b
    c = pow2Biased(b &+ 127)
    out = out * c
    return out
  }

  /// `pexp_float` (GenericPacketMathFunctions.h) with unfused `pmadd`.
  static func pexp8(_ x0: P) -> P {
    let zeroMask = x0 .< P(repeating: -104)
    let x = pmin(x0, P(repeating: 88.723))
    let m = (x * 1.44269504088896341 + 0.5).rounded(.down)
    var r = m * -0.693359375 + x
    r = m * 2.12194440e-4 + r
    let r2 = r * r
    var pEven = r2 * 1.37449637986719608306884765625e-3 + 4.166965186595916748046875e-2
    let pOdd = r2 * 8.36894474923610687255859375e-3 + 0.16666518151760101318359375
    pEven = r2 * pEven + 0.49999988079071044921875
    let pLow = r + 1
    var y = r * pOdd + pEven
    y = r2 * y + pLow
    if !any(P(repeating: 87) .< pabs(x)) {
      return pmax(pldexpFast(y, m), x0)
    }
    return pmax(pldexpGeneric(y, m), x0).replacing(with: 0, where: zeroMask)
  }

  /// `pfrexp_generic`: mantissa in [0.5, 1) and exponent, subnormals normalised by 2^24.
  @inline(__always) static func pfrexp(_ a: P) -> (P, P) {
    let isDenormal = pabs(a) .< P(repeating: Float.leastNormalMagnitude)
    let normalized = a.replacing(with: a * 16_777_216, where: isDenormal)
    let offset = P(repeating: -126).replacing(with: -150, where: isDenormal)
    let biased = SIMD8<Int32>(truncatingIfNeeded: bits(pabs(normalized)) &>> 23)
    let exponent = P(biased)
    let special = (a .== P(repeating: 0)) .| (exponent .== P(repeating: 255))
    let m = float((bits(normalized) & 0x807f_ffff) | 0x3f00_0000).replacing(with: a, where: special)
    return (m, (exponent + offset).replacing(with: 0, where: special))
  }

  /// `plog_impl_float<Packet, false>` (GenericPacketMathFunctions.h) with unfused `pmadd`.
  static func plog8(_ x0: P) -> P {
    var (x, e) = pfrexp(x0)
    let mask = x .< P(repeating: 0.707106781186547524)
    let tmp = P(repeating: 0).replacing(with: x, where: mask)
    x = x - 1
    e = e - P(repeating: 0).replacing(with: 1, where: mask)
    x = x + tmp
    var p = (x * 0.18256296349849254 + 1.0000000190281063) * x + 1.0000000190281136
    p = x * p
    let q = ((x * 0.049616247954120038 + 0.59923249590823520) * x + 1.4999999999999927) * x + 1.0
    x = p / q
    x = e * 0.693147180559945309417232121458176568 + x
    let invalid = .!(x0 .>= P(repeating: 0))
    var result = x.replacing(with: .infinity, where: x0 .== P(repeating: .infinity))
    result = float(bits(result) | SIMD8<UInt32>(repeating: 0).replacing(with: .max, where: invalid))
    return result.replacing(with: -.infinity, where: x0 .== P(repeating: 0))
  }
}

// MARK: - float64 (Packet4d)

extension EigenMath {
  /// `tf.exp` on a contiguous float64 tensor: Eigen's `pexp_double` on whole 4-double packets,
  /// glibc's `exp` on the last `n % 4` elements.
  public static func exp(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
    precondition(out.count >= x.count, "EigenMath.exp: output shorter than input")
    withFlushedDenormals { apply(x, out, packet: pexp4, scalar: libmExp) }
  }

  /// `tf.math.log` on a contiguous float64 tensor: Eigen's `plog_impl_double` on whole 4-double
  /// packets, glibc's `log` on the last `n % 4` elements.
  public static func log(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
    precondition(out.count >= x.count, "EigenMath.log: output shorter than input")
    withFlushedDenormals { apply(x, out, packet: plog4, scalar: libmLog) }
  }

  typealias D = SIMD4<Double>

  /// glibc's `exp@GLIBC_2.2.5`, which TF's libraries bind to (manylinux build); its SVID
  /// wrapper returns what the current `exp` returns.
  @inline(__always) static func libmExp(_ x: Double) -> Double {
    #if canImport(Glibc)
      Glibc.exp(x)
    #else
      Darwin.exp(x)
    #endif
  }

  /// glibc's `log@GLIBC_2.2.5` (`__log_compat`, math/w_log_compat.c), which TF's libraries bind
  /// to: for `x <= 0` it returns `__kernel_standard`'s -HUGE_VAL (x == 0) or `NAN` (+qNaN,
  /// 0x7FF8000000000000), where the current `log` gives the default NaN 0xFFF8000000000000.
  @inline(__always) static func libmLog(_ x: Double) -> Double {
    if x <= 0 { return x == 0 ? -.infinity : .nan }
    #if canImport(Glibc)
      return Glibc.log(x)
    #else
      return Darwin.log(x)
    #endif
  }

  @inline(__always) static func pmin(_ a: D, _ b: D) -> D { a.replacing(with: b, where: b .< a) }
  @inline(__always) static func pmax(_ a: D, _ b: D) -> D { a.replacing(with: b, where: b .> a) }
  @inline(__always) static func bits(_ a: D) -> SIMD4<UInt64> {
    SIMD4<UInt64>(a[0].bitPattern, a[1].bitPattern, a[2].bitPattern, a[3].bitPattern)
  }
  @inline(__always) static func double(_ u: SIMD4<UInt64>) -> D {
    D(Double(bitPattern: u[0]), Double(bitPattern: u[1]), Double(bitPattern: u[2]), Double(bitPattern: u[3]))
  }
  @inline(__always) static func pabs(_ a: D) -> D { double(bits(a) & 0x7fff_ffff_ffff_ffff) }
  /// `_mm256_cvtpd_epi32` on integral values: NaN and out-of-range give 0x80000000.
  @inline(__always) static func cvt(_ a: D) -> SIMD4<Int32> {
    var r = SIMD4<Int32>(repeating: .min)
    for k in 0..<4 where a[k] > -2_147_483_648.5 && a[k] < 2_147_483_647.5 {
      r[k] = Int32(a[k].rounded(.toNearestOrEven))
    }
    return r
  }
  /// `2^e` for a biased exponent: the low 12 bits of `e` shifted to bit 52, as `_mm_slli_epi64`.
  @inline(__always) static func pow2Biased(_ e: SIMD4<Int32>) -> D {
    double(SIMD4<UInt64>(truncatingIfNeeded: SIMD4<UInt32>(truncatingIfNeeded: e)) &<< 52)
  }

  /// `pexp_double` (GenericPacketMathFunctions.h) with AVX's `pldexp_fast<Packet4d>` / `pldexp<Packet4d>`.
  static func pexp4(_ x0: D) -> D {
    let zeroMask = x0 .< D(repeating: -745.519)
    var x = pmin(x0, D(repeating: 709.784))
    let fx = (1.4426950408889634073599 * x + 0.5).rounded(.down)
    let tmp = fx * 0.693145751953125
    let z = fx * 1.42860682030941723212e-6
    x = x - tmp
    x = x - z
    let x2 = x * x
    var px = D(repeating: 1.26177193074810590878e-4)
    px = px * x2 + 3.02994407707441961300e-2
    px = px * x2 + 9.99999999999999999910e-1
    px = px * x
    var qx = D(repeating: 3.00198505138664455042e-6)
    qx = qx * x2 + 2.52448340349684104192e-3
    qx = qx * x2 + 2.27265548208155028766e-1
    qx = qx * x2 + 2.00000000000000000009e0
    x = px / (qx - px)
    x = 2 * x + 1
    if !any(D(repeating: 708) .< pabs(x0)) {
      let e = cvt(pmin(pmax(fx, D(repeating: -1023)), D(repeating: 1024)))
      return pmax(x * pow2Biased(e &+ 1023), x0)
    }
    let e = cvt(pmin(pmax(fx, D(repeating: -2099)), D(repeating: 2099)))
    var b = e &>> 2
    var c = pow2Biased(b &+ 1023)
    var out = ((x * c) * c) * c
    b = e &- b &- b &- b
    c = pow2Biased(b &+ 1023)
    out = out * c
    return pmax(out, x0).replacing(with: 0, where: zeroMask)
  }

  /// `pfrexp_generic` for Packet4d.
  @inline(__always) static func pfrexp(_ a: D) -> (D, D) {
    let isDenormal = pabs(a) .< D(repeating: Double.leastNormalMagnitude)
    let normalized = a.replacing(with: a * 0x1p53, where: isDenormal)
    let offset = D(repeating: -1022).replacing(with: -1075, where: isDenormal)
    let biased = SIMD4<Int64>(truncatingIfNeeded: (bits(normalized) & 0x7ff0_0000_0000_0000) &>> 52)
    let exponent = D(biased)
    let special = (a .== D(repeating: 0)) .| (exponent .== D(repeating: 2047))
    let m = double((bits(normalized) & 0x800f_ffff_ffff_ffff) | 0x3fe0_0000_0000_0000).replacing(
      with: a, where: special)
    return (m, (exponent + offset).replacing(with: 0, where: special))
  }

  /// `plog_impl_double<Packet, false>` (GenericPacketMathFunctions.h) with unfused `pmadd`.
  static func plog4(_ x0: D) -> D {
    var (x, e) = pfrexp(x0)
    let mask = x .< D(repeating: 0.70710678118654752440)
    let tmp = D(repeating: 0).replacing(with: x, where: mask)
    x = x - 1
    e = e - D(repeating: 0).replacing(with: 1, where: mask)
    x = x + tmp
    let x2 = x * x
    let x3 = x2 * x
    var y = 1.01875663804580931796e-4 * x + 4.97494994976747001425e-1
    var y1 = 1.44989225341610930846e1 * x + 1.79368678507819816313e1
    y = y * x + 4.70579119878881725854e0
    y1 = y1 * x + 7.70838733755885391666e0
    var yn = y * x3 + y1
    y = 1.0 * x + 1.12873587189167450590e1
    y1 = 8.29875266912776603211e1 * x + 7.11544750618563894466e1
    y = y * x + 4.52279145837532221105e1
    y1 = y1 * x + 2.31251620126765340583e1
    y = y * x3 + y1
    yn = yn * x3
    y = yn / y
    y = -0.5 * x2 + y
    x = x + y
    x = e * 0.693147180559945309417232121458176568 + x
    let invalid = .!(x0 .>= D(repeating: 0))
    var result = x.replacing(with: .infinity, where: x0 .== D(repeating: .infinity))
    result = double(bits(result) | SIMD4<UInt64>(repeating: 0).replacing(with: .max, where: invalid))
    return result.replacing(with: -.infinity, where: x0 .== D(repeating: 0))
  }
}
