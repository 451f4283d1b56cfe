import Foundation

extension StandardLibrary {
  /// `math`: CPython's functions over the platform libm, with CPython's error rules
  /// (`math domain error` ValueError, `math range error` OverflowError).
  static let mathModule = ModuleDefinition(
    "math",
    publicNames: """
      acos acosh asin asinh atan atan2 atanh cbrt ceil comb copysign cos cosh degrees dist e erf erfc exp exp2 \
      expm1 fabs factorial floor fmod frexp fsum gamma gcd hypot inf isclose isfinite isinf isnan isqrt lcm ldexp \
      lgamma log log10 log1p log2 modf nan nextafter perm pi pow prod radians remainder sin sinh sqrt tan tanh tau \
      trunc ulp
      """
  ) { _ in MathFunctions.members }
}

/// The members of `math`.
enum MathFunctions {
  static var members: [String: PyValue] {
    var members: [String: PyValue] = [
      "pi": .float(Double.pi), "e": .float(M_E), "tau": .float(2 * Double.pi), "inf": .float(.infinity),
      "nan": .float(.nan),
    ]
    // Unary functions through libm, as CPython's `math_1`: a NaN from a non-NaN is a domain
    // error, an infinity from a finite value an overflow (or a domain error at a pole).
    let unary: [(String, (Double) -> Double, Bool)] = [
      ("sqrt", Foundation.sqrt, false), ("exp", Foundation.exp, true), ("expm1", Foundation.expm1, true),
      ("log1p", Foundation.log1p, false), ("sin", Foundation.sin, false), ("cos", Foundation.cos, false),
      ("tan", Foundation.tan, false), ("asin", Foundation.asin, false), ("acos", Foundation.acos, false),
      ("atan", Foundation.atan, false), ("sinh", Foundation.sinh, true), ("cosh", Foundation.cosh, true),
      ("tanh", Foundation.tanh, false), ("asinh", Foundation.asinh, false), ("acosh", Foundation.acosh, false),
      ("atanh", Foundation.atanh, false), ("fabs", Swift.abs, false), ("erf", Foundation.erf, false),
      ("erfc", Foundation.erfc, false), ("exp2", Foundation.exp2, true), ("cbrt", Foundation.cbrt, false),
    ]
    for (name, function, canOverflow) in unary {
      members[name] = one(name) { x, context throws(RuntimeError) in
        .float(try checked(function(try Native.real(x, context)), from: try Native.real(x, context), canOverflow))
      }
    }
    for (name, factor) in [("degrees", 180.0 / Double.pi), ("radians", Double.pi / 180.0)] {
      members[name] = one(name) { x, context throws(RuntimeError) in .float(try Native.real(x, context) * factor) }
    }
    for (name, base) in [("log2", 2.0), ("log10", 10.0)] {
      members[name] = one(name) { x, context throws(RuntimeError) in
        .float(try logarithm(try Native.real(x, context), base: base))
      }
    }
    members["log"] = Native.function("log") { arguments, context throws(RuntimeError) in
      guard (1...2).contains(arguments.positional.count), arguments.keywords.isEmpty else {
        throw .typeError("math.log requires 1 to 2 arguments")
      }
      let x = try logarithm(try Native.real(arguments.positional[0], context), base: nil)
      guard arguments.positional.count == 2 else { return .float(x) }
      let base = try logarithm(try Native.real(arguments.positional[1], context), base: nil)
      guard base != 0 else { throw .exception("ZeroDivisionError", "float division by zero") }
      return .float(x / base)
    }
    for (name, test) in [
      ("isnan", { (x: Double) in x.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite }),
    ] {
      members[name] = one(name) { x, context throws(RuntimeError) in .bool(test(try Native.real(x, context))) }
    }
    members["floor"] = one("floor") { x, context throws(RuntimeError) in
      if case .int = x { return x }
      return .int(try PyValue.integer(truncating: try Native.real(x, context).rounded(.down)))
    }
    members["ceil"] = one("ceil") { x, context throws(RuntimeError) in
      if case .int = x { return x }
      return .int(try PyValue.integer(truncating: try Native.real(x, context).rounded(.up)))
    }
    members["trunc"] = one("trunc") { x, _ throws(RuntimeError) in
      switch x {
      case .int: return x
      case let .bool(b): return .int(b ? 1 : 0)
      case let .float(f): return .int(try PyValue.integer(truncating: f))
      default: throw .typeError("type \(x.typeName) doesn't define __trunc__ method")
      }
    }
    members["modf"] = one("modf") { x, context throws(RuntimeError) in
      let value = try Native.real(x, context)
      if value.isInfinite { return .tuple([.float(Foundation.copysign(0, value)), .float(value)]) }
      let whole = value.rounded(.towardZero)
      return .tuple([.float(Foundation.copysign(value - whole, value)), .float(whole)])
    }
    members["frexp"] = one("frexp") { x, context throws(RuntimeError) in
      let value = try Native.real(x, context)
      guard value.isFinite, value != 0 else { return .tuple([.float(value), .int(0)]) }
      var exponent: Int32 = 0
      let mantissa = Foundation.frexp(value, &exponent)
      return .tuple([.float(mantissa), .int(Int(exponent))])
    }
    members["ldexp"] = two("ldexp") { x, i, context throws(RuntimeError) in
      let value = try Native.real(x, context)
      let exponent: Int
      switch i {
      case let .int(n): exponent = n
      case let .bool(b): exponent = b ? 1 : 0
      default: throw .typeError("Expected an int as second argument to ldexp.")
      }
      let clamped = Swift.max(-100_000, Swift.min(100_000, exponent))
      return .float(try checked(Foundation.scalbn(value, clamped), from: value, true))
    }
    members["pow"] = two("pow") { x, y, context throws(RuntimeError) in
      .float(try power(try Native.real(x, context), try Native.real(y, context)))
    }
    members["atan2"] = two("atan2") { y, x, context throws(RuntimeError) in
      .float(Foundation.atan2(try Native.real(y, context), try Native.real(x, context)))
    }
    members["copysign"] = two("copysign") { x, y, context throws(RuntimeError) in
      .float(Foundation.copysign(try Native.real(x, context), try Native.real(y, context)))
    }
    members["fmod"] = two("fmod") { x, y, context throws(RuntimeError) in
      let (a, b) = (try Native.real(x, context), try Native.real(y, context))
      if b.isInfinite && a.isFinite { return .float(a) }
      let r = Foundation.fmod(a, b)
      if r.isNaN && !a.isNaN && !b.isNaN { throw domainError }
      return .float(r)
    }
    members["remainder"] = two("remainder") { x, y, context throws(RuntimeError) in
      let (a, b) = (try Native.real(x, context), try Native.real(y, context))
      let r = Foundation.remainder(a, b)
      if r.isNaN && !a.isNaN && !b.isNaN { throw domainError }
      return .float(r)
    }
    members["isclose"] = Native.function("isclose") { arguments, context throws(RuntimeError) in
      try isClose(arguments, context)
    }
    for (name, value) in IntegerMath.members { members[name] = value }
    for (name, value) in ExactSums.members { members[name] = value }
    return members
  }

