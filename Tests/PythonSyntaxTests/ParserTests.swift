import Foundation
import Testing

@testable import PythonSyntax

/// A parse failure written as source with the expected error position marked by `⏏`.
struct ErrorCase: Sendable, CustomTestStringConvertible {
  let source: String
  let kind: SyntaxError.Kind
  var testDescription: String { source.replacingOccurrences(of: "\n", with: "⏎") }
}

/// The error parsing `source` raises, recording an issue when it parses.
func parseError(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SyntaxError? {
  do {
    _ = try Parser.parse(source)
    Issue.record("parsed without error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite struct ParserTests {
  @Test("operator precedence: * binds tighter than +, ** is right-associative, unary minus below **")
  func precedence() throws {
    let statements = try Parser.parse("x = 1 + 2 * 3\ny = -2 ** 2\n")
    guard case let .assign(_, value) = statements[0].kind, case let .binary(.add, _, rhs) = value.kind else {
      Issue.record("expected an addition, got \(statements[0].kind)")
      return
    }
    #expect(
      rhs.kind
        == .binary(
          .multiply, Expr(.int(2), at: .init(line: 1, column: 9)), Expr(.int(3), at: .init(line: 1, column: 13))))
    guard case let .assign(_, power) = statements[1].kind, case .unary(.negate, _) = power.kind else {
      Issue.record("expected -(2 ** 2)")
      return
    }
  }

  @Test("imports, with-blocks, defs with defaults, for/else and tuple targets")
  func statements() throws {
    let program = try Parser.parse(
      """
      import tensorflow.compat.v1 as tf
      from numpy import array as arr, zeros
      def f(a, b=2):
          return a, b
      with tf.Session() as s, g as h:
          for i, v in enumerate([1, 2]):
              if i: break
          else:
              pass
      x[1:2, ::3] = lambda q=1: q
      """)
    #expect(program.count == 5)
    #expect(program[0].kind == .import([ImportName(name: "tensorflow.compat.v1", alias: "tf")]))
    #expect(
      program[1].kind
        == .fromImport(
          module: "numpy", names: [ImportName(name: "array", alias: "arr"), ImportName(name: "zeros", alias: nil)]))
    guard case let .functionDef(name, parameters, _, _) = program[2].kind else { Issue.record("def"); return }
    #expect(name == "f" && parameters.map(\.name) == ["a", "b"] && parameters[1].defaultValue != nil)
    #expect(program[4].start == SourcePosition(line: 10, column: 1))
  }

  static let errors: [ErrorCase] = [
    ErrorCase(source: "x = (1, 2\n", kind: .invalid("'(' was never closed")),
    ErrorCase(source: "x = (1, 2]\n", kind: .invalid("closing parenthesis ']' does not match opening parenthesis '('")),
    ErrorCase(
      source: "def f(*, a=1, **k, b):\n  pass\n", kind: .invalid("arguments cannot follow var-keyword argument")),
    ErrorCase(source: "def f(a, *):\n  pass\n", kind: .invalid("named arguments must follow bare *")),
    ErrorCase(source: "f(**k, *a)\n", kind: .invalid("iterable argument unpacking follows keyword argument unpacking")),
    ErrorCase(source: "y = f(a, i for i in x)\n", kind: .invalid("Generator expression must be parenthesized")),
    ErrorCase(source: "del f()\n", kind: .invalid("cannot delete function call")),
    ErrorCase(source: "a, *b, *c = x\n", kind: .invalid("multiple starred expressions in assignment")),
    ErrorCase(source: "*a = x\n", kind: .invalid("starred assignment target must be in a list or tuple")),
    ErrorCase(source: "x = *a\n", kind: .invalid("can't use starred expression here")),
    ErrorCase(source: "x := 1\n", kind: .invalid("invalid syntax")),
    ErrorCase(source: "(a.b := 1)\n", kind: .invalid("cannot use assignment expressions with attribute")),
    ErrorCase(source: "break\n", kind: .invalid("'break' outside loop")),
    ErrorCase(source: "while x:\n  def f():\n    continue\n", kind: .invalid("'continue' not properly in loop")),
    ErrorCase(source: "class A:\n  return 1\n", kind: .invalid("'return' outside function")),
    ErrorCase(source: "x = f'{1'\n", kind: .invalid("f-string: expecting '}'")),
    ErrorCase(source: "try:\n  pass\nx = 1\n", kind: .invalid("expected 'except' or 'finally' block")),
    ErrorCase(
      source: "try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", kind: .invalid("default 'except:' must be last")),
    ErrorCase(source: "if x:\ny = 1\n", kind: .invalid("expected an indented block")),
    ErrorCase(source: "f(a=1, 2)\n", kind: .invalid("positional argument follows keyword argument")),
    ErrorCase(source: "1 = x\n", kind: .invalid("cannot assign to expression")),
    ErrorCase(source: "a, b += 1\n", kind: .invalid("cannot assign to expression")),
    ErrorCase(source: "x = [*a for a in b]\n", kind: .invalid("iterable unpacking cannot be used in comprehension")),
  ]

  @Test("invalid and unsupported Python is reported, never hangs", arguments: errors)
  func reportsErrors(_ testCase: ErrorCase) {
    #expect(parseError(testCase.source)?.kind == testCase.kind)
  }

  @Test("the error location points at the offending token")
  func errorLocation() {
    let unclosed = parseError("x = 1\ny = (2 +\n")?.at.line
    #expect(unclosed == 3 || unclosed == 2)
    #expect(parseError("a = 1\nb = 2 3\n")?.at == SourcePosition(line: 2, column: 7))
  }

  @Test("errors render as path:line:col in the scenario file with the source line")
  func rendering() {
    let file = SourceFile(path: "Scenarios/x.yaml", text: "a = 1\nb = 2 3\n", firstLine: 10, indent: 2)
    let error = SyntaxError(.invalid("invalid syntax"), at: SourcePosition(line: 2, column: 7))
    #expect(
      error.rendered(in: file) == "Scenarios/x.yaml:11:9: error: SyntaxError: invalid syntax\n  b = 2 3\n        ^")
  }
}
