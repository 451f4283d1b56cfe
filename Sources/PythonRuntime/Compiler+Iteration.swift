import PythonSyntax

/// Compiled iteration: runs a body for each item of an iterable, until the body returns false.
typealias CompiledIteration = (Interpreter, Scope, (PyValue) throws(RuntimeError) -> Bool) throws(RuntimeError) -> Void

/// The items `for` loops and comprehension clauses walk: list items without a closure call per
/// item, `range(…)` counted without making its list, other iterables through `forEach`.
extension Compiler {
  /// Compiles the iterable of a `for` loop or clause.
  func iteration(_ iterable: Expr) -> CompiledIteration {
    if let counted = rangeIteration(iterable) { return counted }
    let (sequence, at) = (expression(iterable), iterable.start)
    return { interpreter, scope, body throws(RuntimeError) in
      try Compiler.iterate(try sequence(interpreter, scope), interpreter, at: at, body)
    }
  }

  /// Runs `body` for each item of a value (items appended to a list while looping are seen).
  @inline(__always)
  static func iterate(
    _ values: PyValue, _ interpreter: Interpreter, at: SourcePosition, _ body: (PyValue) throws(RuntimeError) -> Bool
  ) throws(RuntimeError) {
    if case let .list(list) = values {
      try interpreter.forEachItem(of: list, body)
    } else {
      try interpreter.forEach(values, at: at, body)
    }
  }

  /// `range(…)` with one to three plain arguments: when the name is still the builtin and the
  /// bounds are ints, the ints are counted directly, without making the range object;
  /// otherwise the call is made (with the arguments already evaluated) and its result walked.
  private func rangeIteration(_ iterable: Expr) -> CompiledIteration? {
    guard case let .call(callee, arguments) = iterable.kind, case .name("range") = callee.kind,
      (1...3).contains(arguments.count),
      arguments.allSatisfy({ $0.keyword == nil && $0.unpacking == .none }),
      case let .builtin(range)? = builtins.existingCell("range")?.value
    else { return nil }
    let (function, bounds, at) = (expression(callee), codes(arguments.map(\.value)), iterable.start)
    return { interpreter, scope, body throws(RuntimeError) in
      let callee = try function(interpreter, scope)
      let values = try Compiler.values(bounds, interpreter, scope)
      if case let .builtin(called) = callee, called === range, let (start, end, step) = Compiler.rangeBounds(values) {
        for value in stride(from: start, to: end, by: step) where !(try body(.int(value))) { return }
        return
      }
      let items = try located(at) { () throws(RuntimeError) in
        try interpreter.call(callee, Arguments(values), at: at)
      }
      try Compiler.iterate(items, interpreter, at: at, body)
    }
  }

  /// The start, end and step of `range(values…)` when they are ints and the step is not zero;
  /// nil when the builtin must decide (and raise).
  private static func rangeBounds(_ values: [PyValue]) -> (Int, Int, Int)? {
    var ints: [Int] = []
    for value in values {
      guard case let .int(number) = value else { return nil }
      ints.append(number)
    }
    let (start, end, step) =
      switch ints.count {
      case 1: (0, ints[0], 1)
      case 2: (ints[0], ints[1], 1)
      default: (ints[0], ints[1], ints[2])
      }
    guard step != 0 else { return nil }
    return (start, end, step)
  }
}
