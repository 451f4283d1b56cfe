/// Assignment and `del` targets, checked as CPython's compiler checks them.
extension Parser {
  /// Checks an assignment target: names, attributes, subscripts, and (unless augmented)
  /// tuples and lists of targets with at most one `*target` each.
  func checkAssignable(_ target: Expr, augmented: Bool) throws(SyntaxError) {
    switch target.kind {
    case .name, .attribute, .subscript: return
    case let .tuple(items) where !augmented, let .list(items) where !augmented:
      var starred = 0
      for item in items {
        if case let .starred(inner) = item.kind {
          starred += 1
          guard starred == 1 else {
            throw SyntaxError(.invalid("multiple starred expressions in assignment"), at: target.start)
          }
          try checkAssignable(inner, augmented: false)
        } else {
          try checkAssignable(item, augmented: false)
        }
      }
    case .starred where !augmented:
      throw SyntaxError(.invalid("starred assignment target must be in a list or tuple"), at: target.start)
    case .starred:
      throw SyntaxError(.invalid("can't use starred expression here"), at: target.start)
    default:
      throw SyntaxError(.invalid("cannot assign to expression"), at: target.start)
    }
  }

  /// An expression that is not a lone `*value` (which only a display or a tuple may hold).
  func rejectingBareStar(_ expression: Expr) throws(SyntaxError) -> Expr {
    if case .starred = expression.kind {
      throw SyntaxError(.invalid("can't use starred expression here"), at: expression.start)
    }
    return expression
  }

  /// del_stmt: 'del' del_target (',' del_target)* [',']
  mutating func parseDelete() throws(SyntaxError) -> Stmt {
    let start = advance().start
    var targets: [Expr] = []
    repeat {
      if current.kind == .newline || current.kind == .endOfFile || check(";") {
        if targets.isEmpty { throw unexpected(expecting: "an expression") }
        break
      }
      let target = check("*") ? try parseStarTarget() : try parseBitwise()
      try checkDeletable(target)
      targets.append(target)
    } while accept(",")
    return Stmt(.delete(targets), at: start)
  }

  /// Checks a `del` target as CPython's compiler does, naming what cannot be deleted.
  func checkDeletable(_ target: Expr) throws(SyntaxError) {
    let what: String
    switch target.kind {
    case .name, .attribute, .subscript: return
    case let .tuple(items), let .list(items):
      for item in items { try checkDeletable(item) }
      return
    case .int, .float, .string, .bool, .none, .formatted: what = "literal"
    case .call: what = "function call"
    case .starred: what = "starred"
    default: what = "expression"
    }
    throw SyntaxError(.invalid("cannot delete \(what)"), at: target.start)
  }
}
