import PythonSyntax

/// Runs a parsed program written in Lockstep's Python subset. The module and each function
/// body are compiled to closures on first use (`Compiler`); the tree walker here runs what
/// compiled code hands back to it (generator bodies, class bodies, rarer statements).
///
/// The interpreter knows nothing of TensorFlow: modules come from the `importer`, and every
/// value they hand out is a `PyObject`.
public final class Interpreter {
  /// Resource limits that turn runaway programs into errors instead of hangs.
  public struct Limits: Sendable {
    /// Statements and loop iterations a program may execute.
    public var maxSteps: Int
    /// Nested program-function calls.
    public var maxCallDepth: Int
    /// Asked every 1,024 steps; a message (naming the limit) when the program must stop now.
    public var stopReason: (@Sendable () -> String?)?

    /// Makes limits.
    public init(maxSteps: Int = 5_000_000, maxCallDepth: Int = 200) {
      self.maxSteps = maxSteps
      self.maxCallDepth = maxCallDepth
    }
  }

  /// How a block finished: normally, or by `return`, `break` or `continue`.
  enum Flow {
    case normal
    case returned(PyValue)
    case broke
    case continued
  }

  /// Returns the module with a dotted name, e.g. `tensorflow.compat.v1`.
  public typealias Importer = (_ name: String) throws(RuntimeError) -> PyValue

  let importer: Importer
  let limits: Limits
  let globals: Scope
  let builtins: Scope
  /// The builtin types, and the host types met so far.
  let types = TypeRegistry()
  @exclusivity(unchecked) private var steps = 0
  @exclusivity(unchecked) var callDepth = 0
  /// The code of module-level functions whose spare call scope keeps its links (see
  /// `FunctionCode.recycle`), let go of when the interpreter goes.
  var linkedSpares: [FunctionCode] = []
  /// Exceptions being handled by `except` blocks, innermost last (for a bare `raise`).
  private var handling: [RuntimeError] = []

  /// Each `print` call's arguments, in order.
  public private(set) var printed: [[PyValue]] = []
  /// What the program printed, as Python would print it.
  public private(set) var output = ""
  /// API calls that relied on defaults, in call order.
  public private(set) var defaultedCalls: [DefaultedCall] = []

  /// Makes an interpreter whose `import` statements are served by `importer`.
  public init(limits: Limits = Limits(), importer: @escaping Importer) {
    self.importer = importer
    self.limits = limits
    builtins = Scope(parent: nil)
    globals = Scope(parent: builtins)
    for function in Builtins.all {
      builtins.bind(function.name, .builtin(function))
      if let type = types.builtinType(named: function.name) {
        function.typeObject = type
        type.constructor = function
      }
    }
    for name in ExceptionHierarchy.builtinNames { builtins.bind(name, exceptionClass(name)) }
    for (name, value) in typeBuiltins() { builtins.bind(name, value) }
    builtins.bind(
      "print",
      .builtin(
        BuiltinFunction("print") { [unowned self] arguments, _ throws(RuntimeError) in
          try self.print(arguments)
        }))
  }

  /// Module-level functions and classes refer back to the module scope that holds them: the
  /// cycle is broken here, so that a finished program's values are freed with its interpreter.
  deinit {
    for code in linkedSpares { code.dropSpare() }
    globals.unbindAll()
  }

  /// Runs a whole program at module level.
  public func run(_ program: [Stmt]) throws(RuntimeError) {
    switch try runCompiled(program) {
    case .normal: return
    case .returned: throw RuntimeError(.exception(type: "SyntaxError", message: "'return' outside function"))
    case .broke, .continued:
      throw RuntimeError(.exception(type: "SyntaxError", message: "'break' or 'continue' outside loop"))
    }
  }

  /// The value of a module-level variable after the program ran.
  public func global(_ name: String) -> PyValue? { globals.local(name) }

  /// Records a call's defaults (once per call site: see `firstDefaultsAt`).
  func recordDefaults(_ call: DefaultedCall) {
    defaultedCalls.append(call)
  }

  /// Whether `api` called at `location` has not had its defaults recorded yet; marks it so.
  func firstDefaultsAt(api: String, location: SourcePosition) -> Bool {
    recordedDefaultSites.insert(DefaultSite(api: api, location: location)).inserted
  }