  static let domainError = RuntimeError.valueError("math domain error")
  static let rangeError = RuntimeError.exception("OverflowError", "math range error")

  /// CPython's `math_1` error rule for a result `r` of the argument `x`.
  static func checked(_ r: Double, from x: Double, _ canOverflow: Bool) throws(RuntimeError) -> Double {
    if r.isNaN && !x.isNaN { throw domainError }
    if r.isInfinite && x.isFinite { throw canOverflow ? rangeError : domainError }
    return r
  }

  /// `log(x)` in `base` (nil for e) with CPython's domain errors for zero and negatives.
  static func logarithm(_ x: Double, base: Double?) throws(RuntimeError) -> Double {
    if x.isNaN { return x }
    guard x > 0 else { throw domainError }
    if x.isInfinite { return x }
    switch base {
    case 2?: return Foundation.log2(x)
    case 10?: return Foundation.log10(x)
    default: return Foundation.log(x)
    }
  }

  /// `math.pow`: CPython's handling of infinities and NaNs, then libm's `pow` with domain and
  /// range errors.
  static func power(_ x: Double, _ y: Double) throws(RuntimeError) -> Double {
    if !x.isFinite || !y.isFinite {
      if x.isNaN { return y == 0 ? 1 : x }
      if y.isNaN { return x == 1 ? 1 : y }
      if x.isInfinite {
        let oddY = y.isFinite && Foundation.fmod(Swift.abs(y), 2) == 1
        if y > 0 { return oddY ? x : Swift.abs(x) }
        if y == 0 { return 1 }
        return oddY ? Foundation.copysign(0, x) : 0
      }
      if Swift.abs(x) == 1 { return 1 }
      if y > 0 && Swift.abs(x) > 1 { return y }
      if y < 0 && Swift.abs(x) < 1 { return -y }
      return 0
    }
    let r = Foundation.pow(x, y)
    if r.isNaN { throw domainError }
    if r.isInfinite { throw x == 0 ? domainError : rangeError }
    return r
  }

