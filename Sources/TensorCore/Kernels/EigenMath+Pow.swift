#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An AVX packet (`Packet8f`, `Packet4d`) with the type-specific pieces of Eigen's `generic_pow`.
protocol EigenPowPacket: SIMD where Scalar: BinaryFloatingPoint {
  /// `(NumTraits::digits() + 1) / 2`-bit Veltkamp split scale, `2^shift + 1`.
  static var splitScale: Scalar { get }
  /// `generic_exp2`'s clamp, `[-(max_exponent + digits - 1), max_exponent + 1]`.
  static var exp2Caps: (low: Scalar, high: Scalar) { get }
  /// `max_exponent - 2`: above it `pldexp_fast` is unsafe.
  static var ldexpFastLimit: Scalar { get }
  /// `max_exponent * ln 2 / epsilon`, in the scalar type's arithmetic.
  static var hugeExponent: Scalar { get }
  /// `pfrexp`: mantissa in [0.5, 1) and exponent.
  static func frexp(_ a: Self) -> (Self, Self)
  /// `accurate_log2` of a mantissa in [√½, √2], as a double word.
  static func log2(_ m: Self) -> (Self, Self)
  /// `pexp`.
  static func exp(_ a: Self) -> Self
  /// `pldexp` and `pldexp_fast`.
  static func ldexp(_ a: Self, _ e: Self) -> Self
  static func ldexpFast(_ a: Self, _ e: Self) -> Self
  /// Where the sign bit is set (`psignbit`).
  static func signBit(_ a: Self) -> SIMDMask<MaskStorage>
  /// `pabs`: the sign bit cleared.
  static func magnitude(_ a: Self) -> Self
  /// `a` with its sign bit flipped (`pnegate`: XOR).
  static func flippedSign(_ a: Self) -> Self
}

extension EigenMath {
  /// One lane of `generic_pow<Packet8f>` (the packet path of float32 `Pow`).
  public static func packetPow(_ x: Float, _ y: Float) -> Float { pow(P(repeating: x), P(repeating: y))[0] }

  /// One lane of `generic_pow<Packet4d>`.
  public static func packetPow(_ x: Double, _ y: Double) -> Double { pow(D(repeating: x), D(repeating: y))[0] }

  /// `generic_pow<Packet8f>` over `count` elements, a multiple of 8.
  public static func packetPow(
    _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into o: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in stride(from: 0, to: count, by: 8) {
      let r = pow(UnsafeRawPointer(x + i).loadUnaligned(as: P.self), UnsafeRawPointer(y + i).loadUnaligned(as: P.self))
      UnsafeMutableRawPointer(o + i).storeBytes(of: r, as: P.self)
    }
  }

  /// `generic_pow<Packet4d>` over `count` elements, a multiple of 4.
  public static func packetPow(
    _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, into o: UnsafeMutablePointer<Double>, count: Int
  ) {
    for i in stride(from: 0, to: count, by: 4) {
      let r = pow(UnsafeRawPointer(x + i).loadUnaligned(as: D.self), UnsafeRawPointer(y + i).loadUnaligned(as: D.self))
      UnsafeMutableRawPointer(o + i).storeBytes(of: r, as: D.self)
    }
  }

