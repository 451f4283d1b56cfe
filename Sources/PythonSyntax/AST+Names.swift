/// The names that assignment targets and assignment expressions bind, for scope analysis.
extension Expr {
  /// The names an assignment target binds: `a`, `(a, *b)`, `[a, (b, c)]`; attributes and
  /// subscripts bind none.
  public var boundNames: [String] {
    switch kind {
    case let .name(name): return [name]
    case let .tuple(items), let .list(items): return items.flatMap(\.boundNames)
    case let .starred(inner): return inner.boundNames
    default: return []
    }
  }

  /// The names that `name := value` expressions inside this expression bind in the
  /// enclosing function (comprehensions included, lambdas excluded: they bind their own).
  public var namedExpressionTargets: [String] {
    var names: [String] = []
    collectNamedTargets(into: &names)
    return names
  }

  private func collectNamedTargets(into names: inout [String]) {
    func visit(_ expression: Expr?) { expression?.collectNamedTargets(into: &names) }
    switch kind {
    case .name, .int, .float, .string, .bool, .none, .lambda: return
    case let .named(name, value):
      names.append(name)
      visit(value)
    case let .formatted(parts):
      for case let .field(value, _, _) in parts { visit(value) }
    case let .list(items), let .tuple(items), let .set(items): items.forEach(visit)
    case let .dict(entries):
      for entry in entries {
        visit(entry.key)
        visit(entry.value)
      }
    case let .starred(value), let .attribute(value, _), let .unary(_, value), let .yieldFrom(value):
      visit(value)
    case let .yield(value): visit(value)
    case let .subscript(base, index):
      visit(base)
      visit(index)
    case let .slice(lower, upper, step):
      visit(lower)
      visit(upper)
      visit(step)
    case let .call(callee, arguments):
      visit(callee)
      for argument in arguments { visit(argument.value) }
    case let .binary(_, lhs, rhs), let .and(lhs, rhs), let .or(lhs, rhs):
      visit(lhs)
      visit(rhs)
    case let .compare(first, rest):
      visit(first)
      for link in rest { visit(link.rhs) }
    case let .conditional(test, body, orElse):
      visit(test)
      visit(body)
      visit(orElse)
    case let .comprehension(_, element, value, clauses):
      visit(element)
      visit(value)
      for clause in clauses {
        switch clause {
        case let .for(_, iterable): visit(iterable)
        case let .if(condition): visit(condition)
        }
      }
    }
  }
}

extension Stmt {
  /// The names `name := value` expressions in this statement bind (nested blocks, and the
  /// bodies of nested functions and classes, excluded).
  public var namedExpressionTargets: [String] {
    var expressions: [Expr?] = []
    switch kind {
    case let .expression(value), let .return(value?): expressions = [value]
    case let .assign(targets, value): expressions = targets + [value]
    case let .augmentedAssign(target, _, value): expressions = [target, value]
    case let .with(items, _): expressions = items.map(\.context)
    case let .for(_, iterable, _, _): expressions = [iterable]
    case let .while(test, _, _), let .if(test, _, _): expressions = [test]
    case let .functionDef(_, parameters, _, decorators): expressions = decorators + parameters.map(\.defaultValue)
    case let .classDef(_, bases, _, decorators): expressions = decorators + bases.map(\.value)
    case let .raise(value, cause): expressions = [value, cause]
    case let .assert(test, message): expressions = [test, message]
    case let .delete(targets): expressions = targets
    case let .annotatedAssign(target, annotation, value): expressions = [target, annotation, value]
    case .import, .fromImport, .global, .nonlocal, .return(nil), .pass, .break, .continue, .try: break
    }
    return expressions.compactMap { $0 }.flatMap(\.namedExpressionTargets)
  }
}
