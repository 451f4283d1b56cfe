import PythonSyntax

/// Runs `body`, placing an error it throws at `location` when the error has no place yet
/// (what the tree walker's `evaluate` does for each expression).
@inline(__always)
func located<T>(_ location: SourcePosition, _ body: () throws(RuntimeError) -> T) throws(RuntimeError) -> T {
  do {
    return try body()
  } catch {
    throw error.located(at: location)
  }
}

/// The instance a value holds, when it is a program-class instance (a cheaper test than `as?`).
@inline(__always)
func programInstance(_ value: PyValue) -> PyInstance? {
  guard case let .object(object) = value, type(of: object) == PyInstance.self else { return nil }
  return unsafeDowncast(object, to: PyInstance.self)
}

extension Compiler {
  /// Compiles an expression.
  func expression(_ expression: Expr) -> CompiledExpression {
    let at = expression.start
    switch expression.kind {
    case let .name(name): return load(name, at: at)
    case let .int(value): return constant(.int(value))
    case let .float(value): return constant(.float(value))
    case let .string(value): return constant(.string(value))
    case let .bool(value): return constant(.bool(value))
    case .none: return constant(.none)
    case let .list(items) where !items.contains(where: \.isStarred):
      let compiled = codes(items)
      return { interpreter, scope throws(RuntimeError) in
        .list(PyList(try Compiler.values(compiled, interpreter, scope)))
      }
    case let .tuple(items) where !items.contains(where: \.isStarred):
      let compiled = codes(items)
      return { interpreter, scope throws(RuntimeError) in .tuple(try Compiler.values(compiled, interpreter, scope)) }
    case let .attribute(base, name): return attribute(base, name, at: at)
    case let .subscript(base, index): return subscriptItem(base, index, at: at)
    case let .call(callee, arguments): return call(callee, arguments, at: at, whole: expression)
    case let .binary(op, lhs, rhs): return binary(op, lhs, rhs, at: at)
    case let .unary(op, operand): return unary(op, operand, at: at)
    case let .compare(first, rest): return comparison(first, rest, at: at)
    case let .and(lhs, rhs):
      let (left, right, leftTruth) = (self.expression(lhs), self.expression(rhs), truth(at: at))
      return { interpreter, scope throws(RuntimeError) in
        let value = try left(interpreter, scope)
        return try located(at) { () throws(RuntimeError) in try leftTruth(interpreter, value) }
          ? try right(interpreter, scope) : value
      }
    case let .or(lhs, rhs):
      let (left, right, leftTruth) = (self.expression(lhs), self.expression(rhs), truth(at: at))
      return { interpreter, scope throws(RuntimeError) in
        let value = try left(interpreter, scope)
        return try located(at) { () throws(RuntimeError) in try leftTruth(interpreter, value) }
          ? value : try right(interpreter, scope)
      }
    case let .conditional(test, body, orElse):
      let (test, body, orElse) = (condition(test, at: at), self.expression(body), self.expression(orElse))
      return { interpreter, scope throws(RuntimeError) in
        try located(at) { () throws(RuntimeError) in try test(interpreter, scope) }
          ? try body(interpreter, scope) : try orElse(interpreter, scope)
      }
    case let .comprehension(kind, element, value, clauses) where kind != .generator:
      return comprehension(kind, element: element, value: value, clauses: clauses, at: at)
    case let .lambda(parameters, body):
      return functionMaker(
        name: "<lambda>", parameters: parameters, body: [Stmt(.return(body), at: body.start)], at: at)
    default:
      return treeWalked(expression)
    }
  }

  private func constant(_ value: PyValue) -> CompiledExpression {
    { _, _ throws(RuntimeError) in value }
  }

  /// The values of compiled expressions, in order.
  @inline(__always)
  static func values(_ compiled: [ExpressionCode], _ interpreter: Interpreter, _ scope: Scope)
    throws(RuntimeError) -> [PyValue]
  {
    var values: [PyValue] = []
    values.reserveCapacity(compiled.count)
    for item in compiled { values.append(try item.evaluate(interpreter, scope)) }
    return values
  }

