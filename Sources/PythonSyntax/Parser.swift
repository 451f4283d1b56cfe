/// A recursive-descent parser for Lockstep's Python subset: one function per grammar rule,
/// each documented with its production.
public struct Parser {
  var tokens: [Token]
  var position = 0
  /// How deeply expressions are nested right now; bounded so that pathological input
  /// (`((((…` thousands deep) is an error, not a stack overflow.
  var nesting = 0
  /// The deepest nesting accepted, counting brackets, blocks and operator chains.
  static let maxNesting = 1000
  /// Whether the statements being parsed are in a function body (for `return` and `yield`).
  var inFunction = false
  /// How many loops enclose the statements being parsed, within the innermost function or
  /// class body (for `break` and `continue`).
  var loopDepth = 0

  /// Prepares to parse the tokens of one program.
  public init(tokens: [Token]) {
    self.tokens = tokens
  }

  /// Parses a whole program.
  public static func parse(_ text: String) throws(SyntaxError) -> [Stmt] {
    var parser = Parser(tokens: try Lexer.tokenize(text))
    return try parser.parseFile()
  }

  // MARK: - Token helpers

  var current: Token { tokens[position] }

  mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  func check(_ op: String) -> Bool { current.kind == .op(op) }
  func checkKeyword(_ word: String) -> Bool { current.kind == .keyword(word) }

  mutating func accept(_ op: String) -> Bool {
    if check(op) {
      _ = advance()
      return true
    }
    return false
  }

  mutating func acceptKeyword(_ word: String) -> Bool {
    if checkKeyword(word) {
      _ = advance()
      return true
    }
    return false
  }

  mutating func expect(_ op: String) throws(SyntaxError) {
    guard accept(op) else { throw unexpected(expecting: "'\(op)'") }
  }

  mutating func expectKeyword(_ word: String) throws(SyntaxError) {
    guard acceptKeyword(word) else { throw unexpected(expecting: "'\(word)'") }
  }

  mutating func expectName() throws(SyntaxError) -> String {
    guard case let .name(name) = current.kind else { throw unexpected(expecting: "a name") }
    _ = advance()
    return name
  }

  func unexpected(expecting: String) -> SyntaxError {
    // A stray `:=` is CPython's plain "invalid syntax" (`x := 1` as a statement).
    if check(":=") { return SyntaxError(.invalid("invalid syntax"), at: current.start) }
    return SyntaxError(
      .invalid("invalid syntax: expected \(expecting), found \(current.describedForError)"), at: current.start)
  }

  func unsupported(_ feature: String, at location: SourcePosition? = nil) -> SyntaxError {
    SyntaxError(.unsupported(feature: feature), at: location ?? current.start)
  }

  // MARK: - Statements

  /// file: statement* ENDMARKER
  mutating func parseFile() throws(SyntaxError) -> [Stmt] {
    var statements: [Stmt] = []
    while current.kind != .endOfFile {
      let before = position
      statements += try parseStatement()
      // Loop-progress guard: a token that no rule consumes must never hang the parser.
      if position == before { throw unexpected(expecting: "a statement") }
    }
    return statements
  }

  /// statement: compound_stmt | simple_stmts
  mutating func parseStatement() throws(SyntaxError) -> [Stmt] {
    if case .indent = current.kind {
      throw SyntaxError(.invalid("unexpected indent"), at: current.start)
    }
    if case let .keyword(word) = current.kind {
      switch word {
      case "if": return [try parseIf()]
      case "while": return [try parseWhile()]
      case "for": return [try parseFor()]
      case "with": return [try parseWith()]
      case "def": return [try parseFunctionDef(decorators: [])]
      case "class": return [try parseClassDef(decorators: [])]
      case "try": return [try parseTry()]
      case "async": throw unsupported("async functions")
      default: break
      }
    }
    if check("@") { return [try parseDecorated()] }
    return try parseSimpleStatements()
  }