  /// `isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)`.
  private static func isClose(_ arguments: Arguments, _ context: CallContext) throws(RuntimeError) -> PyValue {
    let count = arguments.positional.count
    guard count <= 2 else { throw .typeError("isclose() takes exactly 2 positional arguments (\(count) given)") }
    var values = arguments.positional
    var relative = 1e-09
    var absolute = 0.0
    for (name, value) in arguments.keywords {
      switch name {
      case "a" where values.isEmpty, "b" where values.count == 1: values.append(value)
      case "rel_tol": relative = try Native.real(value, context)
      case "abs_tol": absolute = try Native.real(value, context)
      default: throw .typeError("'\(name)' is an invalid keyword argument for isclose()")
      }
    }
    guard values.count == 2 else {
      throw .typeError("isclose() missing required argument '\(values.isEmpty ? "a" : "b")' (pos \(values.count + 1))")
    }
    let (a, b) = (try Native.real(values[0], context), try Native.real(values[1], context))
    guard relative >= 0, absolute >= 0 else { throw .valueError("tolerances must be non-negative") }
    if a == b { return .bool(true) }
    if a.isInfinite || b.isInfinite { return .bool(false) }
    let difference = Swift.abs(b - a)
    return .bool(
      difference <= Swift.abs(relative * b) || difference <= Swift.abs(relative * a) || difference <= absolute)
  }

  /// A one-argument function with CPython's arity messages (`math.sqrt() takes exactly one
  /// argument (2 given)`).
  static func one(_ name: String, _ body: @escaping (PyValue, CallContext) throws(RuntimeError) -> PyValue)
    -> PyValue
  {
    Native.function(name) { arguments, context throws(RuntimeError) in
      guard arguments.keywords.isEmpty else { throw .typeError("math.\(name)() takes no keyword arguments") }
      guard arguments.positional.count == 1 else {
        throw .typeError("math.\(name)() takes exactly one argument (\(arguments.positional.count) given)")
      }
      return try body(arguments.positional[0], context)
    }
  }

  /// A two-argument function with CPython's arity messages (`pow expected 2 arguments, got 1`).
  static func two(
    _ name: String, _ body: @escaping (PyValue, PyValue, CallContext) throws(RuntimeError) -> PyValue
  ) -> PyValue {
    Native.function(name) { arguments, context throws(RuntimeError) in
      guard arguments.keywords.isEmpty else { throw .typeError("\(name)() takes no keyword arguments") }
      guard arguments.positional.count == 2 else {
        throw .typeError("\(name) expected 2 arguments, got \(arguments.positional.count)")
      }
      return try body(arguments.positional[0], arguments.positional[1], context)
    }
  }
}