  /// Compiles expressions to keep in an array.
  func codes(_ expressions: [Expr]) -> [ExpressionCode] {
    expressions.map { ExpressionCode(evaluate: expression($0)) }
  }

  // MARK: - Names

  /// Reads a name from where it lives.
  func load(_ name: String, at at: SourcePosition) -> CompiledExpression {
    switch place(of: name) {
    case let .local(slot):
      return { interpreter, scope throws(RuntimeError) in
        if let value = scope.slots[slot] { return value }
        throw interpreter.unboundLocal(name).located(at: at)
      }
    case let .enclosing(depth, slot):
      return { interpreter, scope throws(RuntimeError) in
        if let value = Compiler.ancestor(of: scope, depth).slots[slot] { return value }
        throw interpreter.unboundFreeVariable(name).located(at: at)
      }
    case let .global(cell, builtin):
      return { interpreter, _ throws(RuntimeError) in
        if let value = cell.value { return value }
        if let value = builtin?.value { return value }
        throw interpreter.missingName(name).located(at: at)
      }
    case let .dynamic(depth):
      return { interpreter, scope throws(RuntimeError) in
        switch Compiler.ancestor(of: scope, depth).lookup(name) {
        case let .found(value): return value
        case .unbound: throw interpreter.unboundLocal(name).located(at: at)
        case .unboundFree: throw interpreter.unboundFreeVariable(name).located(at: at)
        case .missing: throw interpreter.missingName(name).located(at: at)
        }
      }
    }
  }

  /// An operand of a hot path (an operator, a call's receiver): a local or a constant is read
  /// in place, anything else through its compiled expression.
  func operand(_ expression: Expr) -> Operand {
    if let (slot, name) = localSlot(expression) { return .local(slot, UnboundLocal(name: name, at: expression.start)) }
    switch expression.kind {
    case let .int(value): return .constant(.int(value))
    case let .float(value): return .constant(.float(value))
    default: return .computed(self.expression(expression))
    }
  }

  /// The slot of a name that is a local of the unit (for code that reads it in place).
  func localSlot(_ expression: Expr) -> (slot: Int, name: String)? {
    guard case let .name(name) = expression.kind, case let .local(slot) = place(of: name) else { return nil }
    return (slot, name)
  }

  /// The scope `depth` parents up (compiled code knows the chain is that long).
  @inline(__always)
  static func ancestor(of scope: Scope, _ depth: Int) -> Scope {
    var current = scope
    for _ in 0..<depth { current = current.parent.unsafelyUnwrapped }
    return current
  }

  // MARK: - Attributes and items

  private func attribute(_ base: Expr, _ name: String, at: SourcePosition) -> CompiledExpression {
    let general = attributeOfValue(expression(base), name, at: at)
    // `local.name` (`self.x`): an instance's own attribute read straight from the slot.
    guard !name.isDunder, case let .name(baseName) = base.kind, case let .local(slot) = place(of: baseName) else {
      return general
    }
    let key = AttributeName(name)
    return { interpreter, scope throws(RuntimeError) in
      if case let .object(object)? = scope.slots[slot], type(of: object) == PyInstance.self,
        let own = unsafeDowncast(object, to: PyInstance.self).attributes.value(key)
      {
        return own
      }
      return try general(interpreter, scope)
    }
  }

  /// `base.name` for any base.
  private func attributeOfValue(_ base: @escaping CompiledExpression, _ name: String, at: SourcePosition)
    -> CompiledExpression
  {
    guard !name.isDunder else {
      return { interpreter, scope throws(RuntimeError) in
        let value = try base(interpreter, scope)
        return try located(at) { () throws(RuntimeError) in try interpreter.getAttribute(value, name, at: at) }
      }
    }
    let (key, cache) = (AttributeName(name), ClassLookupCache())
    return { interpreter, scope throws(RuntimeError) in
      let value = try base(interpreter, scope)
      return try located(at) { () throws(RuntimeError) in
        if let instance = programInstance(value) {
          if let own = instance.attributes.value(key) { return own }
          if let found = cache.lookup(instance.cls, name) {
            return try interpreter.bind(found, instance: value, owner: instance.cls)
          }
          return try interpreter.instanceAttribute(instance, name)
        }
        return try interpreter.getAttribute(value, name, at: at)
      }
    }
  }

