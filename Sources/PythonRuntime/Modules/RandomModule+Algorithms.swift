import Foundation

extension RandomFunctions {
  /// `randrange(start, stop, step)` as CPython 3.11 computes it.
  static func randrange(_ generator: MersenneTwister, _ start: PyValue, _ stop: PyValue, _ step: PyValue)
    throws(RuntimeError) -> Int
  {
    let first = try index(start, "arg 1")
    guard !stop.isNone else {
      if case .int(1) = step {} else { throw .typeError("Missing a non-None stop argument") }
      guard first > 0 else { throw .valueError("empty range for randrange()") }
      return generator.below(first)
    }
    let last = try index(stop, "stop")
    let width = last - first
    let stride = try index(step, "step")
    if stride == 1 {
      guard width > 0 else { throw .valueError("empty range for randrange() (\(first), \(last), \(width))") }
      return first + generator.below(width)
    }
    guard stride != 0 else { throw .valueError("zero step for randrange()") }
    let count = stride > 0 ? floorDivide(width + stride - 1, stride) : floorDivide(width + stride + 1, stride)
    guard count > 0 else { throw .valueError("empty range for randrange()") }
    return first + stride * generator.below(count)
  }

  private static func floorDivide(_ a: Int, _ b: Int) -> Int {
    let (q, r) = a.quotientAndRemainder(dividingBy: b)
    return r != 0 && (r < 0) != (b < 0) ? q - 1 : q
  }

  /// An integer argument of `randrange`; an integral float is accepted (deprecated in 3.11).
  static func index(_ value: PyValue, _ role: String) throws(RuntimeError) -> Int {
    switch value {
    case let .int(i): return i
    case let .bool(b): return b ? 1 : 0
    case let .float(f):
      let whole = try PyValue.integer(truncating: f)
      guard Double(whole) == f else { throw .valueError("non-integer \(role) for randrange()") }
      return whole
    default: throw .typeError("'\(value.typeName)' object cannot be interpreted as an integer")
    }
  }

  /// `len(sequence)`.
  static func length(_ sequence: PyValue, _ context: CallContext) throws(RuntimeError) -> Int {
    switch sequence {
    case let .list(list): return list.items.count
    case let .tuple(items): return items.count
    case let .string(text): return text.count
    case let .dict(dict): return dict.entries.count
    case let .object(object): return try object.length(context: context)
    default: throw .typeError("object of type '\(sequence.typeName)' has no len()")
    }
  }

  /// `sample(population, k)`: CPython's pool method for small populations, its set of chosen
  /// indices otherwise (the choice changes which numbers are drawn).
  static func sample(_ generator: MersenneTwister, _ population: PyValue, _ k: PyValue, _ context: CallContext)
    throws(RuntimeError) -> [PyValue]
  {
    let items: [PyValue]
    switch population {
    case let .list(list): items = list.items
    case let .tuple(values): items = values
    case .string, .object(is PyRange): items = try Native.items(population, context)
    default: throw .typeError("Population must be a sequence.  For dicts or sets, use sorted(d).")
    }
    let n = items.count
    let count = try Native.integer(k)
    guard 0 <= count, count <= n else { throw .valueError("Sample larger than population or is negative") }
    var setSize = 21
    if count > 5 {
      setSize += Int(Foundation.pow(4, (Foundation.log(Double(count * 3)) / Foundation.log(4)).rounded(.up)))
    }
    var result: [PyValue] = []
    if n <= setSize {
      var pool = items
      for i in 0..<count {
        let j = generator.below(n - i)
        result.append(pool[j])
        pool[j] = pool[n - i - 1]
      }
    } else {
      var selected: Set<Int> = []
      for _ in 0..<count {
        var j = generator.below(n)
        while selected.contains(j) { j = generator.below(n) }
        selected.insert(j)
        result.append(items[j])
      }
    }
    return result
  }

  /// `choices(population, weights=None, *, cum_weights=None, k=1)`.
  static func choices(_ generator: MersenneTwister, _ bound: BoundArguments, _ context: CallContext)
    throws(RuntimeError) -> [PyValue]
  {
    let population = try Native.items(bound["population"], context)
    let n = population.count
    let k = try Native.integer(bound["k"])
    func pick(_ index: Int) throws(RuntimeError) -> PyValue {
      guard population.indices.contains(index) else { throw .exception("IndexError", "list index out of range") }
      return population[index]
    }
    var cumulative: [Double]
    switch (bound["weights"], bound["cum_weights"]) {
    case (.none, .none):
      var result: [PyValue] = []
      for _ in 0..<Swift.max(k, 0) { result.append(try pick(Int((generator.random() * Double(n)).rounded(.down)))) }
      return result
    case let (weights, .none):
      var total = 0.0
      cumulative = []
      for weight in try Native.items(weights, context) {
        total += try Native.real(weight, context)
        cumulative.append(total)
      }
    case let (.none, weights):
      cumulative = []
      for weight in try Native.items(weights, context) { cumulative.append(try Native.real(weight, context)) }
    default:
      throw .typeError("Cannot specify both weights and cumulative weights")
    }
    guard cumulative.count == n else { throw .valueError("The number of weights does not match the population") }
    let total = cumulative.last ?? 0
    guard total > 0 else { throw .valueError("Total of weights must be greater than zero") }
    guard total.isFinite else { throw .valueError("Total of weights must be finite") }
    var result: [PyValue] = []
    for _ in 0..<Swift.max(k, 0) {
      // bisect_right(cum_weights, random() * total, 0, n - 1)
      let x = generator.random() * total
      var (low, high) = (0, n - 1)
      while low < high {
        let middle = (low + high) / 2
        if x < cumulative[middle] { high = middle } else { low = middle + 1 }
      }
      result.append(population[low])
    }
    return result
  }

  /// The `mu` and `sigma` arguments as floats.
  static func location(_ bound: BoundArguments, _ context: CallContext) throws(RuntimeError) -> (Double, Double) {
    (try Native.real(bound["mu"], context), try Native.real(bound["sigma"], context))
  }

  /// `normalvariate(0, 1)`: Kinderman and Monahan's ratio of uniforms, as CPython draws it.
  static func normal(_ generator: MersenneTwister) -> Double {
    let magic = 4 * Foundation.exp(-0.5) / 2.0.squareRoot()
    while true {
      let u1 = generator.random()
      let u2 = 1.0 - generator.random()
      let z = magic * (u1 - 0.5) / u2
      if z * z / 4.0 <= -Foundation.log(u2) { return z }
    }
  }
}
