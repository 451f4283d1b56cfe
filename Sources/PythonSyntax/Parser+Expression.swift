extension Parser {
  /// star_expressions: star_expression (',' star_expression)* [','] — a tuple when there is
  /// a comma. A lone `*value` is returned as is, for the caller to reject or accept.
  mutating func parseExpressionList() throws(SyntaxError) -> Expr {
    let start = current.start
    let first = try parseStarExpression()
    guard check(",") else { return first }
    var items = [first]
    while accept(",") {
      if startsExpressionEnd { break }
      items.append(try parseStarExpression())
    }
    return Expr(.tuple(items), at: start)
  }

  /// True at a token that cannot start an expression (so a trailing comma ends a list).
  var startsExpressionEnd: Bool {
    switch current.kind {
    case .newline, .endOfFile, .dedent: return true
    case let .op(op):
      return ["=", ")", "]", "}", ":", ";"].contains(op)
        || (op.hasSuffix("=") && op.count > 1 && !["==", "!=", "<=", ">="].contains(op))
    default: return false
    }
  }

  /// expression: lambda_def | disjunction ['if' disjunction 'else' expression]
  mutating func parseExpression() throws(SyntaxError) -> Expr {
    nesting += 1
    defer { nesting -= 1 }
    guard nesting <= Self.maxNesting else {
      throw SyntaxError(.invalid("too many nested parentheses"), at: current.start)
    }
    if checkKeyword("lambda") { return try parseLambda() }
    let start = current.start
    let body = try parseOr()
    guard acceptKeyword("if") else { return body }
    let test = try parseOr()
    try expectKeyword("else")
    let orElse = try parseExpression()
    return Expr(.conditional(test: test, body: body, orElse: orElse), at: start)
  }

  /// lambda_def: 'lambda' [parameters] ':' expression
  mutating func parseLambda() throws(SyntaxError) -> Expr {
    let start = advance().start
    let parameters = try parseParameters(closing: ":")
    try expect(":")
    return Expr(.lambda(parameters, try parseExpression()), at: start)
  }

  /// Counts one more level of expression depth for the rest of the enclosing rule; every
  /// operand of an operator chain and every bracket adds one, so the AST the interpreter
  /// walks recursively stays shallow enough for its stack.
  mutating func deepen(_ levels: inout Int) throws(SyntaxError) {
    levels += 1
    nesting += 1
    guard nesting <= Self.maxNesting else {
      throw SyntaxError(
        .invalid("expression too deeply nested or too long (more than \(Self.maxNesting) levels)"), at: current.start)
    }
  }

  /// disjunction: conjunction ('or' conjunction)*
  mutating func parseOr() throws(SyntaxError) -> Expr {
    var result = try parseAnd()
    var levels = 0
    defer { nesting -= levels }
    while acceptKeyword("or") {
      try deepen(&levels)
      result = Expr(.or(result, try parseAnd()), at: result.start)
    }
    return result
  }

  /// conjunction: inversion ('and' inversion)*
  mutating func parseAnd() throws(SyntaxError) -> Expr {
    var result = try parseNot()
    var levels = 0
    defer { nesting -= levels }
    while acceptKeyword("and") {
      try deepen(&levels)
      result = Expr(.and(result, try parseNot()), at: result.start)
    }
    return result
  }

  /// inversion: 'not' inversion | comparison
  mutating func parseNot() throws(SyntaxError) -> Expr {
    let start = current.start
    if acceptKeyword("not") {
      nesting += 1
      defer { nesting -= 1 }
      guard nesting <= Self.maxNesting else {
        throw SyntaxError(.invalid("too many nested 'not' operators"), at: start)
      }
      return Expr(.unary(.not, try parseNot()), at: start)
    }
    return try parseComparison()
  }

  /// comparison: bitwise_or (compare_op bitwise_or)*
  mutating func parseComparison() throws(SyntaxError) -> Expr {
    let first = try parseBitwise()
    var rest: [Comparison] = []
    while true {
      let op: CompareOperator
      if case let .op(text) = current.kind, let parsed = CompareOperator(rawValue: text) {
        _ = advance()
        op = parsed
      } else if acceptKeyword("in") {
        op = .in
      } else if checkKeyword("not"), position + 1 < tokens.count, tokens[position + 1].kind == .keyword("in") {
        _ = advance()
        _ = advance()
        op = .notIn
      } else if acceptKeyword("is") {
        op = acceptKeyword("not") ? .isNot : .is
      } else {
        break
      }
      rest.append(Comparison(op: op, rhs: try parseBitwise()))
      if rest.count > Self.maxNesting {
        throw SyntaxError(
          .invalid("comparison chain too long (more than \(Self.maxNesting) operators)"), at: current.start)
      }
    }
    return rest.isEmpty ? first : Expr(.compare(first, rest), at: first.start)
  }

  /// bitwise_or: bitwise_xor ('|' bitwise_xor)*
  mutating func parseBitwise() throws(SyntaxError) -> Expr {
    try parseBinaryChain(["|"]) { parser throws(SyntaxError) in try parser.parseBitwiseXor() }
  }

  /// bitwise_xor: bitwise_and ('^' bitwise_and)*
  mutating func parseBitwiseXor() throws(SyntaxError) -> Expr {
    try parseBinaryChain(["^"]) { parser throws(SyntaxError) in try parser.parseBitwiseAnd() }
  }

  /// bitwise_and: shift_expr ('&' shift_expr)*
  mutating func parseBitwiseAnd() throws(SyntaxError) -> Expr {
    try parseBinaryChain(["&"]) { parser throws(SyntaxError) in try parser.parseShift() }
  }

  /// shift_expr: sum (('<<' | '>>') sum)*
  mutating func parseShift() throws(SyntaxError) -> Expr {
    try parseBinaryChain(["<<", ">>"]) { parser throws(SyntaxError) in try parser.parseArithmetic() }
  }

  /// A left-associative chain of the binary operators `ops` between operands of `operand`.
  mutating func parseBinaryChain(
    _ ops: Set<String>, _ operand: (inout Parser) throws(SyntaxError) -> Expr
  ) throws(SyntaxError) -> Expr {
    var result = try operand(&self)
    var levels = 0
    defer { nesting -= levels }
    while case let .op(op) = current.kind, ops.contains(op) {
      _ = advance()
      try deepen(&levels)
      result = Expr(.binary(BinaryOperator(rawValue: op)!, result, try operand(&self)), at: result.start)
    }
    return result
  }

  /// sum: term (('+' | '-') term)*
  mutating func parseArithmetic() throws(SyntaxError) -> Expr {
    var result = try parseTerm()
    var levels = 0
    defer { nesting -= levels }
    while case let .op(op) = current.kind, op == "+" || op == "-" {
      _ = advance()
      try deepen(&levels)
      result = Expr(.binary(BinaryOperator(rawValue: op)!, result, try parseTerm()), at: result.start)
    }
    return result
  }

  /// term: factor (('*' | '/' | '//' | '%' | '@') factor)*
  mutating func parseTerm() throws(SyntaxError) -> Expr {
    var result = try parseFactor()
    var levels = 0
    defer { nesting -= levels }
    while case let .op(op) = current.kind, ["*", "/", "//", "%", "@"].contains(op) {
      _ = advance()
      try deepen(&levels)
      result = Expr(.binary(BinaryOperator(rawValue: op)!, result, try parseFactor()), at: result.start)
    }
    return result
  }

  /// factor: ('+' | '-' | '~') factor | power
  mutating func parseFactor() throws(SyntaxError) -> Expr {
    let start = current.start
    if case let .op(op) = current.kind, op == "-" || op == "+" || op == "~" {
      _ = advance()
      nesting += 1
      defer { nesting -= 1 }
      guard nesting <= Self.maxNesting else {
        throw SyntaxError(.invalid("too many nested unary operators"), at: start)
      }
      return Expr(.unary(UnaryOperator(rawValue: op)!, try parseFactor()), at: start)
    }
    return try parsePower()
  }

  /// power: primary ['**' factor]
  mutating func parsePower() throws(SyntaxError) -> Expr {
    let base = try parsePrimary()
    guard accept("**") else { return base }
    var levels = 0
    defer { nesting -= levels }
    try deepen(&levels)
    return Expr(.binary(.power, base, try parseFactor()), at: base.start)
  }

  /// primary: atom ('.' NAME | '(' [arguments] ')' | '[' subscript ']')*
  mutating func parsePrimary() throws(SyntaxError) -> Expr {
    var result = try parseAtom()
    var levels = 0
    defer { nesting -= levels }
    while true {
      if check(".") || check("(") || check("[") { try deepen(&levels) }
      if accept(".") {
        result = Expr(.attribute(result, try expectName()), at: result.start)
      } else if accept("(") {
        result = Expr(.call(result, try parseArguments()), at: result.start)
        try expect(")")
      } else if accept("[") {
        result = Expr(.subscript(result, try parseSubscript()), at: result.start)
        try expect("]")
      } else {
        return result
      }
    }
  }

  /// arguments: argument (',' argument)* [',']
  /// argument: NAME '=' expression | '*' expression | '**' expression | expression
  mutating func parseArguments() throws(SyntaxError) -> [Argument] {
    var arguments: [Argument] = []
    while !check(")") {
      let location = current.start
      if accept("**") {
        arguments.append(Argument(keyword: nil, value: try parseExpression(), unpacking: .mapping))
        if !accept(",") { break }
        continue
      }
      if accept("*") {
        if arguments.contains(where: { $0.unpacking == .mapping }) {
          throw SyntaxError(.invalid("iterable argument unpacking follows keyword argument unpacking"), at: location)
        }
        arguments.append(Argument(keyword: nil, value: try parseExpression(), unpacking: .iterable))
        if !accept(",") { break }
        continue
      }
      if case let .name(name) = current.kind, position + 1 < tokens.count,
        tokens[position + 1].kind == .op("=")
      {
        _ = advance()
        _ = advance()
        if arguments.contains(where: { $0.keyword == name }) {
          throw SyntaxError(.invalid("keyword argument repeated: \(name)"), at: location)
        }
        arguments.append(Argument(keyword: name, value: try parseExpression()))
      } else {
        if arguments.contains(where: { $0.unpacking == .mapping }) {
          throw SyntaxError(.invalid("positional argument follows keyword argument unpacking"), at: location)
        }
        if arguments.contains(where: { $0.keyword != nil }) {
          throw SyntaxError(.invalid("positional argument follows keyword argument"), at: location)
        }
        let value = try parseNamedExpression()
        if checkKeyword("for") {
          // `f(x for x in xs)`: a generator as the only argument.
          guard arguments.isEmpty else {
            throw SyntaxError(.invalid("Generator expression must be parenthesized"), at: value.start)
          }
          let generator = try parseComprehension(.generator, element: value, value: nil, at: value.start)
          guard check(")") else {
            throw SyntaxError(.invalid("Generator expression must be parenthesized"), at: value.start)
          }
          return [Argument(keyword: nil, value: generator)]
        }
        arguments.append(Argument(keyword: nil, value: value))
      }
      if !accept(",") { break }
    }
    return arguments
  }

  /// comprehension: ('for' target_list 'in' disjunction ('if' disjunction)*)+
  mutating func parseComprehension(
    _ kind: ComprehensionKind, element: Expr, value: Expr?, at start: SourcePosition
  ) throws(SyntaxError) -> Expr {
    if case .starred = element.kind {
      throw SyntaxError(.invalid("iterable unpacking cannot be used in comprehension"), at: element.start)
    }
    var clauses: [ComprehensionClause] = []
    var iterationNames: [String] = []
    while acceptKeyword("for") {
      let target = try parseTargetList()
      try checkAssignable(target, augmented: false)
      iterationNames += target.boundNames
      try expectKeyword("in")
      clauses.append(.for(target: target, iterable: try parseOr()))
      while acceptKeyword("if") { clauses.append(.if(try parseOr())) }
    }
    if checkKeyword("async") { throw unsupported("asynchronous comprehensions") }
    // `[y := f(x) for y in …]`: CPython refuses to rebind an iteration variable.
    var assigned = element.namedExpressionTargets + (value?.namedExpressionTargets ?? [])
    for case let .if(condition) in clauses { assigned += condition.namedExpressionTargets }
    if let clash = assigned.first(where: iterationNames.contains) {
      throw SyntaxError(
        .invalid("assignment expression cannot rebind comprehension iteration variable '\(clash)'"), at: start)
    }
    return Expr(.comprehension(kind, element: element, value: value, clauses: clauses), at: start)
  }

  /// subscript: slice (',' slice)* [',']  — a tuple of indices when there is a comma.
  mutating func parseSubscript() throws(SyntaxError) -> Expr {
    let start = current.start
    let first = try parseSliceItem()
    guard check(",") else { return first }
    var items = [first]
    while accept(",") {
      if check("]") { break }
      items.append(try parseSliceItem())
    }
    return Expr(.tuple(items), at: start)
  }

  /// slice: [expression] ':' [expression] [':' [expression]] | expression
  mutating func parseSliceItem() throws(SyntaxError) -> Expr {
    let start = current.start
    let lower = check(":") ? nil : try parseNamedExpression()
    guard accept(":") else { return lower! }
    let upper = check(":") || check("]") || check(",") ? nil : try parseExpression()
    var step: Expr?
    if accept(":") && !check("]") && !check(",") { step = try parseExpression() }
    return Expr(.slice(lower: lower, upper: upper, step: step), at: start)
  }

  /// An f-string field's expression, parsed from its source with positions in the file.
  static func parseField(_ source: String, at origin: SourcePosition) throws(SyntaxError) -> Expr {
    func shifted(_ position: SourcePosition) -> SourcePosition {
      position.line == 1
        ? SourcePosition(line: origin.line, column: origin.column + position.column - 1)
        : SourcePosition(line: origin.line + position.line - 1, column: position.column)
    }
    var tokens: [Token]
    do {
      tokens = try Lexer.tokenize("(" + source + ")")
    } catch {
      throw SyntaxError(
        error.kind, at: shifted(SourcePosition(line: error.at.line, column: max(1, error.at.column - 1))))
    }
    // Undo the opening parenthesis added so that the field may span lines or start with a space.
    tokens = tokens.map { token in
      var token = token
      token.start = shifted(
        SourcePosition(line: token.start.line, column: token.start.column - (token.start.line == 1 ? 1 : 0)))
      token.end = shifted(
        SourcePosition(line: token.end.line, column: token.end.column - (token.end.line == 1 ? 1 : 0)))
      return token
    }
    var parser = Parser(tokens: tokens)
    let expression = try parser.rejectingBareStar(try parser.parseExpressionList())
    guard parser.current.kind == .newline || parser.current.kind == .endOfFile else {
      throw parser.unexpected(expecting: "'}'")
    }
    return expression
  }

  /// atom: NAME | NUMBER | STRING+ | 'True' | 'False' | 'None' | '...'
  ///     | '(' [expression_list] ')' | '[' [expressions] ']' | '{' [dict_entries] '}'
  mutating func parseAtom() throws(SyntaxError) -> Expr {
    let token = current
    let start = token.start
    switch token.kind {
    case let .name(name):
      _ = advance()
      return Expr(.name(name), at: start)
    case let .int(value):
      _ = advance()
      return Expr(.int(value), at: start)
    case let .float(value):
      _ = advance()
      return Expr(.float(value), at: start)
    case .string, .formatString:
      // Adjacent literals concatenate; any f-string among them makes the whole an f-string.
      var parts: [FormattedPart] = []
      var sawField = false
      while true {
        if case let .string(text) = current.kind {
          parts.append(.literal(text))
        } else if case let .formatString(pieces) = current.kind {
          for piece in pieces {
            switch piece {
            case let .literal(text): parts.append(.literal(text))
            case let .field(source, at, conversion, spec):
              sawField = true
              parts.append(.field(try Self.parseField(source, at: at), conversion: conversion, spec: spec))
            }
          }
        } else {
          break
        }
        _ = advance()
      }
      guard sawField else {
        let text = parts.map { part -> String in
          if case let .literal(text) = part { return text }
          return ""
        }.joined()
        return Expr(.string(text), at: start)
      }
      return Expr(.formatted(parts), at: start)
    case .keyword("True"):
      _ = advance()
      return Expr(.bool(true), at: start)
    case .keyword("False"):
      _ = advance()
      return Expr(.bool(false), at: start)
    case .keyword("None"):
      _ = advance()
      return Expr(.none, at: start)
    case .keyword("yield"):
      throw unsupported("'yield' inside an expression (Lockstep runs 'yield' as a statement or assigned value)")
    case .keyword("await"):
      throw unsupported("'\(token.describedForError)' expressions")
    case .op("("):
      _ = advance()
      if accept(")") { return Expr(.tuple([]), at: start) }
      let first = try parseStarNamedExpression()
      if checkKeyword("for") {
        let generator = try parseComprehension(.generator, element: first, value: nil, at: start)
        try expect(")")
        return generator
      }
      guard accept(",") else {
        try expect(")")
        if case .starred = first.kind {
          throw SyntaxError(.invalid("cannot use starred expression here"), at: first.start)
        }
        return first
      }
      var items = [first]
      while !check(")") {
        items.append(try parseStarNamedExpression())
        if !accept(",") { break }
      }
      try expect(")")
      return Expr(.tuple(items), at: start)
    case .op("["):
      _ = advance()
      let (items, comprehension) = try parseDisplayItems(closing: "]", kind: .list, at: start)
      return comprehension ?? Expr(.list(items), at: start)
    case .op("{"):
      _ = advance()
      if accept("}") { return Expr(.dict([]), at: start) }
      if !check("**") && !check("*") {
        let itemStart = position
        let key = try parseNamedExpression()
        if accept(":") { return try parseDict(firstKey: key, at: start) }
        position = itemStart  // not a dict: read the item again as the first of a set display
      } else if check("**") {
        return try parseDict(firstKey: nil, at: start)
      }
      let (items, comprehension) = try parseDisplayItems(closing: "}", kind: .set, at: start)
      return comprehension ?? Expr(.set(items), at: start)
    case .op("..."):
      throw unsupported("the Ellipsis literal ('...')")
    default:
      throw unexpected(expecting: "an expression")
    }
  }
}
