import Foundation

/// The numeric builtins `divmod`, `pow` and `round`, with CPython's results and errors.
extension Builtins {
  static var numbers: [BuiltinFunction] {
    [
      BuiltinFunction("divmod") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("divmod", [.required("x"), .required("y")])
        let (x, y) = (bound["x"], bound["y"])
        guard x.number != nil, y.number != nil else {
          if case .object = x { throw .unsupported("divmod() on '\(x.typeName)' objects") }
          if case .object = y { throw .unsupported("divmod() on '\(y.typeName)' objects") }
          throw .typeError("unsupported operand type(s) for divmod(): '\(x.typeName)' and '\(y.typeName)'")
        }
        return .tuple([
          try PyValue.binary(.floorDivide, x, y, context: context), try PyValue.binary(.modulo, x, y, context: context),
        ])
      },
      BuiltinFunction("pow") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("pow", [.required("base"), .required("exp"), .optional("mod")])
        if case .none = bound["mod"] {
          return try PyValue.binary(.power, bound["base"], bound["exp"], context: context)
        }
        guard case let .int(base)? = integer(bound["base"]), case let .int(exponent)? = integer(bound["exp"]),
          case let .int(modulus)? = integer(bound["mod"])
        else { throw .typeError("pow() 3rd argument not allowed unless all arguments are integers") }
        return .int(try modularPower(base, exponent, modulus))
      },
      BuiltinFunction("ord") { arguments, _ throws(RuntimeError) in
        let value = try arguments.bind("ord", [.required("c")])["c"]
        guard case let .string(text) = value else {
          throw .typeError("ord() expected string of length 1, but \(value.typeName) found")
        }
        guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
          throw .typeError("ord() expected a character, but string of length \(text.unicodeScalars.count) found")
        }
        return .int(Int(scalar.value))
      },
      BuiltinFunction("chr") { arguments, _ throws(RuntimeError) in
        let code = try PyValue.intArgument(try arguments.bind("chr", [.required("i")])["i"])
        guard (0..<0x11_0000).contains(code) else { throw .valueError("chr() arg not in range(0x110000)") }
        guard let scalar = Unicode.Scalar(UInt32(code)) else {
          throw .unsupported("chr() of a surrogate code point")
        }
        return .string(String(Character(scalar)))
      },
      BuiltinFunction("round") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("round", [.required("number"), .optional("ndigits")])
        let number = bound["number"]
        if case let .object(instance as PyInstance) = number {
          // A program class rounds through its `__round__`, given `ndigits` unless it is None.
          var digits: [PyValue] = [bound["ndigits"]]
          if case .none = bound["ndigits"] { digits = [] }
          guard let result = try instance.dunder("__round__", digits, context: context) else {
            throw .typeError("type \(number.typeName) doesn't define __round__ method")
          }
          return result
        }
        if case .object = number { throw .unsupported("round() on '\(number.typeName)' objects") }
        guard let value = number.number else {
          throw .typeError("type \(number.typeName) doesn't define __round__ method")
        }
        if case .none = bound["ndigits"] {
          switch value {
          case let .int(i): return .int(i)
          case let .float(f): return .int(try PyValue.integer(truncating: f.rounded(.toNearestOrEven)))
          }
        }
        let digits = try PyValue.intArgument(bound["ndigits"])
        switch value {
        case let .int(i): return .int(try roundInteger(i, digits))
        case let .float(f): return .float(roundFloat(f, digits))
        }
      },
    ]
  }

  /// An int or bool as an int value, else nil.
  private static func integer(_ value: PyValue) -> PyValue? {
    switch value {
    case .int: value
    case let .bool(flag): .int(flag ? 1 : 0)
    default: nil
    }
  }

  /// `pow(base, exponent, modulus)`: the result takes the modulus's sign; a negative exponent
  /// uses the modular inverse.
  static func modularPower(_ base: Int, _ exponent: Int, _ modulus: Int) throws(RuntimeError) -> Int {
    guard modulus != 0 else { throw .valueError("pow() 3rd argument cannot be 0") }
    guard modulus != .min else { throw .unsupported("integers beyond 64 bits") }
    let m = Swift.abs(modulus)
    func reduce(_ value: Int) -> Int { ((value % m) + m) % m }
    func multiply(_ a: Int, _ b: Int) -> Int {
      let product = a.multipliedFullWidth(by: b)
      return m.dividingFullWidth((product.high, product.low)).remainder
    }
    var base = reduce(base)
    var exponent = exponent
    if exponent < 0 {
      guard let inverse = modularInverse(base, m) else {
        throw .valueError("base is not invertible for the given modulus")
      }
      base = inverse
      exponent = -exponent
    }
    var result = m == 1 ? 0 : 1
    while exponent > 0 {
      if exponent & 1 == 1 { result = multiply(result, base) }
      base = multiply(base, base)
      exponent >>= 1
    }
    return modulus < 0 && result != 0 ? result - m : result
  }

  private static func modularInverse(_ value: Int, _ modulus: Int) -> Int? {
    var (oldR, r) = (value, modulus)
    var (oldS, s) = (1, 0)
    while r != 0 {
      let q = oldR / r
      (oldR, r) = (r, oldR - q * r)
      (oldS, s) = (s, oldS - q * s)
    }
    guard oldR == 1 else { return nil }
    return ((oldS % modulus) + modulus) % modulus
  }

  /// `round(int, ndigits)`: unchanged for ndigits >= 0, else to a multiple of 10**-ndigits,
  /// ties to even.
  private static func roundInteger(_ value: Int, _ digits: Int) throws(RuntimeError) -> Int {
    guard digits < 0 else { return value }
    guard digits > -19 else { return 0 }
    var power = 1
    for _ in 0..<(-digits) { power *= 10 }
    let (quotient, remainder) = value.quotientAndRemainder(dividingBy: power)
    var rounded = quotient
    let twice = Swift.abs(remainder) * 2
    if twice > power || (twice == power && quotient % 2 != 0) { rounded += value < 0 ? -1 : 1 }
    let (result, overflow) = rounded.multipliedReportingOverflow(by: power)
    guard !overflow else { throw .unsupported("integers beyond 64 bits") }
    return result
  }

  /// `round(float, ndigits)` correctly rounded, as CPython does it: the value printed with
  /// `ndigits` decimals (exact binary value, ties to even), read back.
  static func roundFloat(_ value: Double, _ digits: Int) -> Double {
    guard value.isFinite, value != 0 else { return value }
    if digits > 323 { return value }
    if digits >= 0 { return Double(String(format: "%.\(digits)f", value)) ?? value }
    // Negative ndigits: round to a multiple of 10**-digits through the significant digits.
    let magnitude = Int(Foundation.log10(Swift.abs(value)).rounded(.down)) + 1
    let significant = magnitude + digits
    if significant < 0 { return 0 * value }
    let unit = Foundation.pow(10, Double(-digits))
    if significant == 0 { return Swift.abs(value) > unit / 2 ? (value < 0 ? -unit : unit) : 0 * value }
    return Double(String(format: "%.\(significant - 1)e", value)) ?? value
  }
}