  /// `std::pow` (the scalar path): glibc's `powf` and `pow`.
  public static func scalarPow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
  public static func scalarPow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Glibc)
      Glibc.pow(x, y)
    #else
      Darwin.pow(x, y)
    #endif
  }

  // MARK: Double-word arithmetic (GenericPacketMathFunctions.h, the non-FMA variants)

  /// `fast_twosum(x, y)`: `x + y` exactly as a sum of two, for `|x| >= |y|`.
  @inline(__always) static func fastTwoSum<V: EigenPowPacket>(_ x: V, _ y: V) -> (V, V) {
    let s = x + y
    let t = s - x
    return (s, y - t)
  }

  /// `fast_twosum` of two double words.
  @inline(__always) static func fastTwoSum<V: EigenPowPacket>(_ x: (V, V), _ y: (V, V)) -> (V, V) {
    let r = fastTwoSum(x.0, y.0)
    return fastTwoSum(r.0, (y.1 + r.1) + x.1)
  }

  /// `fast_twosum` of a float and a double word.
  @inline(__always) static func fastTwoSum<V: EigenPowPacket>(_ x: V, _ y: (V, V)) -> (V, V) {
    let r = fastTwoSum(x, y.0)
    return fastTwoSum(r.0, y.1 + r.1)
  }

  /// `veltkamp_splitting`.
  @inline(__always) static func split<V: EigenPowPacket>(_ x: V) -> (V, V) {
    let gamma = V(repeating: V.splitScale) * x
    let rho = x - gamma
    let hi = rho + gamma
    return (hi, x - hi)
  }

  /// `twoprod(x, y)` by Dekker's algorithm.
  @inline(__always) static func twoProduct<V: EigenPowPacket>(_ x: V, _ y: V) -> (V, V) {
    let (xh, xl) = split(x)
    let (yh, yl) = split(y)
    let hi = x * y
    var lo = xh * yh + V.flippedSign(hi)
    lo = xh * yl + lo
    lo = xl * yh + lo
    lo = xl * yl + lo
    return (hi, lo)
  }

  /// `twoprod` of a double word and a float.
  @inline(__always) static func twoProduct<V: EigenPowPacket>(_ x: (V, V), _ y: V) -> (V, V) {
    let (ch, cl1) = twoProduct(x.0, y)
    let cl2 = x.1 * y
    let (th, tl1) = fastTwoSum(ch, cl2)
    return fastTwoSum(th, tl1 + cl1)
  }

  /// `twoprod` of two double words.
  @inline(__always) static func twoProduct<V: EigenPowPacket>(_ x: (V, V), _ y: (V, V)) -> (V, V) {
    fastTwoSum(twoProduct(x, y.0), twoProduct(x, y.1))
  }

  /// `pround` on AVX: `trunc(a + copysign(0.5⁻, a))`.
  @inline(__always) static func round<V: EigenPowPacket>(_ a: V) -> V {
    let halfBelow = V(repeating: V.Scalar(0.5).nextDown)
    let signed = halfBelow.replacing(with: -halfBelow, where: V.signBit(a))
    return (a + signed).rounded(.towardZero)
  }

  /// `generic_exp2`.
  @inline(__always) static func exp2<V: EigenPowPacket>(_ x0: V) -> V {
    let (low, high) = V.exp2Caps
    var x = x0.replacing(with: V(repeating: high), where: V(repeating: high) .< x0)
    x = x.replacing(with: V(repeating: low), where: V(repeating: low) .> x)
    let (hi, lo) = twoProduct(V(repeating: V.Scalar(0.693147180559945309417232121458176568)), x)
    return V.exp(hi) * (1 + lo)
  }

  /// `generic_pow_impl`: `2^(y log2 x)` for `x >= 0`.
  static func powMagnitude<V: EigenPowPacket>(_ x: V, _ y: V) -> V {
    var (m, e) = V.frexp(x)
    let scale = m .< V(repeating: V.Scalar(0.70710678118654752440))
    m = m.replacing(with: 2 * m, where: scale)
    e = e.replacing(with: e - 1, where: scale)
    let rx = V.log2(m)
    let f = fastTwoSum(twoProduct(e, y), twoProduct(rx, y))
    var n = round(f.0)
    var r = f.0 - n
    r = r + f.1
    let nr = round(r)
    r = r - nr
    n = n + nr
    let er = exp2(r)
    if any(V(repeating: V.ldexpFastLimit) .< V.magnitude(n)) {
      return V.ldexp(er, n)
    }
    return V.ldexpFast(er, n)
  }

  /// `generic_pow`: `powMagnitude(|x|, y)` with C's special cases.
  static func pow<V: EigenPowPacket>(_ x: V, _ y: V) -> V {
    let zero = V.zero
    let one = V(repeating: 1)
    let inf = V(repeating: .infinity)
    let nan = V(repeating: .nan)
    let xAbs = V.magnitude(x)
    var pow = powMagnitude(xAbs, y)
    let xNegative = x .< zero
    let xZero = x .== zero
    let xOne = x .== one
    let xSign = V.signBit(x)
    let xAbsAboveOne = one .< xAbs
    let xAbsInf = xAbs .== inf
    let yAbs = V.magnitude(y)
    let yAbsInf = yAbs .== inf
    let yNegative = y .< zero
    let yZero = y .== zero
    let yOne = y .== one
    let yInt = (y.rounded(.down) .== y) .& .!yAbsInf
    let yHalf = y * 0.5
    let yEven = round(yHalf) .== yHalf
    let yOddInt = yInt .& .!yEven
    let yHuge = V(repeating: V.hugeExponent) .<= yAbs
    pow = pow.replacing(with: nan, where: xNegative .& .!yInt)
    pow = pow.replacing(with: zero.replacing(with: inf, where: yNegative), where: xZero)
    pow = pow.replacing(with: V.flippedSign(pow), where: xSign .& yOddInt)
    var infY = zero.replacing(with: inf, where: (yNegative .& xZero) .| (yNegative .^ xAbsAboveOne))
    infY = infY.replacing(with: one, where: x .== V(repeating: -1))
    pow = pow.replacing(with: infY, where: yHuge)
    let posInf = inf.replacing(with: zero, where: yNegative)
    let negInf = posInf.replacing(with: V.flippedSign(posInf), where: yOddInt)
    pow = pow.replacing(with: negInf.replacing(with: posInf, where: .!xNegative), where: xAbsInf)
    pow = pow.replacing(with: nan, where: (x .!= x) .| (y .!= y))
    return pow.replacing(with: one, where: xOne .| yZero).replacing(with: x, where: yOne)
  }
}

