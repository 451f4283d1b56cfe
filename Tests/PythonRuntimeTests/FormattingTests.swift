import Testing
@testable import PythonRuntime

/// A Python expression and what CPython 3.11 gives for it.
struct FormatCase: Sendable, CustomTestStringConvertible {
  let expression: String
  let expected: String
  var testDescription: String { expression }
}

@Suite struct FormattingTests {
  static let cases: [FormatCase] = [
    FormatCase(expression: #"f"{x:.2f} {x:10.3f}|{x:<10.1f}|{x:^9.2e}|{x:+.3g} {n:05d} {n:x} {n:#o} {n:,} {1234567.891:,.2f}""#,
               expected: "3.14      3.142|3.1       |3.14e+00 |+3.14 00042 2a 0o52 42 1,234,567.89"),
    FormatCase(expression: #"f"{x} {n} {'abc':>6}|{'abc':.2}|{True} {None} {[1, 2]!r} {'q'!r}""#,
               expected: "3.14159 42    abc|ab|True None [1, 2] 'q'"),
    FormatCase(expression: #""{} and {:.3f} and {name}".format(1, 2.0, name="z") + "{0}{1}{0}".format("a", "b")"#,
               expected: "1 and 2.000 and zaba"),
    FormatCase(expression: #""%d items, %.2f loss, %s, %5.1f%%, %r, %x" % (3, 0.12345, "ok", 99.5, "s", 255)"#,
               expected: "3 items, 0.12 loss, ok,  99.5%, 's', ff"),
    FormatCase(expression: #"format(0.5, ".0%") + " " + format(-0.0, ".1f") + " " + format(1e-7, "") + " " + format(1e16, ".3") + " " + format(2.0, ".3") + f" {12345.6789:.3}""#,
               expected: "50% -0.0 1e-07 1e+16 2.0 1.23e+04"),
    FormatCase(expression: #"f"{float('inf'):.2f} {float('nan'):F} {-1.5:=+8.2f} {7:*^7}""#,
               expected: "inf NAN -   1.50 ***7***"),
    FormatCase(expression: #"f"{{literal}} {x!s:>8}""#, expected: "{literal}  3.14159"),
    FormatCase(expression: #""%d" % 2.7"#, expected: "2"),
  ]

  @Test("f-strings, str.format and % formatting match CPython", arguments: cases)
  func formats(_ testCase: FormatCase) throws {
    let interpreter = try run("x = 3.14159\nn = 42\nresult = \(testCase.expression)\n")
    #expect(interpreter.global("result")?.str == testCase.expected)
  }

  @Test("format errors are Python's")
  func errors() {
    #expect(failure("s = f'{1:.2d}'\n")?.kind == .exception(type: "ValueError", message: "Precision not allowed in integer format specifier"))
    #expect(failure("s = '%d %d' % (1,)\n")?.kind == .exception(type: "TypeError", message: "not enough arguments for format string"))
    #expect(failure("s = '{} {}'.format(1)\n")?.kind == .exception(type: "IndexError", message: "Replacement index 1 out of range for positional args tuple"))
  }
}