  /// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
  mutating func parseSimpleStatements() throws(SyntaxError) -> [Stmt] {
    var statements = [try parseSimpleStatement()]
    while accept(";") {
      if current.kind == .newline { break }
      statements.append(try parseSimpleStatement())
    }
    guard current.kind == .newline || current.kind == .endOfFile else {
      throw unexpected(expecting: "end of line")
    }
    _ = advance()
    return statements
  }

  /// simple_stmt: 'pass' | 'break' | 'continue' | return_stmt | import_stmt
  ///            | expression_stmt
  mutating func parseSimpleStatement() throws(SyntaxError) -> Stmt {
    let start = current.start
    if case let .keyword(word) = current.kind {
      switch word {
      case "pass": _ = advance(); return Stmt(.pass, at: start)
      case "break", "continue":
        guard loopDepth > 0 else {
          let message = word == "break" ? "'break' outside loop" : "'continue' not properly in loop"
          throw SyntaxError(.invalid(message), at: start)
        }
        _ = advance()
        return Stmt(word == "break" ? .break : .continue, at: start)
      case "return":
        guard inFunction else { throw SyntaxError(.invalid("'return' outside function"), at: start) }
        _ = advance()
        if current.kind == .newline || current.kind == .endOfFile || check(";") {
          return Stmt(.return(nil), at: start)
        }
        return Stmt(.return(try rejectingBareStar(try parseExpressionList())), at: start)
      case "import": return try parseImport()
      case "from": return try parseFromImport()
      case "global", "nonlocal":
        _ = advance()
        var names = [try expectName()]
        while accept(",") { names.append(try expectName()) }
        return Stmt(word == "global" ? .global(names) : .nonlocal(names), at: start)
      case "del": return try parseDelete()
      case "assert":
        _ = advance()
        let test = try parseExpression()
        let message = accept(",") ? try parseExpression() : nil
        return Stmt(.assert(test: test, message: message), at: start)
      case "raise":
        _ = advance()
        if current.kind == .newline || check(";") { return Stmt(.raise(nil, cause: nil), at: start) }
        let value = try parseExpression()
        let cause = acceptKeyword("from") ? try parseExpression() : nil
        return Stmt(.raise(value, cause: cause), at: start)
      default: break
      }
    }
    return try parseExpressionStatement()
  }

  /// expression_stmt: exprlist (('=' exprlist)* | augassign exprlist | ':' expression ['=' exprlist])
  mutating func parseExpressionStatement() throws(SyntaxError) -> Stmt {
    let start = current.start
    if checkKeyword("yield") { return Stmt(.expression(try parseYield()), at: start) }
    let first = try parseExpressionList()
    if case let .op(op) = current.kind, op.count >= 2, op.hasSuffix("="),
      !["==", "!=", "<=", ">=", ":="].contains(op)
    {
      guard let binary = BinaryOperator(rawValue: String(op.dropLast())) else {
        throw unsupported("the '\(op)' operator")
      }
      _ = advance()
      try checkAssignable(first, augmented: true)
      let value = try rejectingBareStar(try parseExpressionList())
      return Stmt(.augmentedAssign(target: first, op: binary, value: value), at: start)
    }
    if accept(":") {
      try checkAssignable(first, augmented: true)
      let annotation = try parseExpression()
      let value = accept("=") ? try rejectingBareStar(try parseExpressionList()) : nil
      return Stmt(.annotatedAssign(target: first, annotation: annotation, value: value), at: start)
    }
    guard check("=") else { return Stmt(.expression(try rejectingBareStar(first)), at: start) }
    var targets = [first]
    var value = first
    while accept("=") {
      value = checkKeyword("yield") ? try parseYield() : try parseExpressionList()
      targets.append(value)
    }
    targets.removeLast()
    _ = try rejectingBareStar(value)
    for target in targets { try checkAssignable(target, augmented: false) }
    return Stmt(.assign(targets: targets, value: value), at: start)
  }