  private struct DefaultSite: Hashable {
    let api: String
    let location: SourcePosition
  }
  private var recordedDefaultSites: Set<DefaultSite> = []

  private func print(_ arguments: Arguments) throws(RuntimeError) -> PyValue {
    var separator = " "
    var terminator = "\n"
    for (name, value) in arguments.keywords {
      switch (name, value) {
      case let ("sep", .string(text)): separator = text
      case let ("end", .string(text)): terminator = text
      case ("sep", .none), ("end", .none): break
      case ("flush", _): break
      case ("file", _): throw RuntimeError(.forbidden("print(file=…) is refused: scenarios cannot write files"))
      default: throw .typeError("'\(name)' is an invalid keyword argument for print()")
      }
    }
    printed.append(arguments.positional)
    var texts: [String] = []
    for value in arguments.positional { texts.append(try str(value)) }
    output += texts.joined(separator: separator) + terminator
    return .none
  }

  // MARK: - Statements

  /// Counts one step (a statement or loop iteration) against the step limit.
  @inline(__always)
  func step(at location: SourcePosition) throws(RuntimeError) {
    steps += 1
    if steps > limits.maxSteps { throw stepLimitExceeded(at: location) }
    if steps & 1023 == 0, let reason = limits.stopReason?() { throw RuntimeError(.limitExceeded(reason), at: location) }
  }

  @inline(never)
  private func stepLimitExceeded(at location: SourcePosition) -> RuntimeError {
    RuntimeError(.limitExceeded("the program ran more than \(limits.maxSteps) steps (an infinite loop?)"), at: location)
  }

