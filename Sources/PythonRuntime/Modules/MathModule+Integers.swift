/// `math`'s integer functions: `factorial`, `gcd`, `lcm`, `comb`, `perm`, `isqrt`, and `prod`.
/// Results beyond 64 bits are `unsupported` (Lockstep's ints are 64-bit).
enum IntegerMath {
  static var members: [String: PyValue] {
    [
      "factorial": MathFunctions.one("factorial") { x, _ throws(RuntimeError) in
        let n = try Native.integer(x)
        guard n >= 0 else { throw .valueError("factorial() not defined for negative values") }
        return .int(try falling(n, n))
      },
      "gcd": Native.function("gcd") { arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("math.gcd() takes no keyword arguments") }
        var result = 0
        for value in arguments.positional { result = gcd(result, try magnitude(try Native.integer(value))) }
        return .int(result)
      },
      "lcm": Native.function("lcm") { arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("math.lcm() takes no keyword arguments") }
        var result = 1
        for value in arguments.positional {
          let n = try magnitude(try Native.integer(value))
          if result == 0 || n == 0 {
            result = 0
            continue
          }
          result = try multiply(result / gcd(result, n), n)
        }
        return .int(result)
      },
      "comb": MathFunctions.two("comb") { n, k, _ throws(RuntimeError) in
        let (n, k) = try nonNegative(n, k)
        guard k <= n else { return .int(0) }
        let smaller = Swift.min(k, n - k)
        var result = 1
        for i in 0..<smaller {
          // result * (n - i) / (i + 1) is exact; the product may pass 64 bits before dividing.
          let (high, low) = UInt(result).multipliedFullWidth(by: UInt(n - i))
          guard high < UInt(i + 1) else { throw .unsupported("integers beyond 64 bits") }
          let (quotient, _) = UInt(i + 1).dividingFullWidth((high, low))
          guard quotient <= UInt(Int.max) else { throw .unsupported("integers beyond 64 bits") }
          result = Int(quotient)
        }
        return .int(result)
      },
      "perm": Native.function("perm") { arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("perm() takes no keyword arguments") }
        let count = arguments.positional.count
        guard count >= 1 else { throw .typeError("perm expected at least 1 argument, got 0") }
        guard count <= 2 else { throw .typeError("perm expected at most 2 arguments, got \(count)") }
        if count == 1 || arguments.positional[1].isNone {
          let n = try Native.integer(arguments.positional[0])
          guard n >= 0 else { throw .valueError("n must be a non-negative integer") }
          return .int(try falling(n, n))
        }
        let (n, k) = try nonNegative(arguments.positional[0], arguments.positional[1])
        return .int(k > n ? 0 : try falling(n, k))
      },
      "isqrt": MathFunctions.one("isqrt") { x, _ throws(RuntimeError) in
        let n = try Native.integer(x)
        guard n >= 0 else { throw .valueError("isqrt() argument must be nonnegative") }
        var root = Int(Double(n).squareRoot())
        while root * root > n { root -= 1 }
        while case let (square, false) = (root + 1).multipliedReportingOverflow(by: root + 1), square <= n {
          root += 1
        }
        return .int(root)
      },
      "prod": Native.function("prod") { arguments, context throws(RuntimeError) in
        guard arguments.positional.count == 1 else {
          throw .typeError("prod() takes exactly 1 positional argument (\(arguments.positional.count) given)")
        }
        var total = PyValue.int(1)
        for (name, value) in arguments.keywords {
          guard name == "start" else { throw .typeError("'\(name)' is an invalid keyword argument for prod()") }
          total = value
        }
        try context.interpreter.forEach(arguments.positional[0], at: context.location) { item throws(RuntimeError) in
          total = try PyValue.binary(.multiply, total, item, context: context)
          return true
        }
        return total
      },
    ]
  }

  /// `n * (n-1) * … * (n-k+1)`.
  private static func falling(_ n: Int, _ k: Int) throws(RuntimeError) -> Int {
    var result = 1
    for factor in stride(from: n, to: n - k, by: -1) { result = try multiply(result, factor) }
    return result
  }

  private static func multiply(_ a: Int, _ b: Int) throws(RuntimeError) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    guard !overflow else { throw .unsupported("integers beyond 64 bits") }
    return product
  }

  private static func magnitude(_ n: Int) throws(RuntimeError) -> Int {
    guard n != .min else { throw .unsupported("integers beyond 64 bits") }
    return Swift.abs(n)
  }

  private static func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }

  /// `comb`'s and `perm`'s two arguments, checked as CPython checks them.
  private static func nonNegative(_ n: PyValue, _ k: PyValue) throws(RuntimeError) -> (Int, Int) {
    let (n, k) = (try Native.integer(n), try Native.integer(k))
    guard n >= 0 else { throw .valueError("n must be a non-negative integer") }
    guard k >= 0 else { throw .valueError("k must be a non-negative integer") }
    return (n, k)
  }
}
