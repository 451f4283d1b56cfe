import Foundation

/// Turns program text into tokens, producing INDENT/DEDENT from leading whitespace and
/// joining lines inside brackets, as Python's tokenizer does.
public struct Lexer {
  private let chars: [Character]
  private var index = 0
  private var line = 1
  private var column = 1
  private var indentStack = [0]
  private var openBrackets: [(bracket: String, at: SourcePosition)] = []
  private var bracketDepth: Int { openBrackets.count }
  private var tokens: [Token] = []

  /// Prepares to tokenize `text`.
  public init(_ text: String) {
    chars = Array(text)
  }

  /// Tokenizes the whole text. The result always ends with NEWLINE (if the last line had
  /// tokens), the DEDENTs that close open blocks, and END OF FILE.
  public static func tokenize(_ text: String) throws(SyntaxError) -> [Token] {
    var lexer = Lexer(text)
    return try lexer.run()
  }

  private var here: SourcePosition { SourcePosition(line: line, column: column) }
  private func peek(_ offset: Int = 0) -> Character? {
    index + offset < chars.count ? chars[index + offset] : nil
  }

  private mutating func advance() {
    if chars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  private mutating func emit(_ kind: Token.Kind, from start: SourcePosition) {
    tokens.append(Token(kind: kind, start: start, end: here))
  }

  private mutating func run() throws(SyntaxError) -> [Token] {
    var atLineStart = true
    while index < chars.count {
      if atLineStart && bracketDepth == 0 {
        // A blank or comment-only line is skipped whole; the next line starts a line again.
        if try handleIndentation() { continue }
        atLineStart = false
      }
      let c = chars[index]
      let start = here
      switch c {
      case "\n":
        advance()
        if bracketDepth == 0 {
          if let last = tokens.last, last.kind != .newline {
            tokens.append(Token(kind: .newline, start: start, end: start))
          }
          atLineStart = true
        }
      case " ", "\t", "\r", "\u{0C}":
        advance()
      case "#":
        while let n = peek(), n != "\n" { advance() }
      case "\\":
        advance()
        guard peek() == "\n" else {
          throw SyntaxError(.invalid("unexpected character after line continuation character"), at: start)
        }
        advance()
      case _ where c.isLetter || c == "_":
        try lexNameOrPrefixedString(start)
      case _ where c.isNumber || (c == "." && (peek(1)?.isNumber ?? false)):
        try lexNumber(start)
      case "\"", "'":
        emit(.string(try lexString(start)), from: start)
      default:
        try lexOperator(start)
      }
    }
    if let open = openBrackets.last {
      throw SyntaxError(.invalid("'\(open.bracket)' was never closed"), at: open.at)
    }
    if let last = tokens.last, last.kind != .newline {
      tokens.append(Token(kind: .newline, start: here, end: here))
    }
    for _ in 1..<indentStack.count {
      tokens.append(Token(kind: .dedent, start: here, end: here))
    }
    tokens.append(Token(kind: .endOfFile, start: here, end: here))
    return tokens
  }

  /// Measures a logical line's indentation and emits INDENT/DEDENT. Returns true when the
  /// line is blank or a comment, so it is skipped entirely.
  private mutating func handleIndentation() throws(SyntaxError) -> Bool {
    var width = 0
    while let c = peek(), c == " " || c == "\t" {
      width = c == "\t" ? (width / 8 + 1) * 8 : width + 1
      advance()
    }
    guard let c = peek() else { return true }
    if c == "\n" || c == "#" || c == "\r" {
      while let n = peek(), n != "\n" { advance() }
      if peek() == "\n" { advance() }
      return true
    }
    let start = here
    if width > indentStack.last! {
      indentStack.append(width)
      tokens.append(Token(kind: .indent, start: start, end: start))
    } else {
      while width < indentStack.last! {
        indentStack.removeLast()
        tokens.append(Token(kind: .dedent, start: start, end: start))
      }
      if width != indentStack.last! {
        throw SyntaxError(.invalid("unindent does not match any outer indentation level"), at: start)
      }
    }
    return false
  }

  private mutating func lexNameOrPrefixedString(_ start: SourcePosition) throws(SyntaxError) {
    var name = ""
    while let c = peek(), c.isLetter || c.isNumber || c == "_" {
      name.append(c)
      advance()
    }
    if let quote = peek(), quote == "\"" || quote == "'", name.count <= 2 {
      let prefix = name.lowercased()
      if prefix == "r" {
        emit(.string(try lexString(start, raw: true)), from: start)
        return
      }
      if ["f", "rf", "fr"].contains(prefix) {
        emit(.formatString(try lexFormatString(start, raw: prefix != "f")), from: start)
        return
      }
      if ["b", "br", "rb"].contains(prefix) {
        throw SyntaxError(.unsupported(feature: "bytes literals"), at: start)
      }
      if prefix == "u" {
        emit(.string(try lexString(start)), from: start)
        return
      }
    }
    emit(pythonKeywords.contains(name) ? .keyword(name) : .name(name), from: start)
  }

  private mutating func lexNumber(_ start: SourcePosition) throws(SyntaxError) {
    var text = ""
    if peek() == "0", let x = peek(1), "xXoObB".contains(x) {
      advance()
      advance()
      let radix = "xX".contains(x) ? 16 : "oO".contains(x) ? 8 : 2
      while let c = peek(), c.isHexDigit || c == "_" {
        if c != "_" { text.append(c) }
        advance()
      }
      guard let value = Int(text, radix: radix) else {
        throw SyntaxError(.invalid("invalid number literal"), at: start)
      }
      emit(.int(value), from: start)
      return
    }
    var isFloat = false
    while let c = peek() {
      if c.isNumber || c == "_" {
        if c != "_" { text.append(c) }
      } else if c == "." && !isFloat && !text.contains("e") {
        isFloat = true
        text.append(c)
      } else if (c == "e" || c == "E") && !text.contains("e") {
        isFloat = true
        text.append("e")
        if let sign = peek(1), sign == "+" || sign == "-" {
          advance()
          text.append(sign)
        }
      } else {
        break
      }
      advance()
    }
    if let c = peek(), c == "j" || c == "J" {
      throw SyntaxError(.unsupported(feature: "complex literals"), at: start)
    }
    if let c = peek(), c.isLetter || c == "_" {
      throw SyntaxError(.invalid("invalid decimal literal"), at: start)
    }
    if isFloat {
      guard let value = Double(text.hasSuffix("e") ? text + "x" : text) else {
        throw SyntaxError(.invalid("invalid decimal literal"), at: start)
      }
      emit(.float(value), from: start)
    } else {
      guard let value = Int(text) else {
        throw SyntaxError(.unsupported(feature: "integers beyond 64 bits"), at: start)
      }
      emit(.int(value), from: start)
    }
  }

  private mutating func lexString(_ start: SourcePosition, raw: Bool = false) throws(SyntaxError) -> String {
    let quote = chars[index]
    let triple = peek(1) == quote && peek(2) == quote
    for _ in 0..<(triple ? 3 : 1) { advance() }
    var value = ""
    while true {
      guard let c = peek() else {
        throw SyntaxError(
          .invalid(triple ? "unterminated triple-quoted string literal" : "unterminated string literal"), at: start)
      }
      if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        for _ in 0..<(triple ? 3 : 1) { advance() }
        return value
      }
      if c == "\n" && !triple {
        throw SyntaxError(.invalid("unterminated string literal"), at: start)
      }
      if c == "\\" && !raw, peek(1) != nil {
        appendEscape(to: &value)
        continue
      }
      value.append(c)
      advance()
    }
  }

