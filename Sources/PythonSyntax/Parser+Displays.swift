/// Displays (`[…]`, `{…}`), starred items and assignment expressions.
extension Parser {
  /// star_expression: '*' bitwise_or | expression
  mutating func parseStarExpression() throws(SyntaxError) -> Expr {
    let start = current.start
    if accept("*") { return Expr(.starred(try parseBitwise()), at: start) }
    return try parseExpression()
  }

  /// star_named_expression: '*' bitwise_or | named_expression
  mutating func parseStarNamedExpression() throws(SyntaxError) -> Expr {
    let start = current.start
    if accept("*") { return Expr(.starred(try parseBitwise()), at: start) }
    return try parseNamedExpression()
  }

  /// named_expression: NAME ':=' expression | expression
  mutating func parseNamedExpression() throws(SyntaxError) -> Expr {
    let start = current.start
    if case let .name(name) = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .op(":=") {
      _ = advance()
      _ = advance()
      return Expr(.named(name, try parseExpression()), at: start)
    }
    let value = try parseExpression()
    if check(":=") {
      let what: String
      switch value.kind {
      case .attribute: what = "attribute"
      case .subscript: what = "subscript"
      case .tuple: what = "tuple"
      case .list: what = "list"
      case .int, .float, .string, .bool, .none, .formatted: what = "literal"
      default: what = "expression"
      }
      throw SyntaxError(.invalid("cannot use assignment expressions with \(what)"), at: value.start)
    }
    return value
  }

  /// The items of a list or set display up to `closing`, or the comprehension it turns out
  /// to be: star_named_expression (',' star_named_expression)* [','] | comprehension.
  mutating func parseDisplayItems(closing: String, kind: ComprehensionKind, at start: SourcePosition)
    throws(SyntaxError) -> (items: [Expr], comprehension: Expr?)
  {
    var items: [Expr] = []
    while !check(closing) {
      items.append(try parseStarNamedExpression())
      if checkKeyword("for") && items.count == 1 {
        let comprehension = try parseComprehension(kind, element: items[0], value: nil, at: start)
        try expect(closing)
        return ([], comprehension)
      }
      if !accept(",") { break }
    }
    try expect(closing)
    return (items, nil)
  }

  /// The rest of a dict display or comprehension after its first `key:` (or at its first
  /// `**mapping` when `firstKey` is nil): (key ':' value | '**' bitwise_or) (',' …)* [','].
  mutating func parseDict(firstKey: Expr?, at start: SourcePosition) throws(SyntaxError) -> Expr {
    var entries: [DictEntry] = []
    if let firstKey {
      if case .named = firstKey.kind { throw unexpected(expecting: "'}'") }
      let value = try parseExpression()
      if checkKeyword("for") {
        let comprehension = try parseComprehension(.dict, element: firstKey, value: value, at: start)
        try expect("}")
        return comprehension
      }
      entries.append(DictEntry(key: firstKey, value: value))
      if !accept(",") {
        try expect("}")
        return Expr(.dict(entries), at: start)
      }
    }
    while !check("}") {
      if accept("**") {
        entries.append(DictEntry(key: nil, value: try parseBitwise()))
      } else {
        let key = try parseExpression()
        try expect(":")
        entries.append(DictEntry(key: key, value: try parseExpression()))
      }
      if !accept(",") { break }
    }
    try expect("}")
    return Expr(.dict(entries), at: start)
  }
}