  /// yield_expr: 'yield' [expression_list] | 'yield' 'from' expression
  /// (as a statement or the value of an assignment; elsewhere it is outside the subset)
  mutating func parseYield() throws(SyntaxError) -> Expr {
    guard inFunction else { throw SyntaxError(.invalid("'yield' outside function"), at: current.start) }
    let start = advance().start
    if acceptKeyword("from") { return Expr(.yieldFrom(try parseExpression()), at: start) }
    if current.kind == .newline || current.kind == .endOfFile || check(";") { return Expr(.yield(nil), at: start) }
    return Expr(.yield(try rejectingBareStar(try parseExpressionList())), at: start)
  }

  /// import_stmt: 'import' dotted_name ['as' NAME] (',' dotted_name ['as' NAME])*
  mutating func parseImport() throws(SyntaxError) -> Stmt {
    let start = advance().start
    var names: [ImportName] = []
    repeat {
      let name = try parseDottedName()
      let alias = acceptKeyword("as") ? try expectName() : nil
      names.append(ImportName(name: name, alias: alias))
    } while accept(",")
    return Stmt(.import(names), at: start)
  }

  /// from_stmt: 'from' dotted_name 'import' ('(' names ')' | names)
  mutating func parseFromImport() throws(SyntaxError) -> Stmt {
    let start = advance().start
    if check(".") { throw unsupported("relative imports") }
    let module = try parseDottedName()
    try expectKeyword("import")
    if check("*") { throw unsupported("'from … import *'") }
    let parenthesized = accept("(")
    var names: [ImportName] = []
    repeat {
      if parenthesized && check(")") { break }
      let name = try expectName()
      let alias = acceptKeyword("as") ? try expectName() : nil
      names.append(ImportName(name: name, alias: alias))
    } while accept(",")
    if parenthesized { try expect(")") }
    return Stmt(.fromImport(module: module, names: names), at: start)
  }

  /// dotted_name: NAME ('.' NAME)*
  mutating func parseDottedName() throws(SyntaxError) -> String {
    var name = try expectName()
    while accept(".") { name += "." + (try expectName()) }
    return name
  }

  /// block: NEWLINE INDENT statement+ DEDENT | simple_stmts
  mutating func parseBlock() throws(SyntaxError) -> [Stmt] {
    nesting += 1
    defer { nesting -= 1 }
    guard nesting <= Self.maxNesting else {
      throw SyntaxError(.invalid("too many statically nested blocks"), at: current.start)
    }
    try expect(":")
    guard current.kind == .newline else { return try parseSimpleStatements() }
    _ = advance()
    guard current.kind == .indent else {
      throw SyntaxError(.invalid("expected an indented block"), at: current.start)
    }
    _ = advance()
    var body: [Stmt] = []
    while current.kind != .dedent && current.kind != .endOfFile {
      let before = position
      body += try parseStatement()
      if position == before { throw unexpected(expecting: "a statement") }
    }
    _ = advance()
    return body
  }

  /// if_stmt: 'if' expression block ('elif' expression block)* ['else' block]
  mutating func parseIf() throws(SyntaxError) -> Stmt {
    let start = advance().start
    let test = try parseNamedExpression()
    let body = try parseBlock()
    var orElse: [Stmt] = []
    if checkKeyword("elif") {
      orElse = [try parseIf()]
    } else if acceptKeyword("else") {
      orElse = try parseBlock()
    }
    return Stmt(.if(test: test, body: body, orElse: orElse), at: start)
  }