  /// Consumes a backslash escape and appends what it stands for (unknown escapes are kept
  /// as written, as Python does).
  private mutating func appendEscape(to text: inout String) {
    advance()
    let next = chars[index]
    advance()
    switch next {
    case "n": text.append("\n")
    case "t": text.append("\t")
    case "r": text.append("\r")
    case "0": text.append("\0")
    case "\\", "'", "\"": text.append(next)
    case "\n": break
    default:
      text.append("\\")
      text.append(next)
    }
  }

  /// An f-string body, split into literal text and replacement fields. Field expressions
  /// are kept as source with their position, for the parser to parse in place.
  private mutating func lexFormatString(_ start: SourcePosition, raw: Bool) throws(SyntaxError) -> [FormatStringPart] {
    let quote = chars[index]
    let triple = peek(1) == quote && peek(2) == quote
    for _ in 0..<(triple ? 3 : 1) { advance() }
    var parts: [FormatStringPart] = []
    var literal = ""
    func flush() {
      if !literal.isEmpty { parts.append(.literal(literal)) }
      literal = ""
    }
    while true {
      guard let c = peek() else {
        throw SyntaxError(.invalid("unterminated f-string literal"), at: start)
      }
      if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        for _ in 0..<(triple ? 3 : 1) { advance() }
        flush()
        return parts
      }
      if c == "\n" && !triple { throw SyntaxError(.invalid("unterminated f-string literal"), at: start) }
      if (c == "{" || c == "}") && peek(1) == c {
        literal.append(c)
        advance()
        advance()
        continue
      }
      if c == "}" { throw SyntaxError(.invalid("f-string: single '}' is not allowed"), at: here) }
      if c == "{" {
        flush()
        parts.append(try lexFormatField(quote: quote, triple: triple))
        continue
      }
      if c == "\\" && !raw, peek(1) != nil {
        appendEscape(to: &literal)
        continue
      }
      literal.append(c)
      advance()
    }
  }

  /// `{expression!conversion:spec}` inside an f-string, starting at its `{`.
  private mutating func lexFormatField(quote: Character, triple: Bool) throws(SyntaxError) -> FormatStringPart {
    let open = here
    advance()
    let expressionStart = here
    var source = ""
    var brackets: [Character] = []
    var inString: Character?
    while let c = peek() {
      if let q = inString {
        if c == q { inString = nil }
      } else if c == "'" || c == "\"" {
        // The f-string's own quote ends the f-string (CPython 3.11), unless the f-string is
        // triple-quoted and this is not its closing triple.
        if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
          let message = brackets.last.map { "f-string: unmatched '\($0)'" } ?? "f-string: expecting '}'"
          throw SyntaxError(.invalid(message), at: here)
        }
        inString = c
      } else if "([{".contains(c) {
        brackets.append(c)
      } else if ")]}".contains(c) {
        if brackets.isEmpty { break }
        brackets.removeLast()
      } else if brackets.isEmpty && (c == ":" || (c == "!" && peek(1) != "=")) {
        break
      } else if c == "\n" {
        throw SyntaxError(.invalid("f-string: expecting '}'"), at: here)
      }
      source.append(c)
      advance()
    }
    let trimmed = source.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
      throw SyntaxError(.invalid("f-string: valid expression required before '}'"), at: open)
    }
    if trimmed.hasSuffix("="), !["==", "!=", "<=", ">="].contains(String(trimmed.suffix(2))) {
      throw SyntaxError(.unsupported(feature: "self-documenting f-string fields ('{x=}')"), at: open)
    }
    var conversion: Character?
    if peek() == "!" {
      advance()
      guard let kind = peek(), "rsa".contains(kind) else {
        throw SyntaxError(.invalid("f-string: invalid conversion character: expected 's', 'r', or 'a'"), at: here)
      }
      conversion = kind
      advance()
    }
    var spec = ""
    if peek() == ":" {
      advance()
      while let c = peek(), c != "}" {
        if c == "{" { throw SyntaxError(.unsupported(feature: "nested fields in f-string format specs"), at: here) }
        if c == quote || c == "\n" { break }
        spec.append(c)
        advance()
      }
    }
    guard peek() == "}" else { throw SyntaxError(.invalid("f-string: expecting '}'"), at: here) }
    advance()
    return .field(source: source, at: expressionStart, conversion: conversion, spec: spec)
  }

  private static let operators: [String] = [
    "**=", "//=", ">>=", "<<=", "...",
    "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=",
    "^=", "<<", ">>", ":=",
    "+", "-", "*", "/", "%", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".",
    ";", "&", "|", "^", "~",
  ]

  private mutating func lexOperator(_ start: SourcePosition) throws(SyntaxError) {
    for op in Self.operators {
      let opChars = Array(op)
      guard index + opChars.count <= chars.count,
        Array(chars[index..<index + opChars.count]) == opChars
      else { continue }
      for _ in opChars { advance() }
      if "([{".contains(op) { openBrackets.append((op, start)) }
      if ")]}".contains(op) {
        guard let open = openBrackets.popLast() else {
          throw SyntaxError(.invalid("unmatched '\(op)'"), at: start)
        }
        let expected = ["(": ")", "[": "]", "{": "}"][open.bracket]!
        guard expected == op else {
          throw SyntaxError(
            .invalid("closing parenthesis '\(op)' does not match opening parenthesis '\(open.bracket)'"), at: start)
        }
      }
      emit(.op(op), from: start)
      return
    }
    throw SyntaxError(.invalid("invalid character '\(chars[index])'"), at: start)
  }
}
