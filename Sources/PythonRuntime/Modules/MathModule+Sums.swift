import Foundation

/// `math.fsum`, `math.hypot` and `math.dist`, computed exactly as CPython computes them
/// (Shewchuk's partials for `fsum`; scaled, compensated sums of squares for the norms).
enum ExactSums {
  static var members: [String: PyValue] {
    [
      "fsum": MathFunctions.one("fsum") { iterable, context throws(RuntimeError) in
        var values: [Double] = []
        try context.interpreter.forEach(iterable, at: context.location) { item throws(RuntimeError) in
          values.append(try Native.real(item, context))
          return true
        }
        return .float(try fsum(values))
      },
      "hypot": Native.function("hypot") { arguments, context throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("hypot() takes no keyword arguments") }
        var coordinates: [Double] = []
        for value in arguments.positional { coordinates.append(Swift.abs(try Native.real(value, context))) }
        return .float(norm(coordinates))
      },
      "dist": MathFunctions.two("dist") { p, q, context throws(RuntimeError) in
        let (p, q) = (try Native.items(p, context), try Native.items(q, context))
        guard p.count == q.count else { throw .valueError("both points must have the same number of dimensions") }
        var differences: [Double] = []
        for (a, b) in zip(p, q) { differences.append(Swift.abs(try Native.real(a, context) - Native.real(b, context))) }
        return .float(norm(differences))
      },
    ]
  }

  /// CPython's `math_fsum`: the exact sum of the values, correctly rounded.
  static func fsum(_ values: [Double]) throws(RuntimeError) -> Double {
    var partials: [Double] = []
    var specialSum = 0.0
    var infinitySum = 0.0
    for value in values {
      var x = value
      var kept = 0
      for j in partials.indices {
        var y = partials[j]
        if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
        let high = x + y
        let low = y - (high - x)
        if low != 0 {
          partials[kept] = low
          kept += 1
        }
        x = high
      }
      partials.removeSubrange(kept...)
      guard x != 0 else { continue }
      if !x.isFinite {
        // A non-finite partial comes from an overflow or from an infinity or NaN summand.
        if value.isFinite { throw .exception("OverflowError", "intermediate overflow in fsum") }
        if value.isInfinite { infinitySum += value }
        specialSum += value
        partials = []
      } else {
        partials.append(x)
      }
    }
    if specialSum != 0 {
      if infinitySum.isNaN { throw .valueError("-inf + inf in fsum") }
      return specialSum
    }
    guard var n = partials.indices.last else { return 0 }
    var high = partials[n]
    var low = 0.0
    while n > 0 {
      n -= 1
      let x = high
      let y = partials[n]
      high = x + y
      low = y - (high - x)
      if low != 0 { break }
    }
    // Half-even rounding across partials: sum([1e-16, 1, 1e16]) rounds up.
    if n > 0 && ((low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0)) {
      let y = low * 2
      let x = high + y
      if y == x - high { high = x }
    }
    return high
  }

  /// CPython's `vector_norm`: `sqrt(sum(x*x))` of non-negative values, scaled by a power of two
  /// and summed with compensation, then corrected once.
  static func norm(_ values: [Double]) -> Double {
    let maximum = values.max() ?? 0
    if maximum.isInfinite { return maximum }
    if values.contains(where: \.isNaN) { return .nan }
    if maximum == 0 || values.count <= 1 { return maximum }
    let exponent = Foundation.frexp(maximum).1
    if exponent < -1023 {
      let minimum = Double.leastNormalMagnitude
      return minimum * norm(values.map { $0 / minimum })
    }
    let scale = Foundation.scalbn(1.0, -exponent)
    var sum = 1.0
    var fraction1 = 0.0
    var fraction2 = 0.0
    func accumulate(_ square: (high: Double, low: Double)) {
      // A fast two-sum: |sum| >= |square.high| always holds here.
      let total = sum + square.high
      fraction2 += square.high - (total - sum)
      sum = total
      fraction1 += square.low
    }
    for value in values {
      let x = value * scale
      accumulate(exactProduct(x, x))
    }
    var h = (sum - 1 + (fraction1 + fraction2)).squareRoot()
    accumulate(exactProduct(-h, h))
    h += (sum - 1 + (fraction1 + fraction2)) / (2 * h)
    return h / scale
  }

  /// `x * y` as the rounded product and its exact rounding error (an fma).
  private static func exactProduct(_ x: Double, _ y: Double) -> (high: Double, low: Double) {
    let product = x * y
    return (product, (-product).addingProduct(x, y))
  }
}
