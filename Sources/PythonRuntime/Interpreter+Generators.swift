import PythonSyntax

/// Whether statements hold a `yield` that belongs to their function (not to a nested one).
enum YieldScan {
  /// Whether a function body makes the function a generator.
  static func contains(_ statements: [Stmt]) -> Bool { statements.contains(where: contains) }

  /// Whether one statement yields, directly or in a nested block.
  static func contains(_ statement: Stmt) -> Bool {
    switch statement.kind {
    case let .expression(expression): return isYield(expression)
    case let .assign(_, value): return isYield(value)
    case let .if(_, body, orElse), let .for(_, _, body, orElse), let .while(_, body, orElse):
      return contains(body) || contains(orElse)
    case let .with(_, body): return contains(body)
    case let .try(body, handlers, orElse, finally):
      return contains(body) || contains(orElse) || contains(finally) || handlers.contains { contains($0.body) }
    default: return false
    }
  }

  static func isYield(_ expression: Expr) -> Bool {
    switch expression.kind {
    case .yield, .yieldFrom: true
    default: false
    }
  }
}

/// The suspended body of a generator function: a stack of the blocks and loops it is inside,
/// so that it can stop at a `yield` and resume there. Statements without a `yield` run
/// through the interpreter as usual; `if`, `for` and `while` around a `yield` are stepped here.
final class GeneratorFrame {
  private enum Activation {
    case block([Stmt], next: Int)
    case forLoop(iterator: PyValue, target: Expr, body: [Stmt], orElse: [Stmt], at: SourcePosition)
    case whileLoop(test: Expr, body: [Stmt], orElse: [Stmt], at: SourcePosition)
  }

  private unowned let interpreter: Interpreter
  private let scope: Scope
  private let name: String
  private var stack: [Activation]
  /// The iterator a `yield from` is delegating to.
  private var delegate: PyValue?
  /// The targets of `x = yield v`, bound to None when the generator resumes.
  private var pendingTargets: [Expr] = []
  private var running = false

  init(interpreter: Interpreter, scope: Scope, function: PyFunction) {
    self.interpreter = interpreter
    self.scope = scope
    self.name = function.qualifiedName
    self.stack = [.block(function.body, next: 0)]
  }

  /// The generator object a call of a generator function returns.
  var generator: PyValue {
    .object(
      PyIterator("generator", display: "<generator object \(name)>") { [self] () throws(RuntimeError) in
        try self.resume()
      })
  }

  /// Runs to the next `yield` and returns its value, or nil when the body has finished.
  func resume() throws(RuntimeError) -> PyValue? {
    guard !running else { throw .valueError("generator already executing") }
    running = true
    defer { running = false }
    do throws(RuntimeError) {
      let value = try interpreter.nested(at: SourcePosition(line: 0, column: 0)) { () throws(RuntimeError) in
        try advance()
      }
      if value == nil { stack = [] }
      return value
    } catch {
      stack = []
      delegate = nil
      throw error
    }
  }

  private func advance() throws(RuntimeError) -> PyValue? {
    for target in pendingTargets { try interpreter.assign(.none, to: target, in: scope) }
    pendingTargets = []
    if let inner = delegate {
      if let value = try interpreter.next(inner, at: SourcePosition(line: 0, column: 0)) { return value }
      delegate = nil
    }
    while let top = stack.last {
      switch top {
      case let .block(statements, next):
        guard next < statements.count else {
          stack.removeLast()
          continue
        }
        stack[stack.count - 1] = .block(statements, next: next + 1)
        if let value = try run(statements[next]) { return value }
      case let .forLoop(iterator, target, body, orElse, at):
        guard let item = try interpreter.next(iterator, at: at) else {
          stack[stack.count - 1] = .block(orElse, next: 0)
          continue
        }
        try interpreter.step(at: at)
        try interpreter.assign(item, to: target, in: scope)
        stack.append(.block(body, next: 0))
      case let .whileLoop(test, body, orElse, at):
        guard try interpreter.truthValue(try interpreter.evaluate(test, in: scope), at: test.start) else {
          stack[stack.count - 1] = .block(orElse, next: 0)
          continue
        }
        try interpreter.step(at: at)
        stack.append(.block(body, next: 0))
      }
    }
    return nil
  }

  /// Runs one statement; returns the value it yields, if it yields.
  private func run(_ statement: Stmt) throws(RuntimeError) -> PyValue? {
    guard YieldScan.contains(statement) else {
      switch try interpreter.execute([statement], in: scope) {
      case .normal: break
      case .returned: stack = []
      case .broke: unwindLoop(leaving: true)
      case .continued: unwindLoop(leaving: false)
      }
      return nil
    }
    try interpreter.step(at: statement.start)
    do throws(RuntimeError) {
      switch statement.kind {
      case let .expression(expression):
        return try yielded(expression)
      case let .assign(targets, value):
        let result = try yielded(value)
        if result != nil { pendingTargets = targets }
        return result
      case let .if(test, body, orElse):
        let taken = try interpreter.truthValue(try interpreter.evaluate(test, in: scope), at: test.start)
        stack.append(.block(taken ? body : orElse, next: 0))
      case let .for(target, iterable, body, orElse):
        let iterator = try interpreter.makeIterator(try interpreter.evaluate(iterable, in: scope), at: iterable.start)
        stack.append(.forLoop(iterator: iterator, target: target, body: body, orElse: orElse, at: statement.start))
      case let .while(test, body, orElse):
        stack.append(.whileLoop(test: test, body: body, orElse: orElse, at: statement.start))
      default:
        throw RuntimeError(
          .unsupported(feature: "'yield' inside 'try' or 'with' blocks of a generator"), at: statement.start)
      }
    } catch var error {
      if error.location == nil || error.location?.line == 0 { error.location = statement.start }
      throw error
    }
    return nil
  }

  /// The value a `yield` or `yield from` expression produces first.
  private func yielded(_ expression: Expr) throws(RuntimeError) -> PyValue? {
    switch expression.kind {
    case let .yield(value):
      return try value.map { value throws(RuntimeError) in try interpreter.evaluate(value, in: scope) } ?? PyValue.none
    case let .yieldFrom(iterable):
      let iterator = try interpreter.makeIterator(try interpreter.evaluate(iterable, in: scope), at: iterable.start)
      guard let first = try interpreter.next(iterator, at: iterable.start) else { return nil }
      delegate = iterator
      return first
    default:
      preconditionFailure("only yield statements reach here")
    }
  }

  /// `break` (leaving) or `continue` out of the innermost loop being stepped here.
  private func unwindLoop(leaving: Bool) {
    while let top = stack.last {
      switch top {
      case .block: stack.removeLast()
      case .forLoop, .whileLoop:
        if leaving { stack.removeLast() }
        return
      }
    }
  }
}
