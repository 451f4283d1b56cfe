import PythonSyntax

/// Calls: a program function's arguments go straight into the slots of its new scope, and
/// `instance.method(…)` passes the instance without making a bound method.
extension Compiler {
  func call(_ callee: Expr, _ arguments: [Argument], at: SourcePosition, whole: Expr) -> CompiledExpression {
    // `super()` finds its class through the running scope; `*`/`**` spread at run time.
    if arguments.isEmpty, case .name("super") = callee.kind { return treeWalked(whole) }
    guard arguments.allSatisfy({ $0.unpacking == .none }) else { return treeWalked(whole) }
    let values = arguments.filter { $0.keyword == nil }.map(\.value)
    let positional = codes(values)
    let fill = Compiler.argumentFiller(values.map(operand))
    let keywords = arguments.compactMap { argument in argument.keyword.map { ($0, expression(argument.value)) } }
    if case let .attribute(base, name) = callee.kind {
      if keywords.isEmpty, let special = builtinMethodCall(base, name, positional, at: at) { return special.evaluate }
      return methodCall(base, name, positional, fill, keywords, at: at)
    }
    let function = expression(callee)
    guard keywords.isEmpty else {
      return { interpreter, scope throws(RuntimeError) in
        let callee = try function(interpreter, scope)
        return try Compiler.callGeneric(callee, nil, positional, keywords, interpreter, scope, at: at)
      }
    }
    if case let .name(name) = callee.kind, case let .global(cell, _) = place(of: name) {
      // `f(…)` of a module-level function: its cell read in place, without the load closure.
      return { interpreter, scope throws(RuntimeError) in
        if case let .function(target)? = cell.value, target.code.directArity == positional.count {
          return try Compiler.callDirect(target, nil, fill, interpreter, scope, at: at)
        }
        let callee = try function(interpreter, scope)
        return try Compiler.callGeneric(callee, nil, positional, [], interpreter, scope, at: at)
      }
    }
    return { interpreter, scope throws(RuntimeError) in
      let callee = try function(interpreter, scope)
      if case let .function(target) = callee, target.code.directArity == positional.count {
        return try Compiler.callDirect(target, nil, fill, interpreter, scope, at: at)
      }
      return try Compiler.callGeneric(callee, nil, positional, [], interpreter, scope, at: at)
    }
  }

  /// `receiver.name(…)`: a program class's function called with the instance first, anything
  /// else through the attribute.
  private func methodCall(
    _ base: Expr, _ name: String, _ positional: [ExpressionCode], _ fill: @escaping ArgumentFiller,
    _ keywords: [(String, CompiledExpression)], at: SourcePosition
  ) -> CompiledExpression {
    let (base, key, cache) = (operand(base), AttributeName(name), ClassLookupCache())
    return { interpreter, scope throws(RuntimeError) in
      let receiver = try base.value(interpreter, scope)
      if keywords.isEmpty, let instance = programInstance(receiver), !instance.attributes.contains(key),
        case let .function(method)? = cache.lookup(instance.cls, name),
        method.code.directArity == positional.count + 1
      {
        return try Compiler.callDirect(method, receiver, fill, interpreter, scope, at: at)
      }
      return try Compiler.callAttribute(receiver, name, positional, keywords, interpreter, scope, at: at)
    }
  }

  /// `list.append(x)` and `dict.get(key[, default])` without making a method object; other
  /// receivers take the general path.
  private func builtinMethodCall(
    _ base: Expr, _ name: String, _ positional: [ExpressionCode], at: SourcePosition
  ) -> ExpressionCode? {
    switch (name, positional.count) {
    case ("append", 1):
      let (receiverExpression, item) = (expression(base), positional[0].evaluate)
      return ExpressionCode { interpreter, scope throws(RuntimeError) in
        let receiver = try receiverExpression(interpreter, scope)
        guard case let .list(list) = receiver else {
          return try Compiler.callAttribute(receiver, name, positional, [], interpreter, scope, at: at)
        }
        list.items.append(try item(interpreter, scope))
        return .none
      }
    case ("get", 1), ("get", 2):
      let receiverExpression = expression(base)
      return ExpressionCode { interpreter, scope throws(RuntimeError) in
        let receiver = try receiverExpression(interpreter, scope)
        guard case let .dict(dict) = receiver else {
          return try Compiler.callAttribute(receiver, name, positional, [], interpreter, scope, at: at)
        }
        let key = try positional[0].evaluate(interpreter, scope)
        let fallback = positional.count == 2 ? try positional[1].evaluate(interpreter, scope) : .none
        return try located(at) { () throws(RuntimeError) in try dict.value(for: key) ?? fallback }
      }
    default:
      return nil
    }
  }