  @inline(__always)
  func execute(_ block: [Stmt], in scope: Scope) throws(RuntimeError) -> Flow {
    for statement in block {
      let flow: Flow
      do {
        flow = try execute(statement, in: scope)
      } catch {
        throw error.located(at: statement.start)
      }
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  private func execute(_ statement: Stmt, in scope: Scope) throws(RuntimeError) -> Flow {
    try step(at: statement.start)
    switch statement.kind {
    case let .expression(expression):
      _ = try evaluate(expression, in: scope)
    case let .assign(targets, value):
      let result = try evaluate(value, in: scope)
      for target in targets { try assign(result, to: target, in: scope) }
    case let .augmentedAssign(target, op, value):
      let current = try evaluate(target, in: scope)
      let operand = try evaluate(value, in: scope)
      if let updated = try inPlace(op, current, operand, at: statement.start) {
        try assign(updated, to: target, in: scope)
      } else {
        try assign(try binary(op, current, operand, at: statement.start), to: target, in: scope)
      }
    case let .annotatedAssign(target, annotation, value):
      try annotate(target, annotation, value, in: scope)
    case let .import(names):
      try executeImport(names, in: scope)
    case let .fromImport(moduleName, names):
      try executeFromImport(moduleName, names, in: scope, at: statement.start)
    case let .with(items, body):
      return try executeWith(items[...], body: { () throws(RuntimeError) in try execute(body, in: scope) }, in: scope)
    case let .for(target, iterable, body, orElse):
      return try executeFor(target, iterable, body, orElse, in: scope, at: statement.start)
    case let .while(test, body, orElse):
      while try truthValue(try evaluate(test, in: scope), at: test.start) {
        try step(at: statement.start)
        switch try execute(body, in: scope) {
        case .broke: return .normal
        case let .returned(value): return .returned(value)
        case .normal, .continued: continue
        }
      }
      return try execute(orElse, in: scope)
    case let .if(test, body, orElse):
      let taken = try truthValue(try evaluate(test, in: scope), at: test.start) ? body : orElse
      return try execute(taken, in: scope)
    case let .functionDef(name, parameters, body, decorators):
      try executeFunctionDef(name, parameters, body, decorators, in: scope, at: statement.start)
    case let .classDef(name, bases, body, decorators):
      try scope.assign(
        name,
        try executeClass(
          name: name, bases: bases, body: body, decorators: decorators, in: scope, at: statement.start))
    case .global, .nonlocal:
      break
    case let .return(value):
      return .returned(
        try value.map { expression throws(RuntimeError) in try evaluate(expression, in: scope) } ?? .none)
    case .pass:
      break
    case .break:
      return .broke
    case .continue:
      return .continued
    case let .try(body, handlers, orElse, finally):
      return try executeTry(
        body: { () throws(RuntimeError) in try execute(body, in: scope) }, handlers: handlers,
        handler: { index throws(RuntimeError) in try execute(handlers[index].body, in: scope) },
        orElse: { () throws(RuntimeError) in try execute(orElse, in: scope) },
        finally: { () throws(RuntimeError) in try execute(finally, in: scope) }, hasFinally: !finally.isEmpty,
        in: scope)
    case let .raise(value, cause):
      throw try raised(value, cause: cause, in: scope, at: statement.start)
    case let .delete(targets):
      for target in targets { try delete(target, in: scope) }
    case let .assert(test, message):
      if !(try truthValue(try evaluate(test, in: scope), at: test.start)) {
        let text = try message.map { expression throws(RuntimeError) in try evaluate(expression, in: scope).str } ?? ""
        throw RuntimeError(.exception(type: "AssertionError", message: text), at: statement.start)
      }
    }
    return .normal
  }

  /// A block to run: statements for the tree walker, or compiled code.
  typealias Block = () throws(RuntimeError) -> Flow

  /// `try`/`except`/`else`/`finally`, `handler(i)` running the body of `handlers[i]`. Only
  /// Python exceptions are caught: Lockstep's own limits and unsupported features always end
  /// the program.
  func executeTry(
    body: Block, handlers: [ExceptHandler], handler runHandler: (Int) throws(RuntimeError) -> Flow, orElse: Block,
    finally: Block, hasFinally: Bool, in scope: Scope
  ) throws(RuntimeError) -> Flow {
    var flow: Flow
    do {
      flow = try body()
      if case .normal = flow { flow = try orElse() }
    } catch {
      guard case let .exception(type, _) = error.kind,
        let index = try matchingHandler(handlers, exceptionType(of: error, named: type), in: scope)
      else { throw try executeFinally(finally, hasFinally, during: error) }
      let handler = handlers[index]
      var caught = error
      let exception = exceptionObject(of: error)
      caught.raised = RaisedObject(value: exception)
      if let name = handler.name { try scope.assign(name, .object(exception)) }
      handling.append(caught)
      defer { handling.removeLast() }
      do {
        flow = try runHandler(index)
      } catch let inner {
        throw try executeFinally(finally, hasFinally, during: inner)
      }
    }
    guard hasFinally else { return flow }
    let finalFlow = try finally()
    if case .normal = finalFlow { return flow }
    return finalFlow
  }

  /// Runs a `finally` block while `error` propagates (so an exception raised there gets it
  /// as its context) and returns the error to go on propagating.
  private func executeFinally(_ block: Block, _ hasFinally: Bool, during error: RuntimeError) throws(RuntimeError)
    -> RuntimeError
  {
    guard hasFinally else { return error }
    guard case .exception = error.kind else {
      _ = try block()
      return error
    }
    var propagating = error
    propagating.raised = RaisedObject(value: exceptionObject(of: error))
    handling.append(propagating)
    defer { handling.removeLast() }
    _ = try block()
    return propagating
  }

  /// The index of the first handler matching an exception type.
  private func matchingHandler(_ handlers: [ExceptHandler], _ type: PyType, in scope: Scope) throws(RuntimeError)
    -> Int?
  {
    for (index, handler) in handlers.enumerated() {
      guard let typeExpression = handler.type else { return index }
      let value = try evaluate(typeExpression, in: scope)
      let classes: [PyValue]
      if case let .tuple(items) = value { classes = items } else { classes = [value] }
      for candidate in classes {
        guard let handlerType = asType(candidate), handlerType.isSubtype(of: types.baseException) else {
          throw RuntimeError(
            .exception(
              type: "TypeError", message: "catching classes that do not inherit from BaseException is not allowed"),
            at: handler.start)
        }
        if type.isSubtype(of: handlerType) { return index }
      }
    }
    return nil
  }

  /// The class of a Python exception that an error carries.
  func exceptionType(of error: RuntimeError, named name: String) -> PyType {
    error.raised?.value.cls ?? types.exception(name)
  }

  /// The exception object an error carries, made from its type and message when Swift code
  /// raised it.
  private func exceptionObject(of error: RuntimeError) -> PyInstance {
    if let raised = error.raised { return raised.value }
    guard case let .exception(type, message) = error.kind else { preconditionFailure("only exceptions are caught") }
    let instance = PyInstance(types.exception(type))
    instance.exception = PyInstance.ExceptionState(args: message.isEmpty ? [] : [.string(message)], message: message)
    return instance
  }

  /// The error a `raise` statement throws.
  private func raised(_ value: Expr?, cause: Expr?, in scope: Scope, at location: SourcePosition)
    throws(RuntimeError) -> RuntimeError
  {
    guard let value else {
      guard let current = handling.last else {
        return RuntimeError(.exception(type: "RuntimeError", message: "No active exception to reraise"), at: location)
      }
      return current
    }
    let exception = try evaluate(value, in: scope)
    if case let .object(object as ExceptionObject) = exception {
      return RuntimeError(.exception(type: object.type, message: object.message), at: location)
    }
    guard let instance = try exceptionInstance(exception, at: location) else {
      return RuntimeError(
        .exception(type: "TypeError", message: "exceptions must derive from BaseException"), at: location)
    }
    if let cause {
      let causeValue = try evaluate(cause, in: scope)
      if case .none = causeValue {
        instance.exception?.cause = .none
      } else if let causeInstance = try exceptionInstance(causeValue, at: location) {
        instance.exception?.cause = .object(causeInstance)
      } else {
        return RuntimeError(
          .exception(type: "TypeError", message: "exception causes must derive from BaseException"), at: location)
      }
    }
    if let context = handling.last?.raised?.value, context !== instance, case .none? = instance.exception?.context {
      instance.exception?.context = .object(context)
    }
    var error = RuntimeError(.exception(type: instance.cls.name, message: try str(.object(instance))), at: location)
    error.raised = RaisedObject(value: instance)
    return error
  }

  /// An exception instance, or a new one when `value` is an exception class; nil otherwise.
  private func exceptionInstance(_ value: PyValue, at location: SourcePosition) throws(RuntimeError) -> PyInstance? {
    if let type = asType(value) {
      guard type.isSubtype(of: types.baseException) else { return nil }
      guard case let .object(instance as PyInstance) = try instantiate(type, Arguments(), at: location) else {
        return nil
      }
      return instance
    }
    if case let .object(instance as PyInstance) = value, instance.exception != nil { return instance }
    return nil
  }

  /// The class object for a builtin exception name, callable to make an instance.
  private func exceptionClass(_ name: String) -> PyValue {
    let type = types.exception(name)
    let constructor = BuiltinFunction(name, exceptionName: name) { arguments, context throws(RuntimeError) in
      try context.interpreter.instantiate(type, arguments, at: context.location)
    }
    constructor.typeObject = type
    type.constructor = constructor
    return .builtin(constructor)
  }

  /// `with` items entered in order around `body`, exited in reverse.
  func executeWith(_ items: ArraySlice<WithItem>, body: Block, in scope: Scope) throws(RuntimeError) -> Flow {
    guard let item = items.first else { return try body() }
    let manager = try enterContext(item, in: scope)
    let flow: Flow
    do {
      if let target = item.target { try assign(manager.entered, to: target, in: scope) }
      flow = try executeWith(items.dropFirst(), body: body, in: scope)
    } catch {
      if try exitContext(manager, raising: error) { return .normal }
      throw error
    }
    _ = try exitContext(manager, raising: nil)
    return flow
  }

  /// A context manager a `with` item entered, and what entering it returned (for `as`).
  struct EnteredContext {
    let manager: PyValue
    let object: any PyObject
    let entered: PyValue
    let at: SourcePosition
  }

  /// The start of a `with` item: the manager evaluated and entered (the caller binds the
  /// target, inside the part that `exitContext` ends).
  func enterContext(_ item: WithItem, in scope: Scope) throws(RuntimeError) -> EnteredContext {
    let manager = try evaluate(item.context, in: scope)
    guard case let .object(object) = manager else {
      throw RuntimeError(
        .exception(
          type: "TypeError", message: "'\(manager.typeName)' object does not support the context manager protocol"),
        at: item.context.start)
    }
    let entered = try object.enter(context: CallContext(interpreter: self, location: item.context.start))
    return EnteredContext(manager: manager, object: object, entered: entered, at: item.context.start)
  }

  /// The end of a `with` item, normally (`error` nil) or while `error` propagates; whether the
  /// manager's `__exit__` suppressed the error.
  func exitContext(_ context: EnteredContext, raising error: RuntimeError?) throws(RuntimeError) -> Bool {
    let call = CallContext(interpreter: self, location: context.at)
    guard let error else {
      try context.object.exit(context: call)
      return false
    }
    if let instance = context.object as? PyInstance, let exit = instance.cls.lookupDefined("__exit__") {
      guard case let .exception(type, _) = error.kind else { return false }
      let exception = exceptionObject(of: error)
      let arguments = Arguments([exceptionType(of: error, named: type).value, .object(exception), .none])
      let suppress = try callMethod(exit, on: context.manager, arguments, at: context.at)
      return try truthValue(suppress, at: context.at)
    }
    try? context.object.exit(context: call)
    return false
  }

  func makeFunction(name: String, parameters: [Parameter], body: [Stmt], in scope: Scope) throws(RuntimeError)
    -> PyFunction
  {
    var evaluated: [(name: String, defaultValue: PyValue?)] = []
    for parameter in parameters {
      let value = try parameter.defaultValue.map { expression throws(RuntimeError) in
        try evaluate(expression, in: scope)
      }
      evaluated.append((parameter.name, value))
    }
    // Functions defined in a class body see the names around the class, not the body's own.
    let closure = scope.classBody == nil ? scope : scope.parent ?? scope
    return PyFunction(
      name: name, qualifiedName: scope.qualifiedPrefix + name, parameters: evaluated, kinds: parameters.map(\.kind),
      body: body, closure: closure, classCell: scope.classBody?.cell ?? scope.function?.classCell)
  }

  /// `object.name = value`.
  func setAttribute(_ object: PyValue, _ name: String, _ value: PyValue, at location: SourcePosition)
    throws(RuntimeError)
  {
    if case let .object(instance as PyInstance) = object {
      try checkDunder(name, on: object, at: location)
      return try setInstanceAttribute(instance, name, value, at: location)
    }
    if let type = asType(object) {
      try checkDunder(name, on: object, at: location)
      return try type.setAttribute(name, value)
    }
    guard case let .object(target) = object else {
      throw RuntimeError(
        .exception(type: "AttributeError", message: "'\(object.typeName)' object attribute '\(name)' is read-only"),
        at: location)
    }
    try target.setAttribute(name, value)
  }

  // MARK: - Calls

  /// Raises RecursionError when another nested call would pass the limit.
  @inline(__always)
  func checkDepth(at location: SourcePosition) throws(RuntimeError) {
    guard callDepth < limits.maxCallDepth else {
      throw RuntimeError(.exception(type: "RecursionError", message: "maximum recursion depth exceeded"), at: location)
    }
  }

  /// Runs `body` one call deeper (a generator resuming counts as a call).
  func nested<T>(at location: SourcePosition, _ body: () throws(RuntimeError) -> T) throws(RuntimeError) -> T {
    try checkDepth(at: location)
    callDepth += 1
    defer { callDepth -= 1 }
    return try body()
  }

  /// Calls any callable value with arguments.
  public func call(_ callee: PyValue, _ arguments: Arguments, at location: SourcePosition) throws(RuntimeError)
    -> PyValue
  {
    let context = CallContext(interpreter: self, location: location)
    switch callee {
    case let .builtin(function):
      return try function.body(arguments, context)
    case let .object(object):
      return try object.call(arguments, context: context)
    case let .function(function):
      return try callFunction(function, arguments, at: location)
    default:
      throw RuntimeError(
        .exception(type: "TypeError", message: "'\(callee.typeName)' object is not callable"), at: location)
    }
  }

  private func callFunction(_ function: PyFunction, _ arguments: Arguments, at location: SourcePosition)
    throws(RuntimeError) -> PyValue
  {
    let code = function.code
    let scope = code.callScope(for: function)
    try function.bind(arguments, into: scope)
    let result = try invoke(function, code, in: scope, at: location)
    code.recycle(scope, in: self)
    return result
  }

}
