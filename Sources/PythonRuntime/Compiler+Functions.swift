import PythonSyntax

/// `def`, `lambda` and comprehensions: code with a scope of its own, its names resolved to
/// slots once for every function object or evaluation.
extension Compiler {
  /// `def`: the function, decorated, bound to its name.
  func functionDefinition(
    _ name: String, _ parameters: [Parameter], _ body: [Stmt], _ decorators: [Expr], at: SourcePosition
  ) -> CompiledBlock {
    let decorators = codes(decorators)
    let make = functionMaker(name: name, parameters: parameters, body: body, at: at)
    let store = storeName(name)
    return { interpreter, scope throws(RuntimeError) in
      try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
        let decorate = try Compiler.values(decorators, interpreter, scope)
        var value = try make(interpreter, scope)
        for decorator in decorate.reversed() { value = try interpreter.call(decorator, Arguments([value]), at: at) }
        try store(interpreter, scope, value)
        return .normal
      }
    }
  }

  /// Makes a function object each time it runs (defaults evaluated then), all of them sharing
  /// one `FunctionCode`: the scopes around a definition site are the same for each.
  func functionMaker(name: String, parameters: [Parameter], body: [Stmt], at: SourcePosition) -> CompiledExpression {
    let defaults = parameters.map { parameter in parameter.defaultValue.map { ExpressionCode(evaluate: expression($0)) }
    }
    let (names, kinds) = (parameters.map(\.name), parameters.map(\.kind))
    let code = FunctionCode(parameters: names, kinds: kinds, body: body)
    return { interpreter, scope throws(RuntimeError) in
      var evaluated: [(name: String, defaultValue: PyValue?)] = []
      for (name, defaultValue) in zip(names, defaults) {
        evaluated.append(
          (name, try defaultValue.map { value throws(RuntimeError) in try value.evaluate(interpreter, scope) }))
      }
      // Functions defined in a class body see the names around the class, not the body's own.
      let closure = scope.classBody == nil ? scope : scope.parent ?? scope
      return .function(
        PyFunction(
          name: name, qualifiedName: scope.qualifiedPrefix + name, parameters: evaluated, kinds: kinds, body: body,
          closure: closure, classCell: scope.classBody?.cell ?? scope.function?.classCell, code: code))
    }
  }

  /// A compiled `for` or `if` clause of a comprehension.
  enum Clause {
    case loop(CompiledIteration, CompiledStore, at: SourcePosition)
    case filter(CompiledCondition)
  }

  /// A list, set or dict comprehension. Its targets live in a scope of their own, as in
  /// Python 3; the first iterable is evaluated in the enclosing scope.
  func comprehension(
    _ kind: ComprehensionKind, element: Expr, value: Expr?, clauses: [ComprehensionClause], at: SourcePosition
  ) -> CompiledExpression {
    var targets: Set<String> = []
    for case let .for(target, _) in clauses { targets.formUnion(target.boundNames) }
    let layout = SlotLayout(parameters: [], locals: targets)
    let inner = nested(.comprehension(layout))
    let compiled = clauses.enumerated().map { index, clause -> Clause in
      switch clause {
      case let .for(target, iterable):
        return .loop((index == 0 ? self : inner).iteration(iterable), inner.store(target), at: iterable.start)
      case let .if(test):
        return .filter(inner.condition(test, at: test.start))
      }
    }
    let element = inner.expression(element)
    let value = value.map(inner.expression) ?? element
    return { interpreter, outer throws(RuntimeError) in
      let scope = Scope(parent: outer, layout: layout)
      return try located(at) { () throws(RuntimeError) in
        switch kind {
        case .dict:
          let dict = PyDict()
          try Compiler.runClauses(compiled[...], interpreter, outer, scope) { () throws(RuntimeError) in
            let key = try element(interpreter, scope)
            try dict.set(try value(interpreter, scope), for: key)
          }
          return .dict(dict)
        case .set:
          let set = PySet()
          try Compiler.runClauses(compiled[...], interpreter, outer, scope) { () throws(RuntimeError) in
            try set.add(try element(interpreter, scope))
          }
          return .object(set)
        case .list, .generator:
          var items: [PyValue] = []
          try Compiler.runClauses(compiled[...], interpreter, outer, scope) { () throws(RuntimeError) in
            items.append(try element(interpreter, scope))
            if items.count > PyValue.maxSequenceLength {
              throw RuntimeError(
                .limitExceeded(
                  "a comprehension of more than \(PyValue.maxSequenceLength) elements exceeds Lockstep's limit"))
            }
          }
          return .list(PyList(items))
        }
      }
    }
  }

  /// Runs `body` once per combination the clauses produce.
  private static func runClauses(
    _ clauses: ArraySlice<Clause>, _ interpreter: Interpreter, _ outer: Scope, _ scope: Scope,
    _ body: () throws(RuntimeError) -> Void
  ) throws(RuntimeError) {
    guard let clause = clauses.first else { return try body() }
    switch clause {
    case let .loop(items, store, at):
      try items(interpreter, clauses.startIndex == 0 ? outer : scope) { item throws(RuntimeError) in
        try interpreter.step(at: at)
        try store(interpreter, scope, item)
        try runClauses(clauses.dropFirst(), interpreter, outer, scope, body)
        return true
      }
    case let .filter(test):
      if try test(interpreter, scope) { try runClauses(clauses.dropFirst(), interpreter, outer, scope, body) }
    }
  }
}