  /// `receiver.name(…)` for a receiver already evaluated: a program class's function gets the
  /// instance first (no bound method), anything else is called through the attribute.
  private static func callAttribute(
    _ receiver: PyValue, _ name: String, _ positional: [ExpressionCode],
    _ keywords: [(String, CompiledExpression)], _ interpreter: Interpreter, _ scope: Scope, at: SourcePosition
  ) throws(RuntimeError) -> PyValue {
    if let instance = programInstance(receiver), instance.attributes[name] == nil,
      case let .function(method)? = instance.cls.lookup(name)
    {
      return try callGeneric(.function(method), receiver, positional, keywords, interpreter, scope, at: at)
    }
    let function = try located(at) { () throws(RuntimeError) in try interpreter.getAttribute(receiver, name, at: at) }
    return try callGeneric(function, nil, positional, keywords, interpreter, scope, at: at)
  }

  /// Evaluates a call's positional arguments (in `scope`) into the callee's slots from `first`.
  typealias ArgumentFiller = (_ interpreter: Interpreter, _ scope: Scope, _ callee: Scope, _ first: Int)
    throws(RuntimeError) -> Void

  /// The filler for a call site's arguments. Up to three are captured one by one: reading a
  /// captured operand retains nothing, where each element of an array would be retained and
  /// released around its use.
  static func argumentFiller(_ positional: [Operand]) -> ArgumentFiller {
    switch positional.count {
    case 0:
      return { _, _, _, _ throws(RuntimeError) in }
    case 1:
      let first = positional[0]
      return { interpreter, scope, callee, slot throws(RuntimeError) in
        callee.slots[slot] = try first.value(interpreter, scope)
      }
    case 2:
      let (first, second) = (positional[0], positional[1])
      return { interpreter, scope, callee, slot throws(RuntimeError) in
        callee.slots[slot] = try first.value(interpreter, scope)
        callee.slots[slot + 1] = try second.value(interpreter, scope)
      }
    case 3:
      let (first, second, third) = (positional[0], positional[1], positional[2])
      return { interpreter, scope, callee, slot throws(RuntimeError) in
        callee.slots[slot] = try first.value(interpreter, scope)
        callee.slots[slot + 1] = try second.value(interpreter, scope)
        callee.slots[slot + 2] = try third.value(interpreter, scope)
      }
    default:
      return { interpreter, scope, callee, slot throws(RuntimeError) in
        for (offset, argument) in positional.enumerated() {
          callee.slots[slot + offset] = try argument.value(interpreter, scope)
        }
      }
    }
  }

  /// Calls a simple program function whose parameters the arguments fill exactly: each
  /// argument is evaluated into its slot of the new scope.
  @inline(__always)
  static func callDirect(
    _ function: PyFunction, _ receiver: consuming PyValue?, _ fill: ArgumentFiller, _ interpreter: Interpreter,
    _ scope: Scope, at: SourcePosition
  ) throws(RuntimeError) -> PyValue {
    let code = function.code
    let callee = code.callScope(for: function)
    if receiver != nil {
      callee.slots[0] = consume receiver
      try fill(interpreter, scope, callee, 1)
    } else {
      try fill(interpreter, scope, callee, 0)
    }
    let result = try located(at) { () throws(RuntimeError) in try interpreter.invoke(function, code, in: callee, at: at)
    }
    code.recycle(callee, in: interpreter)
    return result
  }

  /// Calls any callable with arguments bound by `Interpreter.call`.
  static func callGeneric(
    _ function: PyValue, _ receiver: PyValue?, _ positional: [ExpressionCode],
    _ keywords: [(String, CompiledExpression)], _ interpreter: Interpreter, _ scope: Scope, at: SourcePosition
  ) throws(RuntimeError) -> PyValue {
    var values: [PyValue] = []
    values.reserveCapacity(positional.count + 1)
    if let receiver { values.append(receiver) }
    for argument in positional { values.append(try argument.evaluate(interpreter, scope)) }
    var named: [(name: String, value: PyValue)] = []
    for (name, argument) in keywords { named.append((name, try argument(interpreter, scope))) }
    let arguments = Arguments(values, keywords: named)
    return try located(at) { () throws(RuntimeError) in try interpreter.call(function, arguments, at: at) }
  }
}
