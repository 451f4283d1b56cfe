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
    switch kind {
    case .lambda: return
    case let .named(name, _): names.append(name)
    default: break
    }
    for child in children { child.collectNamedTargets(into: &names) }
  }
}

extension Stmt {
  /// The names `name := value` expressions in this statement bind (nested blocks, and the
  /// bodies of nested functions and classes, excluded).
  public var namedExpressionTargets: [String] {
    expressions.flatMap(\.namedExpressionTargets)
  }
}
