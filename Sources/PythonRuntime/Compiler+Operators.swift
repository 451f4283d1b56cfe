import PythonSyntax

/// Operators: ints and floats computed in place, everything else through `PyValue.binary`
/// and `PyValue.compare` as the tree walker does.
extension Compiler {
  func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, at: SourcePosition) -> CompiledExpression {
    let (left, right) = (operand(lhs), operand(rhs))
    if case let .int(constant) = rhs.kind {
      // `i * 3`, `n % 7`: the int captured as such, so the fast path tests one operand.
      let operand = PyValue.int(constant)
      return { interpreter, scope throws(RuntimeError) in
        let value = try left.value(interpreter, scope)
        if let result = Compiler.arithmetic(op, value, operand) { return result }
        return try located(at) { () throws(RuntimeError) in try interpreter.binary(op, value, operand, at: at) }
      }
    }
    return { interpreter, scope throws(RuntimeError) in
      let a = try left.value(interpreter, scope)
      let b = try right.value(interpreter, scope)
      if let result = Compiler.arithmetic(op, a, b) { return result }
      return try located(at) { () throws(RuntimeError) in try interpreter.binary(op, a, b, at: at) }
    }
  }

  /// `a op b` for ints and floats when no error or overflow can arise; nil otherwise.
  @inline(__always)
  static func arithmetic(_ op: BinaryOperator, _ a: PyValue, _ b: PyValue) -> PyValue? {
    switch (a, b) {
    case let (.int(x), .int(y)):
      switch op {
      case .add:
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : .int(sum)
      case .subtract:
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        return overflow ? nil : .int(difference)
      case .multiply:
        let (product, overflow) = x.multipliedReportingOverflow(by: y)
        return overflow ? nil : .int(product)
      case .floorDivide where y > 0:
        let (quotient, remainder) = x.quotientAndRemainder(dividingBy: y)
        return .int(remainder < 0 ? quotient - 1 : quotient)
      case .modulo where y > 0:
        let remainder = x % y
        return .int(remainder < 0 ? remainder + y : remainder)
      default: return nil
      }
    case let (.float(x), .float(y)): return floating(op, x, y)
    case let (.float(x), .int(y)): return floating(op, x, Double(y))
    case let (.int(x), .float(y)): return floating(op, Double(x), y)
    default: return nil
    }
  }

  @inline(__always)
  private static func floating(_ op: BinaryOperator, _ x: Double, _ y: Double) -> PyValue? {
    switch op {
    case .add: .float(x + y)
    case .subtract: .float(x - y)
    case .multiply: .float(x * y)
    case .divide where y != 0: .float(x / y)
    default: nil
    }
  }

  func unary(_ op: UnaryOperator, _ operand: Expr, at: SourcePosition) -> CompiledExpression {
    if op == .not {
      let test = condition(operand, at: at)
      return { interpreter, scope throws(RuntimeError) in
        .bool(!(try located(at) { () throws(RuntimeError) in try test(interpreter, scope) }))
      }
    }
    let value = expression(operand)
    return { interpreter, scope throws(RuntimeError) in
      let operand = try value(interpreter, scope)
      switch (op, operand) {
      case let (.negate, .int(number)) where number != .min: return .int(-number)
      case let (.negate, .float(number)): return .float(-number)
      default:
        return try located(at) { () throws(RuntimeError) in
          try PyValue.unary(op, operand, context: CallContext(interpreter: interpreter, location: at))
        }
      }
    }
  }

  /// A comparison chain, stopping at the first false link.
  func comparison(_ first: Expr, _ rest: [Comparison], at: SourcePosition) -> CompiledExpression {
    let start = expression(first)
    let links = rest.map { (op: $0.op, rhs: expression($0.rhs)) }
    if links.count == 1 {
      let (op, right) = (links[0].op, links[0].rhs)
      return { interpreter, scope throws(RuntimeError) in
        let a = try start(interpreter, scope)
        let b = try right(interpreter, scope)
        if let result = Compiler.compared(op, a, b) { return .bool(result) }
        return try located(at) { () throws(RuntimeError) in
          try PyValue.compare(op, a, b, context: CallContext(interpreter: interpreter, location: at))
        }
      }
    }
    return { interpreter, scope throws(RuntimeError) in
      var lhs = try start(interpreter, scope)
      var result: PyValue = .bool(true)
      for link in links {
        let rhs = try link.rhs(interpreter, scope)
        result = try located(at) { () throws(RuntimeError) in
          try PyValue.compare(link.op, lhs, rhs, context: CallContext(interpreter: interpreter, location: at))
        }
        if !(try located(at) { () throws(RuntimeError) in try interpreter.truthValue(result, at: at) }) {
          return result
        }
        lhs = rhs
      }
      return result
    }
  }

  /// A one-link comparison used as a condition: its truth without a bool value in between.
  func directComparison(_ first: Expr, _ link: Comparison, at: SourcePosition) -> CompiledCondition {
    let (left, right, op) = (expression(first), expression(link.rhs), link.op)
    return { interpreter, scope throws(RuntimeError) in
      let a = try left(interpreter, scope)
      let b = try right(interpreter, scope)
      if let result = Compiler.compared(op, a, b) { return result }
      return try located(at) { () throws(RuntimeError) in
        let result = try PyValue.compare(op, a, b, context: CallContext(interpreter: interpreter, location: at))
        if case let .bool(flag) = result { return flag }
        return try interpreter.truthValue(result, at: at)
      }
    }
  }

  /// `a op b` for two ints, two floats or two strings (`==`, `!=`); nil for anything else.
  @inline(__always)
  static func compared(_ op: CompareOperator, _ a: PyValue, _ b: PyValue) -> Bool? {
    switch (a, b) {
    case let (.int(x), .int(y)): return ordered(op, x, y)
    case let (.float(x), .float(y)): return ordered(op, x, y)
    case let (.string(x), .string(y)):
      switch op {
      case .equal: return x == y
      case .notEqual: return x != y
      default: return nil
      }
    default: return nil
    }
  }

  @inline(__always)
  private static func ordered<T: Comparable>(_ op: CompareOperator, _ x: T, _ y: T) -> Bool? {
    switch op {
    case .equal: x == y
    case .notEqual: x != y
    case .less: x < y
    case .lessEqual: x <= y
    case .greater: x > y
    case .greaterEqual: x >= y
    default: nil
    }
  }
}
