import PythonSyntax

extension PythonOperator {
  /// Whether this is `|`, `^`, `&`, `<<` or `>>`.
  var isBitwise: Bool {
    switch self {
    case .bitOr, .bitXor, .bitAnd, .leftShift, .rightShift: true
    default: false
    }
  }
}

extension PyValue {
  /// Host objects (tensors, arrays) do not implement the bitwise operators yet: they are
  /// refused rather than passed an operator their `binary` does not know.
  static func checkBitwiseOperand(_ object: any PyObject, _ op: PythonOperator) throws(RuntimeError) {
    switch object {
    case is PyInstance, is PySet, is PyDictView: return
    default: throw .unsupported("the '\(op.rawValue)' operator on '\(object.typeName)' objects")
    }
  }

  /// `|`, `^`, `&`, `<<`, `>>` on ints and bools (bool with bool stays bool for `| ^ &`);
  /// nil for other operands.
  static func bitwise(_ op: PythonOperator, _ a: PyValue, _ b: PyValue) throws(RuntimeError) -> PyValue? {
    if case let .bool(x) = a, case let .bool(y) = b {
      switch op {
      case .bitOr: return .bool(x || y)
      case .bitAnd: return .bool(x && y)
      case .bitXor: return .bool(x != y)
      default: break
      }
    }
    func integer(_ value: PyValue) -> Int? {
      switch value {
      case let .int(i): i
      case let .bool(flag): flag ? 1 : 0
      default: nil
      }
    }
    guard let x = integer(a), let y = integer(b) else { return nil }
    switch op {
    case .bitOr: return .int(x | y)
    case .bitAnd: return .int(x & y)
    case .bitXor: return .int(x ^ y)
    case .leftShift, .rightShift:
      guard y >= 0 else { throw .valueError("negative shift count") }
      if op == .rightShift { return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y) }
      guard x != 0 else { return .int(0) }
      guard y < 63, (x << y) >> y == x else { throw .unsupported("integers beyond 64 bits") }
      return .int(x << y)
    default: return nil
    }
  }

  /// `item in container` for containers other than program instances: hashed for dicts and
  /// sets, a substring test for strings, `==` along anything else iterable.
  static func contains(_ container: PyValue, _ item: PyValue, context: CallContext) throws(RuntimeError) -> Bool {
    switch container {
    case let .dict(dict): return try dict.contains(item)
    case let .string(text):
      guard case let .string(part) = item else {
        throw .typeError("'in <string>' requires string as left operand, not \(item.typeName)")
      }
      return part.isEmpty || text.contains(part)
    case let .object(set as PySet): return try set.contains(item)
    case let .object(view as PyDictView): return try view.contains(item, context: context)
    case let .object(range as PyRange):
      switch item {
      case let .int(i): return range.contains(i)
      case let .bool(b): return range.contains(b ? 1 : 0)
      default:
        // Anything else is compared with each element, as CPython does.
        for index in 0..<range.count where try equal(.int(range.element(index)), item) { return true }
        return false
      }
    case .object(is PyIterator):
      var found = false
      try context.interpreter.forEach(container, at: context.location) { element throws(RuntimeError) in
        found = try equal(element, item)
        return !found
      }
      return found
    case .object:
      throw .unsupported("'in' on '\(container.typeName)' objects")
    default:
      for element in try context.interpreter.iterate(container, at: context.location) where try equal(element, item) {
        return true
      }
      return false
    }
  }
}
