import PythonSyntax
import Testing

@testable import PythonRuntime

/// Runs a program with no modules available and returns the interpreter.
func run(_ source: String, limits: Interpreter.Limits = .init()) throws -> Interpreter {
  let interpreter = Interpreter(limits: limits) { name throws(RuntimeError) in
    throw .exception("ModuleNotFoundError", "No module named '\(name)'")
  }
  try interpreter.run(try Parser.parse(source))
  return interpreter
}

/// Runs a program expected to fail and returns its error.
func failure(_ source: String, limits: Interpreter.Limits = .init()) -> RuntimeError? {
  do {
    _ = try run(source, limits: limits)
    return nil
  } catch let error as RuntimeError {
    return error
  } catch {
    return nil
  }
}

@Suite struct InterpreterTests {
  @Test("arithmetic follows Python: true division, floor division toward -inf, int/float mixing")
  func arithmetic() throws {
    let interpreter = try run("a = 7 / 2\nb = -7 // 2\nc = -7 % 3\nd = 2 ** 10\ne = 1 + 2.5\nf = 'ab' * 2\n")
    #expect(interpreter.global("a")?.repr == "3.5")
    #expect(interpreter.global("b")?.repr == "-4")
    #expect(interpreter.global("c")?.repr == "2")
    #expect(interpreter.global("d")?.repr == "1024")
    #expect(interpreter.global("e")?.repr == "3.5")
    #expect(interpreter.global("f")?.repr == "'abab'")
  }

  @Test("functions: defaults, keywords, closures, recursion and lambdas")
  func functions() throws {
    let interpreter = try run(
      """
      def scale(x, factor=2):
          return x * factor
      def make(k):
          return lambda v: v + k
      def fact(n):
          if n <= 1:
              return 1
          return n * fact(n - 1)
      a = scale(3)
      b = scale(3, factor=10)
      c = make(5)(1)
      d = fact(5)
      """)
    #expect(interpreter.global("a")?.repr == "6")
    #expect(interpreter.global("b")?.repr == "30")
    #expect(interpreter.global("c")?.repr == "6")
    #expect(interpreter.global("d")?.repr == "120")
  }

  @Test("loops: for over zip/enumerate/range with break, continue and else; while")
  func loops() throws {
    let interpreter = try run(
      """
      total = 0
      for i, (a, b) in enumerate(zip([1, 2, 3], [10, 20, 30])):
          if i == 1:
              continue
          total += a * b
      n = 0
      while n < 5:
          n += 1
          if n == 3:
              break
      else:
          n = -1
      found = None
      for x in range(10):
          if x * x > 20:
              found = x
              break
      """)
    #expect(interpreter.global("total")?.repr == "100")
    #expect(interpreter.global("n")?.repr == "3")
    #expect(interpreter.global("found")?.repr == "5")
  }

  @Test("print writes str() of each value and records the values")
  func printing() throws {
    let interpreter = try run("print('loss', 1.5, [1, 2], None, True, sep=', ')\nprint(1e-08, 1e16, 0.1)\n")
    #expect(interpreter.output == "loss, 1.5, [1, 2], None, True\n1e-08 1e+16 0.1\n")
    #expect(interpreter.printed.count == 2)
  }

