import Testing
@testable import PythonSyntax

@Suite struct LexerTests {
  @Test("indentation produces INDENT and DEDENT; blank and comment lines do not")
  func indentation() throws {
    let tokens = try Lexer.tokenize("if x:\n  y = 1\n\n  # note\n  z = 2\nw = 3\n").map(\.kind)
    #expect(tokens.filter { $0 == .indent }.count == 1)
    #expect(tokens.filter { $0 == .dedent }.count == 1)
    let dedent = tokens.firstIndex(of: .dedent)!
    #expect(tokens[dedent + 1] == .name("w"))
  }

  @Test("numbers: ints, floats with exponents, underscores and hex")
  func numbers() throws {
    let kinds = try Lexer.tokenize("1 1e-8 2.5 .5 1_000 0x10 3.").map(\.kind)
    #expect(Array(kinds.prefix(7)) == [.int(1), .float(1e-8), .float(2.5), .float(0.5), .int(1000), .int(16), .float(3)])
  }

  @Test("brackets join lines; strings keep escapes")
  func bracketsAndStrings() throws {
    let kinds = try Lexer.tokenize("f(1,\n  2)\ns = 'a\\nb' \"c\"\n").map(\.kind)
    #expect(!kinds.prefix(6).contains(.newline))
    #expect(kinds.contains(.string("a\nb")))
  }

  @Test("bytes literals are unsupported, not mis-lexed")
  func bytesLiterals() {
    #expect(throws: SyntaxError(.unsupported(feature: "bytes literals"), at: SourcePosition(line: 1, column: 5))) {
      try Lexer.tokenize("x = b'{y}'")
    }
  }

  @Test("an unterminated string is located at its start")
  func unterminated() {
    #expect(throws: SyntaxError(.invalid("unterminated string literal"), at: SourcePosition(line: 2, column: 5))) {
      try Lexer.tokenize("x = 1\ny = 'abc\n")
    }
  }
}

@Suite struct FormatStringLexingTests {
  @Test("f-strings split into literals and fields with conversions, specs and positions")
  func parts() throws {
    let tokens = try Lexer.tokenize("s = f'a{{b}} {x + 1!r:>4} {y}'\n")
    guard case let .formatString(parts) = tokens[2].kind else {
      Issue.record("expected an f-string token, got \(tokens[2].kind)")
      return
    }
    #expect(parts == [
      .literal("a{b} "),
      .field(source: "x + 1", at: SourcePosition(line: 1, column: 15), conversion: "r", spec: ">4"),
      .literal(" "),
      .field(source: "y", at: SourcePosition(line: 1, column: 28), conversion: nil, spec: ""),
    ])
  }

  @Test("field expressions are parsed in place, so errors point into the f-string")
  func fieldErrors() {
    let error = parseError("s = f'{x +}'\n")
    #expect(error?.at.line == 1 && (error?.at.column ?? 0) >= 8)
    #expect(throws: SyntaxError(.unsupported(feature: "self-documenting f-string fields ('{x=}')"), at: SourcePosition(line: 1, column: 7))) {
      try Lexer.tokenize("s = f'{x=}'\n")
    }
    #expect(throws: SyntaxError(.invalid("f-string: single '}' is not allowed"), at: SourcePosition(line: 1, column: 8))) {
      try Lexer.tokenize("s = f'a}'\n")
    }
  }
}