  private func subscriptItem(_ base: Expr, _ index: Expr, at: SourcePosition) -> CompiledExpression {
    let (base, index) = (expression(base), sliceOrExpression(index))
    return { interpreter, scope throws(RuntimeError) in
      let container = try base(interpreter, scope)
      let key = try index(interpreter, scope)
      return try located(at) { () throws(RuntimeError) in
        switch (container, key) {
        case let (.list(list), .int(position)):
          let adjusted = position < 0 ? position + list.items.count : position
          if adjusted >= 0 && adjusted < list.items.count { return list.items[adjusted] }
        case let (.dict(dict), _):
          guard let value = try dict.value(for: key) else { throw interpreter.keyError(key) }
          return value
        default: break
        }
        return try interpreter.item(container, key, at: at)
      }
    }
  }

  /// A subscript's index: a `lower:upper:step` slice or any expression.
  func sliceOrExpression(_ index: Expr) -> CompiledExpression {
    guard case let .slice(lower, upper, step) = index.kind else { return expression(index) }
    let parts = [lower, upper, step].map { part in part.map(expression) ?? constant(.none) }
    return { interpreter, scope throws(RuntimeError) in
      .object(
        PySlice(
          lower: try parts[0](interpreter, scope), upper: try parts[1](interpreter, scope),
          step: try parts[2](interpreter, scope)))
    }
  }

  // MARK: - Truth

  /// `bool(value)` without a call for the common types.
  func truth(at at: SourcePosition) -> (Interpreter, PyValue) throws(RuntimeError) -> Bool {
    { interpreter, value throws(RuntimeError) in
      switch value {
      case let .bool(flag): return flag
      case let .int(number): return number != 0
      case .none: return false
      default: return try interpreter.truthValue(value, at: at)
      }
    }
  }

  /// An `if`/`while` test or conditional: comparisons and `not` give their truth directly.
  func condition(_ test: Expr, at: SourcePosition) -> CompiledCondition {
    switch test.kind {
    case let .unary(.not, operand):
      let inner = condition(operand, at: test.start)
      return { interpreter, scope throws(RuntimeError) in !(try inner(interpreter, scope)) }
    case let .compare(first, rest) where rest.count == 1:
      return directComparison(first, rest[0], at: test.start)
    default: break
    }
    let value = expression(test)
    return { interpreter, scope throws(RuntimeError) in
      switch try value(interpreter, scope) {
      case let .bool(flag): return flag
      case let .int(number): return number != 0
      case .none: return false
      case let other: return try interpreter.truthValue(other, at: test.start)
      }
    }
  }
}

extension Expr {
  /// Whether this is a `*value` item.
  var isStarred: Bool {
    if case .starred = kind { true } else { false }
  }
}

extension String {
  /// Whether this is a dunder name (`__x__`).
  var isDunder: Bool { hasPrefix("__") && hasSuffix("__") }
}

/// A compiled operand (see `Compiler.operand`): reading a local or a constant calls no closure.
enum Operand {
  case local(Int, UnboundLocal)
  case constant(PyValue)
  case computed(CompiledExpression)

  @inline(__always)
  func value(_ interpreter: Interpreter, _ scope: Scope) throws(RuntimeError) -> PyValue {
    switch self {
    case let .local(slot, unbound):
      if let value = scope.slots[slot] { return value }
      throw unbound.error(interpreter)
    case let .constant(value): return value
    case let .computed(evaluate): return try evaluate(interpreter, scope)
    }
  }
}

/// What reading a local before it is bound raises, kept out of the way of the read itself.
final class UnboundLocal {
  let name: String
  let at: SourcePosition
  init(name: String, at: SourcePosition) {
    self.name = name
    self.at = at
  }

  @inline(never)
  func error(_ interpreter: Interpreter) -> RuntimeError { interpreter.unboundLocal(name).located(at: at) }
}