  /// try_stmt: 'try' block (except_clause block)+ ['else' block] ['finally' block]
  ///         | 'try' block 'finally' block
  /// except_clause: 'except' [expression ['as' NAME]]
  mutating func parseTry() throws(SyntaxError) -> Stmt {
    let start = advance().start
    let body = try parseBlock()
    var handlers: [ExceptHandler] = []
    while checkKeyword("except") {
      if let previous = handlers.last, previous.type == nil {
        throw SyntaxError(.invalid("default 'except:' must be last"), at: previous.start)
      }
      let handlerStart = advance().start
      if check("*") { throw unsupported("exception groups ('except*')") }
      var type: Expr?
      var name: String?
      if !check(":") {
        type = try parseExpression()
        if acceptKeyword("as") { name = try expectName() }
      }
      handlers.append(ExceptHandler(type: type, name: name, body: try parseBlock(), start: handlerStart))
    }
    let orElse = !handlers.isEmpty && acceptKeyword("else") ? try parseBlock() : []
    let finally = acceptKeyword("finally") ? try parseBlock() : []
    guard !handlers.isEmpty || !finally.isEmpty else {
      throw SyntaxError(.invalid("expected 'except' or 'finally' block"), at: current.start)
    }
    return Stmt(.try(body: body, handlers: handlers, orElse: orElse, finally: finally), at: start)
  }

  /// while_stmt: 'while' expression block ['else' block]
  mutating func parseWhile() throws(SyntaxError) -> Stmt {
    let start = advance().start
    let test = try parseNamedExpression()
    let body = try parseLoopBody()
    let orElse = acceptKeyword("else") ? try parseBlock() : []
    return Stmt(.while(test: test, body: body, orElse: orElse), at: start)
  }

  /// for_stmt: 'for' target_list 'in' expression_list block ['else' block]
  mutating func parseFor() throws(SyntaxError) -> Stmt {
    let start = advance().start
    let target = try parseTargetList()
    try checkAssignable(target, augmented: false)
    try expectKeyword("in")
    let iterable = try rejectingBareStar(try parseExpressionList())
    let body = try parseLoopBody()
    let orElse = acceptKeyword("else") ? try parseBlock() : []
    return Stmt(.for(target: target, iterable: iterable, body: body, orElse: orElse), at: start)
  }

  /// A loop's block: `break` and `continue` are allowed in it.
  mutating func parseLoopBody() throws(SyntaxError) -> [Stmt] {
    loopDepth += 1
    defer { loopDepth -= 1 }
    return try parseBlock()
  }

  /// A `def` or `class` body: `return` is allowed in a function's, and loops outside do not
  /// enclose it.
  mutating func parseScopeBody(function: Bool) throws(SyntaxError) -> [Stmt] {
    let saved = (inFunction, loopDepth)
    (inFunction, loopDepth) = (function, 0)
    defer { (inFunction, loopDepth) = saved }
    return try parseBlock()
  }

  /// target_list: star_target (',' star_target)* [',']
  mutating func parseTargetList() throws(SyntaxError) -> Expr {
    let start = current.start
    var items = [try parseStarTarget()]
    var sawComma = false
    while accept(",") {
      sawComma = true
      if checkKeyword("in") { break }
      items.append(try parseStarTarget())
    }
    return sawComma ? Expr(.tuple(items), at: start) : items[0]
  }

  /// star_target: ['*'] bitwise_or
  mutating func parseStarTarget() throws(SyntaxError) -> Expr {
    let start = current.start
    if accept("*") { return Expr(.starred(try parseBitwise()), at: start) }
    return try parseBitwise()
  }

  /// with_stmt: 'with' expression ['as' target] (',' expression ['as' target])* block
  mutating func parseWith() throws(SyntaxError) -> Stmt {
    let start = advance().start
    var items: [WithItem] = []
    repeat {
      let context = try parseExpression()
      var target: Expr?
      if acceptKeyword("as") {
        let parsed = try parsePrimary()
        try checkAssignable(parsed, augmented: false)
        target = parsed
      }
      items.append(WithItem(context: context, target: target))
    } while accept(",")
    return Stmt(.with(items: items, body: try parseBlock()), at: start)
  }