extension SIMD8: EigenPowPacket where Scalar == Float {
  static var splitScale: Float { 4097 }
  static var exp2Caps: (low: Float, high: Float) { (-151, 129) }
  static var ldexpFastLimit: Float { 126 }
  static var hugeExponent: Float { Float(128) * Float(0.693147180559945309417232121458176568) / Float.ulpOfOne }
  static func frexp(_ a: Self) -> (Self, Self) { EigenMath.pfrexp(a) }
  static func exp(_ a: Self) -> Self { EigenMath.pexp8(a) }
  static func ldexp(_ a: Self, _ e: Self) -> Self { EigenMath.pldexpGeneric(a, e) }
  static func ldexpFast(_ a: Self, _ e: Self) -> Self { EigenMath.pldexpFast(a, e) }
  static func signBit(_ a: Self) -> SIMDMask<MaskStorage> { EigenMath.bits(a) .>= 0x8000_0000 }
  static func magnitude(_ a: Self) -> Self { EigenMath.pabs(a) }
  static func flippedSign(_ a: Self) -> Self { EigenMath.float(EigenMath.bits(a) ^ 0x8000_0000) }

  /// `accurate_log2<float>`: a degree-10 polynomial, its last two Horner steps in double words.
  static func log2(_ z: Self) -> (Self, Self) {
    let c0 = 1.442695041742110273474963832995854318141937255859375e+00
    let c1 = -7.2134751588268664068692714863573201000690460205078125e-01
    let (c0Hi, c1Hi) = (Float(c0), Float(c1))
    let c0Lo = Self(repeating: Float(c0 - Double(c0Hi)))
    let c1Lo = Self(repeating: Float(c1 - Double(c1Hi)))
    let coefficients: [Float] = [
      9.7010828554630279541015625e-02, -1.6896486282348632812500000e-01, 1.7200836539268493652343750e-01,
      -1.7892272770404815673828125e-01, 2.0505344867706298828125000e-01, -2.4046677350997924804687500e-01,
      2.8857553005218505859375000e-01, -3.6067414283752441406250000e-01, 4.8089790344238281250000000e-01,
    ]
    let x = z - 1
    var p = Self(repeating: coefficients[0])
    for c in coefficients.dropFirst() { p = p * x + c }
    var w = EigenMath.twoProduct(x, p)
    w = EigenMath.fastTwoSum((Self(repeating: c1Hi), c1Lo), w)
    w = EigenMath.twoProduct(w, x)
    w = EigenMath.fastTwoSum((Self(repeating: c0Hi), c0Lo), w)
    return EigenMath.twoProduct(w, x)
  }
}

