import Foundation
import PythonSyntax

extension PyValue {
  /// `repr(value)`, as Python writes it.
  public var repr: String {
    switch self {
    case .none: "None"
    case let .bool(b): b ? "True" : "False"
    case let .int(i): String(i)
    case let .float(f): Self.pythonFloatRepr(f)
    case let .string(s): Self.stringRepr(s)
    case let .list(list): "[" + list.items.map(\.repr).joined(separator: ", ") + "]"
    case let .tuple(items):
      items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
    case let .dict(dict): "{" + dict.entries.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
    case let .function(function): "<function \(function.name)>"
    case let .builtin(function): function.typeObject?.repr() ?? "<built-in function \(function.name)>"
    case let .object(object): object.repr()
    }
  }

  /// `str(value)`, which `print` writes.
  public var str: String {
    switch self {
    case let .string(s): s
    case let .object(object): object.str()
    default: repr
    }
  }

  /// Python's string repr: single quotes unless the text has a single quote and no double one.
  static func stringRepr(_ text: String) -> String {
    let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
    var result = String(quote)
    for character in text {
      switch character {
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      case quote: result += "\\" + String(quote)
      default: result.append(character)
      }
    }
    return result + String(quote)
  }

  /// Python's shortest round-tripping float repr (`1e-08`, `0.1`, `1.0`, `inf`).
  public static func pythonFloatRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    // Swift's description is the same shortest round-trip digits with the same exponent
    // thresholds (1e16 and 1e-4) as Python's repr.
    return value.description
  }

  /// The numeric value of a bool, int or float, for Python arithmetic.
  var number: Number? {
    switch self {
    case let .bool(b): .int(b ? 1 : 0)
    case let .int(i): .int(i)
    case let .float(f): .float(f)
    default: nil
    }
  }

  enum Number {
    case int(Int)
    case float(Double)
    var double: Double {
      switch self {
      case let .int(i): Double(i)
      case let .float(f): f
      }
    }
  }

  /// Python equality (`==`) on plain values; objects compare by identity.
  public static func equal(_ a: PyValue, _ b: PyValue) throws(RuntimeError) -> Bool {
    if let x = a.number, let y = b.number {
      if case let .int(i) = x, case let .int(j) = y { return i == j }
      return x.double == y.double
    }
    switch (a, b) {
    case (.none, .none): return true
    case let (.string(x), .string(y)): return x == y
    case let (.list(x), .list(y)): return try elementsEqual(x.items, y.items)
    case let (.tuple(x), .tuple(y)): return try elementsEqual(x, y)
    case let (.dict(x), .dict(y)):
      guard x.entries.count == y.entries.count else { return false }
      for entry in x.entries {
        guard let other = try y.value(for: entry.key), try equal(entry.value, other) else { return false }
      }
      return true
    case let (.object(x), .object(y)) where x === y: return true
    case let (.object(x as PySet), .object(y as PySet)): return try x.equals(y)
    case let (.object(x as PyDictView), _): return try x.equals(b)
    case let (_, .object(y as PyDictView)): return try y.equals(a)
    case let (.function(x), .function(y)): return x === y
    case let (.builtin(x), .builtin(y)): return x === y
    default:
      if case let .object(instance as PyInstance) = a, let result = try instance.equals(b) { return result }
      if case let .object(instance as PyInstance) = b, let result = try instance.equals(a) { return result }
      return false
    }
  }

  private static func elementsEqual(_ a: [PyValue], _ b: [PyValue]) throws(RuntimeError) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where !(try equal(x, y)) { return false }
    return true
  }

  static func unary(_ op: UnaryOperator, _ value: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    if case let .object(object) = value {
      let mapped: PythonOperator = op == .negate ? .negate : op == .plus ? .plus : .invert
      return try object.unary(mapped, context: context)
    }
    switch (op, value.number) {
    case let (.negate, .int(i)?):
      guard i != .min else { throw .unsupported("integers beyond 64 bits") }
      return .int(-i)
    case let (.negate, .float(f)?): return .float(-f)
    case let (.plus, .int(i)?): return .int(i)
    case let (.plus, .float(f)?): return .float(f)
    case let (.invert, .int(i)?): return .int(~i)
    default: throw .typeError("bad operand type for unary \(op.rawValue): '\(value.typeName)'")
    }
  }

  /// `a op b`: objects first (`__op__`, then the reflected `__rop__`), then Python's own types.
  public static func binary(_ op: PythonOperator, _ a: PyValue, _ b: PyValue, context: CallContext) throws(RuntimeError)
    -> PyValue
  {
    // `str.__mod__` accepts any right operand, so it runs before the right side's `__rmod__`.
    if op == .modulo, case let .string(template) = a {
      return .string(try Formatting.percent(template, b, context: context))
    }
    if case let .object(object) = a {
      if op.isBitwise { try checkBitwiseOperand(object, op) }
      if let result = try object.binary(op, b, reflected: false, context: context) { return result }
    }
    if case let .object(object) = b {
      if op.isBitwise { try checkBitwiseOperand(object, op) }
      if let result = try object.binary(op, a, reflected: true, context: context) { return result }
    }
    if op.isBitwise, let result = try bitwise(op, a, b) { return result }
    if let x = a.number, let y = b.number {
      guard op != .matmul && !op.isBitwise else {
        throw .typeError("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
      }
      return try arithmetic(op, x, y)
    }
    switch (op, a, b) {
    case let (.bitOr, .dict(x), .dict(y)):
      let result = x.copy()
      for (key, value) in y.entries { try result.set(value, for: key) }
      return .dict(result)
    case let (.add, .string(x), .string(y)):
      try checkRepetition(x.utf8.count + y.utf8.count, 1)
      return .string(x + y)
    case let (.add, .list(x), .list(y)):
      try checkRepetition(x.items.count + y.items.count, 1)
      return .list(PyList(x.items + y.items))
    case let (.add, .tuple(x), .tuple(y)):
      try checkRepetition(x.count + y.count, 1)
      return .tuple(x + y)
    case let (.multiply, .list, .bool(flag)), let (.multiply, .tuple, .bool(flag)),
      let (.multiply, .string, .bool(flag)):
      return try binary(.multiply, a, .int(flag ? 1 : 0), context: context)
    case let (.multiply, .bool(flag), .list), let (.multiply, .bool(flag), .tuple),
      let (.multiply, .bool(flag), .string):
      return try binary(.multiply, .int(flag ? 1 : 0), b, context: context)
    case (.multiply, .list, .float), (.multiply, .tuple, .float), (.multiply, .string, .float),
      (.multiply, .float, .list), (.multiply, .float, .tuple), (.multiply, .float, .string):
      throw .typeError("can't multiply sequence by non-int of type 'float'")
    case let (.multiply, .list(x), .int(n)), let (.multiply, .int(n), .list(x)):
      return .list(PyList(try repeated(x.items, n)))
    case let (.multiply, .tuple(x), .int(n)), let (.multiply, .int(n), .tuple(x)):
      return .tuple(try repeated(x, n))
    case let (.multiply, .string(x), .int(n)), let (.multiply, .int(n), .string(x)):
      try checkRepetition(x.count, n)
      // An empty string repeated any number of times is empty, without a loop over the count.
      return .string(x.isEmpty ? "" : String(repeating: x, count: max(n, 0)))
    case (.multiply, .list, _), (.multiply, .tuple, _), (.multiply, .string, _):
      throw .typeError("can't multiply sequence by non-int of type '\(b.typeName)'")
    case (.multiply, _, .list), (.multiply, _, .tuple), (.multiply, _, .string):
      throw .typeError("can't multiply sequence by non-int of type '\(a.typeName)'")
    case (.add, .list, _), (.add, .tuple, _), (.add, .string, _):
      throw .typeError("can only concatenate \(a.typeName) (not \"\(b.typeName)\") to \(a.typeName)")
    case (.equal, _, _): return .bool(try equal(a, b))
    case (.notEqual, _, _): return .bool(!(try equal(a, b)))
    case (.less, _, _), (.lessEqual, _, _), (.greater, _, _), (.greaterEqual, _, _):
      throw .typeError("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    default:
      // CPython names `**` with the builtin that shares its slot.
      let symbol = op == .power ? "** or pow()" : op.rawValue
      throw .typeError("unsupported operand type(s) for \(symbol): '\(a.typeName)' and '\(b.typeName)'")
    }
  }

  /// A float truncated to a Python int, as `int(x)` does: infinities are an OverflowError,
  /// NaN a ValueError, and values beyond 64 bits unsupported — never a trap.
  public static func integer(truncating value: Double) throws(RuntimeError) -> Int {
    if value.isNaN { throw .valueError("cannot convert float NaN to integer") }
    if value.isInfinite { throw .exception("OverflowError", "cannot convert float infinity to integer") }
    let truncated = value.rounded(.towardZero)
    guard truncated >= -9.223372036854775808e18, truncated < 9.223372036854775808e18 else {
      throw .unsupported("integers beyond 64 bits")
    }
    return Int(truncated)
  }

  /// The most elements a program may build by repeating a sequence (`[0] * n`).
  static let maxSequenceLength = 10_000_000

  /// `items * times`, within the sequence limit, in one allocation (an empty sequence
  /// repeated any number of times is empty at once).
  private static func repeated(_ items: [PyValue], _ times: Int) throws(RuntimeError) -> [PyValue] {
    try checkRepetition(items.count, times)
    guard !items.isEmpty, times > 0 else { return [] }
    var result: [PyValue] = []
    result.reserveCapacity(items.count * times)
    for _ in 0..<times { result.append(contentsOf: items) }
    return result
  }

  private static func checkRepetition(_ count: Int, _ times: Int) throws(RuntimeError) {
    let (total, overflow) = count.multipliedReportingOverflow(by: max(times, 0))
    guard !overflow, total <= maxSequenceLength else {
      throw RuntimeError(
        .limitExceeded("a sequence of more than \(maxSequenceLength) elements exceeds Lockstep's limit"))
    }
  }

  private static func arithmetic(_ op: PythonOperator, _ x: Number, _ y: Number) throws(RuntimeError) -> PyValue {
    func checked(_ result: (partialValue: Int, overflow: Bool)) throws(RuntimeError) -> PyValue {
      guard !result.overflow else { throw .unsupported("integers beyond 64 bits") }
      return .int(result.partialValue)
    }
    if case let .int(i) = x, case let .int(j) = y {
      switch op {
      case .add: return try checked(i.addingReportingOverflow(j))
      case .subtract: return try checked(i.subtractingReportingOverflow(j))
      case .multiply: return try checked(i.multipliedReportingOverflow(by: j))
      case .floorDivide, .modulo:
        guard j != 0 else {
          throw .exception(
            "ZeroDivisionError", op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero")
        }
        guard !(i == .min && j == -1) else { throw .unsupported("integers beyond 64 bits") }
        let (q, r) = i.quotientAndRemainder(dividingBy: j)
        let adjust = r != 0 && ((r < 0) != (j < 0))
        return .int(op == .modulo ? (adjust ? r + j : r) : (adjust ? q - 1 : q))
      case .power where j >= 0:
        // Exponentiation by squaring: O(log j) steps, so `1 ** 10**18` cannot hang.
        var (result, base, exponent) = (1, i, j)
        while exponent > 0 {
          if exponent & 1 == 1 {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            guard !overflow else { throw .unsupported("integers beyond 64 bits") }
            result = product
          }
          exponent >>= 1
          if exponent > 0 {
            let (square, overflow) = base.multipliedReportingOverflow(by: base)
            guard !overflow else { throw .unsupported("integers beyond 64 bits") }
            base = square
          }
        }
        return .int(result)
      default: break
      }
    }
    let a = x.double
    let b = y.double
    switch op {
    case .add: return .float(a + b)
    case .subtract: return .float(a - b)
    case .multiply: return .float(a * b)
    case .divide:
      guard b != 0 else {
        // CPython names the float case: `1 / 0` is "division by zero", `1.5 / 0` is not.
        let isIntDivision = if case .int = x, case .int = y { true } else { false }
        throw .exception("ZeroDivisionError", isIntDivision ? "division by zero" : "float division by zero")
      }
      return .float(a / b)
    case .floorDivide:
      guard b != 0 else { throw .exception("ZeroDivisionError", "float floor division by zero") }
      return .float(floatDivMod(a, b).quotient)
    case .modulo:
      guard b != 0 else { throw .exception("ZeroDivisionError", "float modulo") }
      return .float(floatDivMod(a, b).remainder)
    case .power:
      if a == 0 && b < 0 { throw .exception("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
      return .float(Foundation.pow(a, b))
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
      return .bool(compareNumbers(op, a, b))
    case .matmul, .negate, .plus, .invert, .absolute, .bitOr, .bitXor, .bitAnd, .leftShift, .rightShift:
      throw .typeError("unsupported operand type(s) for \(op.rawValue): 'int' and 'int'")
    }
  }

  /// CPython's `_float_div_mod`: floor division and modulo consistent with each other
  /// (`1 // 0.1 == 9.0`), a zero remainder taking the divisor's sign.
  static func floatDivMod(_ a: Double, _ b: Double) -> (quotient: Double, remainder: Double) {
    var remainder = a.truncatingRemainder(dividingBy: b)
    var division = (a - remainder) / b
    if remainder != 0 {
      if (b < 0) != (remainder < 0) {
        remainder += b
        division -= 1
      }
    } else {
      remainder = copysign(0.0, b)
    }
    guard division != 0 else { return (copysign(0.0, a / b), remainder) }
    var quotient = division.rounded(.down)
    if division - quotient > 0.5 { quotient += 1 }
    return (quotient, remainder)
  }

  private static func compareNumbers(_ op: PythonOperator, _ a: Double, _ b: Double) -> Bool {
    switch op {
    case .less: a < b
    case .lessEqual: a <= b
    case .greater: a > b
    case .greaterEqual: a >= b
    case .equal: a == b
    default: a != b
    }
  }

  static func compare(_ op: CompareOperator, _ a: PyValue, _ b: PyValue, context: CallContext) throws(RuntimeError)
    -> PyValue
  {
    switch op {
    case .is: return .bool(try identical(a, b))
    case .isNot: return .bool(!(try identical(a, b)))
    case .in, .notIn:
      if case let .object(instance as PyInstance) = b {
        var found: Bool
        if let result = try instance.dunder("__contains__", [a], context: context) {
          found = try context.interpreter.truthValue(result, at: context.location)
        } else {
          found = false
          try context.interpreter.forEach(b, at: context.location) { item throws(RuntimeError) in
            found = try equal(item, a)
            return !found
          }
        }
        return .bool(op == .in ? found : !found)
      }
      let found = try contains(b, a, context: context)
      return .bool(op == .in ? found : !found)
    default: break
    }
    guard let mapped = PythonOperator(op) else { preconditionFailure("membership and identity are handled above") }
    if case .object = a { return try binary(mapped, a, b, context: context) }
    if case .object = b { return try binary(mapped, a, b, context: context) }
    if op == .equal { return .bool(try equal(a, b)) }
    if op == .notEqual { return .bool(!(try equal(a, b))) }
    if let x = a.number, let y = b.number { return .bool(compareNumbers(mapped, x.double, y.double)) }
    if case let .string(x) = a, case let .string(y) = b {
      switch op {
      case .less: return .bool(x < y)
      case .lessEqual: return .bool(x <= y)
      case .greater: return .bool(x > y)
      default: return .bool(x >= y)
      }
    }
    switch (a, b) {
    case let (.list(x), .list(y)): return try compareSequences(op, x.items, y.items, context: context)
    case let (.tuple(x), .tuple(y)): return try compareSequences(op, x, y, context: context)
    default: break
    }
    throw .typeError("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
  }

  /// Lexicographic ordering of lists or tuples: the first unequal items decide, else the lengths.
  private static func compareSequences(_ op: CompareOperator, _ a: [PyValue], _ b: [PyValue], context: CallContext)
    throws(RuntimeError) -> PyValue
  {
    for (x, y) in zip(a, b) where !(try equal(x, y)) { return try compare(op, x, y, context: context) }
    return try compare(op, .int(a.count), .int(b.count), context: context)
  }

  private static func identical(_ a: PyValue, _ b: PyValue) throws(RuntimeError) -> Bool {
    switch (a, b) {
    case (.none, .none): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.object(x), .object(y)): return x === y
    case let (.list(x), .list(y)): return x === y
    case let (.dict(x), .dict(y)): return x === y
    case let (.function(x), .function(y)): return x === y
    case let (.builtin(x), .builtin(y)): return x === y
    case (.int, .int), (.float, .float), (.string, .string), (.tuple, .tuple): return try equal(a, b)
    default: return false
    }
  }

  /// Indexing or slicing a list, tuple or string.
  static func sequenceItem(
    _ items: [PyValue], _ index: PyValue, typeName: String, rebuild: ([PyValue]) -> PyValue
  ) throws(RuntimeError) -> PyValue {
    if let slice = index.object(as: PySlice.self) {
      return rebuild(try slice.indices(count: items.count).map { items[$0] })
    }
    let position: Int
    switch index {
    case let .int(i): position = i
    case let .bool(b): position = b ? 1 : 0
    default:
      // CPython 3.11 words the string case differently (no slices, the type quoted).
      if typeName == "string" { throw .typeError("string indices must be integers, not '\(index.typeName)'") }
      throw .typeError("\(typeName) indices must be integers or slices, not \(index.typeName)")
    }
    let resolved = position < 0 ? position + items.count : position
    guard items.indices.contains(resolved) else { throw .exception("IndexError", "\(typeName) index out of range") }
    return items[resolved]
  }

  /// Methods of Python's built-in types that the subset supports: nil when the value is not
  /// one of them; `unsupported` for a CPython method Lockstep lacks; AttributeError otherwise.
  static func method(of value: PyValue, _ name: String) throws(RuntimeError) -> BuiltinFunction? {
    let method: BuiltinFunction?
    switch value {
    case let .list(list): method = listMethod(list, name)
    case let .tuple(items): method = tupleMethod(items, name)
    case let .dict(dict): method = dictMethod(dict, name)
    case let .string(text): method = stringMethod(text, name)
    default: return nil
    }
    if let method { return method }
    if unsupportedMethods[value.typeName]?.contains(name) == true {
      throw .unsupported("the '\(value.typeName).\(name)' method")
    }
    throw .exception("AttributeError", "'\(value.typeName)' object has no attribute '\(name)'")
  }

  /// CPython methods of the builtin types that Lockstep does not implement yet.
  static let unsupportedMethods: [String: Set<String>] = [
    "str": [
      "encode", "expandtabs", "translate", "maketrans", "format_map", "casefold", "isascii", "isprintable",
      "isidentifier", "istitle",
    ],
    "dict": [], "list": [], "tuple": [],
  ]
}
