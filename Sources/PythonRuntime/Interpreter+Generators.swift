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
/// through the interpreter as usual; `if`, `for`, `while` and `try` around a `yield` are
/// stepped here.
final class GeneratorFrame {
  private enum Activation {
    case block([Stmt], next: Int)
    case forLoop(iterator: PyValue, target: Expr, body: [Stmt], orElse: [Stmt], at: SourcePosition)
    case whileLoop(test: Expr, body: [Stmt], orElse: [Stmt], at: SourcePosition)
    /// A `try` statement; the block above it on the stack is its current part.
    case guarded(Guarded)
    /// A context manager a `with` statement entered; the block above it is the body.
    case managed(Interpreter.EnteredContext)
  }

  /// A `try` statement being stepped: which part runs, and what its `finally` block must let
  /// go on with once it has run.
  private struct Guarded {
    enum Phase {
      case body, orElse
      case finally(Pending)
    }
    /// What was under way when the `finally` block started.
    enum Pending {
      case none, returned, broke, continued
      case error(RuntimeError)
    }
    let handlers: [ExceptHandler]
    let orElse: [Stmt]
    let finally: [Stmt]
    var phase: Phase
  }

  private unowned let interpreter: Interpreter
  /// The interpreter again, for `deinit`: it may be gone by then (its teardown frees the
  /// generators its globals held), which an unowned reference could not tell.
  private weak var owner: Interpreter?
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
    self.owner = interpreter
    self.scope = scope
    self.name = function.qualifiedName
    self.stack = [.block(function.body, next: 0)]
  }

  /// A generator let go of while suspended inside a `try` is closed, as CPython closes it:
  /// GeneratorExit is raised where it stopped, so its handlers and `finally` blocks run. What
  /// that raises, or a `yield` it reaches, is ignored (CPython prints it to stderr).
  deinit {
    guard owner != nil, !running,
      stack.contains(where: { activation in
        switch activation {
        case .managed: true
        case let .guarded(guarded): if case .finally = guarded.phase { false } else { true }
        default: false
        }
      })
    else { return }
    running = true
    pendingTargets = []
    delegate = nil
    do {
      try unwind(RuntimeError(.exception(type: "GeneratorExit", message: "")))
      _ = try interpreter.nested(at: SourcePosition(line: 0, column: 0)) { () throws(RuntimeError) in try advance() }
    } catch {}
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
      do {
        if let value = try step(top) { return value }
      } catch {
        try unwind(error)
      }
    }
    return nil
  }

  /// Advances the activation on top of the stack by one step; returns a yielded value.
  private func step(_ top: Activation) throws(RuntimeError) -> PyValue? {
    switch top {
    case let .block(statements, next):
      guard next < statements.count else {
        stack.removeLast()
        return nil
      }
      stack[stack.count - 1] = .block(statements, next: next + 1)
      return try run(statements[next])
    case let .forLoop(iterator, target, body, orElse, at):
      guard let item = try interpreter.next(iterator, at: at) else {
        stack[stack.count - 1] = .block(orElse, next: 0)
        return nil
      }
      try interpreter.step(at: at)
      try interpreter.assign(item, to: target, in: scope)
      stack.append(.block(body, next: 0))
    case let .whileLoop(test, body, orElse, at):
      guard try interpreter.truthValue(try interpreter.evaluate(test, in: scope), at: test.start) else {
        stack[stack.count - 1] = .block(orElse, next: 0)
        return nil
      }
      try interpreter.step(at: at)
      stack.append(.block(body, next: 0))
    case let .guarded(guarded):
      // Its current part has finished normally.
      stack.removeLast()
      switch guarded.phase {
      case .body: enter(guarded, .orElse, guarded.orElse)
      case .orElse: enter(guarded, .finally(.none), guarded.finally)
      case let .finally(pending): try resume(pending)
      }
    case let .managed(context):
      // Its body has finished normally.
      stack.removeLast()
      _ = try interpreter.exitContext(context, raising: nil)
    }
    return nil
  }

  /// Pushes a `try` statement back with its next part above it.
  private func enter(_ guarded: Guarded, _ phase: Guarded.Phase, _ block: [Stmt]) {
    var next = guarded
    next.phase = phase
    stack.append(.guarded(next))
    stack.append(.block(block, next: 0))
  }

  /// Goes on with what a `finally` block interrupted.
  private func resume(_ pending: Guarded.Pending) throws(RuntimeError) {
    switch pending {
    case .none: break
    case .returned: try unwindReturn()
    case .broke: try unwindLoop(leaving: true)
    case .continued: try unwindLoop(leaving: false)
    case let .error(error): throw error
    }
  }

  /// An error raised while stepping: the innermost `try` around it handles it (its handler
  /// runs to the end at once: a handler cannot yield) and runs its `finally` block; with no
  /// `try` left, the error ends the generator.
  private func unwind(_ error: RuntimeError) throws(RuntimeError) {
    while let top = stack.popLast() {
      if case let .managed(context) = top {
        // `__exit__` sees the error; a true result suppresses it.
        let suppressed: Bool
        do {
          suppressed = try interpreter.exitContext(context, raising: error)
        } catch {
          return try unwind(error)
        }
        if suppressed { return }
        continue
      }
      guard case let .guarded(guarded) = top else { continue }
      switch guarded.phase {
      case .body:
        let outcome: Guarded.Pending
        do {
          // `executeTry` matches the handlers and runs the chosen one as a `try` would.
          let flow = try interpreter.executeTry(
            body: { () throws(RuntimeError) in throw error }, handlers: guarded.handlers,
            handler: { index throws(RuntimeError) in
              try self.interpreter.execute(guarded.handlers[index].body, in: self.scope)
            },
            orElse: { .normal }, finally: { .normal }, hasFinally: false, in: scope)
          outcome = Self.pending(flow)
        } catch {
          outcome = .error(error)
        }
        enter(guarded, .finally(outcome), guarded.finally)
        return
      case .orElse:
        enter(guarded, .finally(.error(error)), guarded.finally)
        return
      case .finally:
        // An error in a `finally` block replaces what it was finishing.
        continue
      }
    }
    throw error
  }

  private static func pending(_ flow: Interpreter.Flow) -> Guarded.Pending {
    switch flow {
    case .normal: .none
    case .returned: .returned
    case .broke: .broke
    case .continued: .continued
    }
  }

  /// `return`: every `finally` block around it runs first, then the generator finishes.
  private func unwindReturn() throws(RuntimeError) {
    while let top = stack.popLast() {
      if case let .managed(context) = top { _ = try interpreter.exitContext(context, raising: nil) }
      guard case let .guarded(guarded) = top else { continue }
      switch guarded.phase {
      case .body, .orElse:
        enter(guarded, .finally(.returned), guarded.finally)
        return
      case .finally: continue
      }
    }
  }

  /// Runs one statement; returns the value it yields, if it yields.
  private func run(_ statement: Stmt) throws(RuntimeError) -> PyValue? {
    guard YieldScan.contains(statement) else {
      switch try interpreter.execute([statement], in: scope) {
      case .normal: break
      case .returned: try unwindReturn()
      case .broke: try unwindLoop(leaving: true)
      case .continued: try unwindLoop(leaving: false)
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
      case let .try(body, handlers, orElse, finally):
        // A handler runs to its end at once (see `unwind`), so it cannot yield.
        if let handler = handlers.first(where: { YieldScan.contains($0.body) }) {
          throw RuntimeError(
            .unsupported(feature: "'yield' inside an 'except' block of a generator"),
            at: handler.body.first?.start ?? statement.start)
        }
        stack.append(.guarded(Guarded(handlers: handlers, orElse: orElse, finally: finally, phase: .body)))
        stack.append(.block(body, next: 0))
      case let .with(items, body):
        // Each item entered in turn; an error entering one exits those entered before it.
        for item in items {
          let context = try interpreter.enterContext(item, in: scope)
          stack.append(.managed(context))
          if let target = item.target { try interpreter.assign(context.entered, to: target, in: scope) }
        }
        stack.append(.block(body, next: 0))
      default:
        preconditionFailure("only statements that can hold a yield reach here")
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

  /// `break` (leaving) or `continue` out of the innermost loop being stepped here; a `try`
  /// in between runs its `finally` block first.
  private func unwindLoop(leaving: Bool) throws(RuntimeError) {
    while let top = stack.last {
      switch top {
      case .block: stack.removeLast()
      case let .managed(context):
        stack.removeLast()
        _ = try interpreter.exitContext(context, raising: nil)
      case .forLoop, .whileLoop:
        if leaving { stack.removeLast() }
        return
      case let .guarded(guarded):
        stack.removeLast()
        switch guarded.phase {
        case .body, .orElse:
          enter(guarded, .finally(leaving ? .broke : .continued), guarded.finally)
          return
        case .finally: continue
        }
      }
    }
  }
}