  /// decorated: ('@' expression NEWLINE)+ (funcdef | classdef)
  mutating func parseDecorated() throws(SyntaxError) -> Stmt {
    var decorators: [Expr] = []
    while accept("@") {
      decorators.append(try parseExpression())
      guard current.kind == .newline else { throw unexpected(expecting: "end of line") }
      _ = advance()
    }
    if checkKeyword("def") { return try parseFunctionDef(decorators: decorators) }
    if checkKeyword("class") { return try parseClassDef(decorators: decorators) }
    throw unexpected(expecting: "'def' or 'class' after decorators")
  }

  /// funcdef: 'def' NAME '(' [parameters] ')' ['->' expression] block
  mutating func parseFunctionDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
    let start = advance().start
    let name = try expectName()
    try expect("(")
    let parameters = try parseParameters(closing: ")")
    try expect(")")
    if accept("->") { _ = try parseExpression() }
    let body = try parseScopeBody(function: true)
    return Stmt(.functionDef(name: name, parameters: parameters, body: body, decorators: decorators), at: start)
  }

  /// classdef: 'class' NAME ['(' [arguments] ')'] block
  mutating func parseClassDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
    let start = advance().start
    let name = try expectName()
    var bases: [Argument] = []
    if accept("(") {
      bases = try parseArguments()
      try expect(")")
    }
    let body = try parseScopeBody(function: false)
    return Stmt(.classDef(name: name, bases: bases, body: body, decorators: decorators), at: start)
  }

  /// parameters: param (',' param)* [','] with the markers '/', '*' and '*NAME', '**NAME';
  /// param: NAME [':' expression] ['=' expression]
  mutating func parseParameters(closing: String) throws(SyntaxError) -> [Parameter] {
    var parameters: [Parameter] = []
    var sawDefault = false
    var keywordOnly = false
    var bareStar: SourcePosition?
    while !check(closing) {
      let location = current.start
      if parameters.last?.kind == .varKeyword {
        throw SyntaxError(.invalid("arguments cannot follow var-keyword argument"), at: location)
      }
      var kind: Parameter.Kind = keywordOnly ? .keywordOnly : .normal
      if accept("/") {
        guard !parameters.isEmpty, !keywordOnly,
          !parameters.contains(where: { $0.kind == .positionalOnly })
        else { throw SyntaxError(.invalid("invalid syntax: '/' must follow positional parameters"), at: location) }
        for index in parameters.indices { parameters[index].kind = .positionalOnly }
        if !accept(",") { break }
        continue
      }
      if accept("**") {
        kind = .varKeyword
      } else if accept("*") {
        guard !keywordOnly else { throw SyntaxError(.invalid("* argument may appear only once"), at: location) }
        keywordOnly = true
        if check(",") || check(closing) {
          bareStar = location
          if !accept(",") { break }
          continue
        }
        kind = .varPositional
      }
      let name = try expectName()
      if closing == ")" && accept(":") { _ = try parseExpression() }
      var defaultValue: Expr?
      if accept("=") {
        guard kind != .varPositional && kind != .varKeyword else {
          throw SyntaxError(
            .invalid("var-positional and var-keyword arguments cannot have default values"), at: location)
        }
        defaultValue = try parseExpression()
        if kind == .normal { sawDefault = true }
      } else if sawDefault && kind == .normal {
        throw SyntaxError(.invalid("non-default argument follows default argument"), at: location)
      }
      if parameters.contains(where: { $0.name == name }) {
        throw SyntaxError(.invalid("duplicate argument '\(name)' in function definition"), at: location)
      }
      if kind == .keywordOnly || kind == .varPositional { bareStar = nil }
      parameters.append(Parameter(name: name, defaultValue: defaultValue, kind: kind))
      if !accept(",") { break }
    }
    if let bareStar { throw SyntaxError(.invalid("named arguments must follow bare *"), at: bareStar) }
    return parameters
  }
}