  @Test("Python exceptions carry the location of the failing statement")
  func exceptions() {
    let error = failure("x = 1\ny = x + undefined\n")
    #expect(error?.kind == .exception(type: "NameError", message: "name 'undefined' is not defined"))
    #expect(error?.location == SourcePosition(line: 2, column: 9))
    #expect(failure("x = [1, 2][5]\n")?.kind == .exception(type: "IndexError", message: "list index out of range"))
    #expect(
      failure("a, b = [1, 2, 3]\n")?.kind
        == .exception(type: "ValueError", message: "too many values to unpack (expected 2)"))
    #expect(
      failure("def f(a):\n  return a\nf(1, 2)\n")?.kind
        == .exception(type: "TypeError", message: "f() takes 1 positional argument but 2 were given"))
    #expect(failure("x = 1 / 0\n")?.kind == .exception(type: "ZeroDivisionError", message: "division by zero"))
  }

  @Test("comprehensions: list, dict and generator, nested clauses, own scope")
  func comprehensions() throws {
    let interpreter = try run(
      """
      xs = [1, 2, 3, 4]
      squares = [x * x for x in xs if x % 2 == 0]
      pairs = [(a, b) for a in range(2) for b in range(a, 2)]
      index = {name: i for i, name in enumerate(['w', 'b'])}
      total = sum(x for x in xs)
      x = 'kept'
      ys = [x for x in xs]
      """)
    #expect(interpreter.global("squares")?.repr == "[4, 16]")
    #expect(interpreter.global("pairs")?.repr == "[(0, 0), (0, 1), (1, 1)]")
    #expect(interpreter.global("index")?.repr == "{'w': 0, 'b': 1}")
    #expect(interpreter.global("total")?.repr == "10")
    #expect(interpreter.global("x")?.repr == "'kept'")
  }

  @Test("try/except/else/finally and raise follow Python, matching through base classes")
  func tryExcept() throws {
    let interpreter = try run(
      """
      log = []
      def risky(n):
          try:
              if n == 0:
                  return 1 / n
              if n == 1:
                  raise KeyError("k")
              return n
          except ArithmeticError as e:
              log.append("arith " + str(e))
          except (KeyError, IndexError) as e:
              log.append("lookup " + repr(e))
          else:
              log.append("else")
          finally:
              log.append("finally")
      risky(0)
      risky(1)
      risky(2)
      try:
          try:
              raise ValueError("inner")
          except ValueError:
              raise
      except Exception as e:
          caught = isinstance(e, ValueError) and not isinstance(e, KeyError)
      """)
    #expect(
      interpreter.global("log")?.repr
        == "['arith division by zero', 'finally', \"lookup KeyError('k')\", 'finally', 'finally']")
    #expect(interpreter.global("caught")?.repr == "True")
  }

  @Test("assert raises AssertionError with its message")
  func assertions() throws {
    _ = try run("assert 1 + 1 == 2\n")
    #expect(
      failure("x = 3\nassert x < 2, f'x is {x}'\n")?.kind == .exception(type: "AssertionError", message: "x is 3"))
    #expect(failure("assert []\n")?.location == SourcePosition(line: 1, column: 1))
  }

  @Test("Lockstep's own limits and unsupported features cannot be caught")
  func uncatchable() {
    guard
      case .limitExceeded? = failure(
        "try:\n    while True:\n        pass\nexcept Exception:\n    pass\n", limits: .init(maxSteps: 100))?.kind
    else {
      Issue.record("a step limit was caught")
      return
    }
    #expect(
      failure("try:\n    t = hex(1)\nexcept Exception:\n    pass\n")?.kind == .unsupported(feature: "the builtin 'hex'")
    )
    #expect(
      failure("raise 5\n")?.kind == .exception(type: "TypeError", message: "exceptions must derive from BaseException"))
  }

  @Test("a name assigned in a function is local to all of it, as in Python")
  func localScoping() throws {
    #expect(
      failure("total = 0\ndef f():\n    total += 1\nf()\n")?.kind
        == .exception(
          type: "UnboundLocalError",
          message: "cannot access local variable 'total' where it is not associated with a value"))
    let interpreter = try run("k = 2\ndef g(x):\n    y = x * k\n    return y\nr = g(3)\n")
    #expect(interpreter.global("r")?.repr == "6")
  }

  @Test("an infinite loop stops at the step limit with a located error")
  func stepLimit() {
    let error = failure("x = 0\nwhile True:\n    x += 1\n", limits: .init(maxSteps: 1000))
    guard case .limitExceeded? = error?.kind else {
      Issue.record("expected a limit error, got \(String(describing: error))")
      return
    }
    #expect(error?.location?.line == 2 || error?.location?.line == 3)
  }

  @Test("runaway recursion is a RecursionError, not a crash")
  func recursion() {
    #expect(
      failure("def f(n):\n    return f(n + 1)\nf(0)\n")?.kind
        == .exception(type: "RecursionError", message: "maximum recursion depth exceeded"))
  }

  @Test("eval, exec, open and dunder access are refused")
  func forbidden() {
    for source in [
      "eval('1')\n", "exec('x = 1')\n", "open('/etc/passwd')\n", "__import__('os')\n", "x = (1).__class__\n",
    ] {
      guard case .forbidden? = failure(source)?.kind else {
        Issue.record("\(source) was not refused")
        continue
      }
    }
  }

  @Test("builtins: len, min, max, sum, abs, round, isinstance, sorted, int and float conversions")
  func builtins() throws {
    let interpreter = try run(
      """
      a = len([1, 2, 3]) + len('ab') + len({'k': 1})
      b = min(3, 1, 2) + max([4, 9])
      c = sum([0.5, 1.5], 1)
      d = abs(-2.5)
      e = round(2.5) + round(3.5)
      f = isinstance(1.0, float) and not isinstance(1, (float, str))
      g = sorted([3, 1, 2])
      h = int(-2.9) + int('7') + float('1e-3')
      """)
    #expect(interpreter.global("a")?.repr == "6")
    #expect(interpreter.global("b")?.repr == "10")
    #expect(interpreter.global("c")?.repr == "3.0")
    #expect(interpreter.global("d")?.repr == "2.5")
    #expect(interpreter.global("e")?.repr == "6")
    #expect(interpreter.global("f")?.repr == "True")
    #expect(interpreter.global("g")?.repr == "[1, 2, 3]")
    #expect(interpreter.global("h")?.repr == "5.001")
  }

  @Test("Python builtins outside the subset are unsupported, not undefined")
  func unsupportedBuiltins() throws {
    #expect(failure("t = hex(1)\n")?.kind == .unsupported(feature: "the builtin 'hex'"))
    let interpreter = try run("a = any([0, 2])\nb = all([1, 0])\nc = list(reversed([1, 2, 3]))\n")
    #expect(interpreter.global("a")?.repr == "True")
    #expect(interpreter.global("b")?.repr == "False")
    #expect(interpreter.global("c")?.repr == "[3, 2, 1]")
  }

  @Test("arguments bind like Python and record defaulted parameters")
  func binding() throws {
    let bound = try Arguments([.int(1)], keywords: [("c", .int(3))]).bind(
      "f", [.required("a"), .optional("b", .int(2)), .optional("c")])
    #expect(bound["b"].repr == "2")
    #expect(bound.defaulted == ["b"])
    #expect(throws: RuntimeError.typeError("f() missing 1 required positional argument: 'a'")) {
      try Arguments().bind("f", [.required("a")])
    }
    #expect(throws: RuntimeError.typeError("f() got an unexpected keyword argument 'z'")) {
      try Arguments([], keywords: [("z", .none)]).bind("f", [.optional("a")])
    }
    #expect(throws: RuntimeError.typeError("f() got multiple values for argument 'a'")) {
      try Arguments([.int(1)], keywords: [("a", .int(2))]).bind("f", [.required("a"), .optional("b")])
    }
    #expect(throws: RuntimeError.typeError("f() missing 2 required positional arguments: 'a' and 'c'")) {
      try Arguments([], keywords: [("b", .int(2))]).bind("f", [.required("a"), .optional("b"), .required("c")])
    }
    let keywordOnly = try Arguments([], keywords: [("b", .int(5)), ("a", .int(4))]).bind(
      "f", [.required("a"), .optional("b", .int(0)), .optional("c", .int(0)), .optional("d", .int(0))])
    #expect(keywordOnly["a"].repr == "4" && keywordOnly["b"].repr == "5")
    #expect(keywordOnly.defaulted == ["c", "d"])
    #expect(keywordOnly.keepingDefaulted(0b1000).defaulted == ["d"])
    #expect(keywordOnly.value("e") == nil)
  }
}