extension SIMD4: EigenPowPacket where Scalar == Double {
  static var splitScale: Double { 134_217_729 }
  static var exp2Caps: (low: Double, high: Double) { (-1076, 1025) }
  static var ldexpFastLimit: Double { 1022 }
  static var hugeExponent: Double { 1024 * 0.693147180559945309417232121458176568 / Double.ulpOfOne }
  static func frexp(_ a: Self) -> (Self, Self) { EigenMath.pfrexp(a) }
  static func exp(_ a: Self) -> Self { EigenMath.pexp4(a) }
  static func signBit(_ a: Self) -> SIMDMask<MaskStorage> { EigenMath.bits(a) .>= 0x8000_0000_0000_0000 }
  static func magnitude(_ a: Self) -> Self { EigenMath.pabs(a) }
  static func flippedSign(_ a: Self) -> Self { EigenMath.double(EigenMath.bits(a) ^ 0x8000_0000_0000_0000) }

  /// AVX's `pldexp<Packet4d>`: four scalings, the exponent clamped to ±2099.
  static func ldexp(_ a: Self, _ exponent: Self) -> Self {
    let e = EigenMath.cvt(EigenMath.pmin(EigenMath.pmax(exponent, Self(repeating: -2099)), Self(repeating: 2099)))
    var b = e &>> 2
    var c = EigenMath.pow2Biased(b &+ 1023)
    let out = ((a * c) * c) * c
    b = e &- b &- b &- b
    c = EigenMath.pow2Biased(b &+ 1023)
    return out * c
  }

  /// AVX's `pldexp_fast<Packet4d>`: the exponent clamped to [-1023, 1024].
  static func ldexpFast(_ a: Self, _ exponent: Self) -> Self {
    let e = EigenMath.cvt(EigenMath.pmin(EigenMath.pmax(exponent, Self(repeating: -1023)), Self(repeating: 1024)))
    return a * EigenMath.pow2Biased(e &+ 1023)
  }

  /// `accurate_log2<double>`: `r = c (x - 1) / (x + 1)` in double words, then an odd polynomial.
  static func log2(_ x: Self) -> (Self, Self) {
    let one = Self(repeating: 1)
    let t = EigenMath.twoProduct(
      (Self(repeating: 2.88539008177792677), Self(repeating: 4.07660016854549667e-17)), x - one)
    let r = divide(t, x + one)
    let r2 = EigenMath.twoProduct(r, r)
    let r4 = EigenMath.twoProduct(r2, r2)
    var qEven = Self(repeating: 2.87074255468000586e-9) * r4.0 + 2.31032094540014656e-7
    var qOdd = Self(repeating: 2.38957980901884082e-8) * r4.0 + 2.27279857398537278e-6
    qEven = qEven * r4.0 + 2.31271023278625638e-5
    qOdd = qOdd * r4.0 + 2.47556738444535513e-4
    qEven = qEven * r4.0 + 2.88543873228900172e-3
    let q = qOdd * r2.0 + qEven
    let p = EigenMath.twoProduct(r2, q)
    let p1 = EigenMath.fastTwoSum(
      (Self(repeating: 0.0400377511598501157), Self(repeating: -4.77726582251425391e-19)), p)
    let p2 = EigenMath.twoProduct(r2, p1)
    let p3 = EigenMath.fastTwoSum(one, p2)
    return EigenMath.twoProduct(p3, r)
  }

  /// `doubleword_div_fp`: a double word divided by a double.
  static func divide(_ x: (Self, Self), _ y: Self) -> (Self, Self) {
    let tHi = x.0 / y
    let (piHi, piLo) = EigenMath.twoProduct(tHi, y)
    let delta = ((x.0 - piHi) - piLo) + x.1
    return EigenMath.fastTwoSum(tHi, delta / y)
  }
}
