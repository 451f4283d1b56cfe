import PythonSyntax

/// A compiled statement or block: runs in a scope and says how it finished.
typealias CompiledBlock = (Interpreter, Scope) throws(RuntimeError) -> Interpreter.Flow
/// A compiled expression: its value in a scope.
typealias CompiledExpression = (Interpreter, Scope) throws(RuntimeError) -> PyValue
/// A compiled condition: an expression's truth value in a scope.
typealias CompiledCondition = (Interpreter, Scope) throws(RuntimeError) -> Bool
/// A compiled assignment target: binds a value in a scope.
typealias CompiledStore = (Interpreter, Scope, PyValue) throws(RuntimeError) -> Void

/// A compiled expression as an array element: a struct field keeps the closure's own calling
/// convention, where an array of bare closures would call each through a reabstraction thunk.
struct ExpressionCode {
  let evaluate: CompiledExpression
}

/// A compiled statement as an array element (see `ExpressionCode`).
struct StatementCode {
  let run: CompiledBlock
}

/// Turns a module, a function body or a comprehension into Swift closures, once, so that
/// running them neither walks the syntax tree nor looks names up by string: each local is a
/// slot of the call's scope, each global a cell held by the code that uses it.
///
/// The closures do what the tree-walking `Interpreter.execute`/`evaluate` do, with the same
/// steps counted, the same errors and the same error locations; constructs compiled code does
/// not handle itself (class bodies, generators' bodies, `raise`, `del`, imports, calls with
/// `*`/`**` …) run through the tree walker on the same scope, which reads slots by name.
struct Compiler {
  /// The code being compiled and where its own names live.
  enum Unit {
    /// Module-level code: every name is a global.
    case module
    /// A function body: its locals in slots, plus its `global`/`nonlocal` declarations.
    case function(SlotLayout, Declarations?)
    /// A comprehension: its targets in slots.
    case comprehension(SlotLayout)
  }

  /// A scope enclosing the unit at run time, as compiled code sees it.
  enum Enclosing {
    /// A function call's or comprehension's scope, with its slots.
    case slots(SlotLayout)
    /// The module.
    case module
    /// A scope whose names are only known at run time (a class body, a tree-walked
    /// comprehension): names from here on are looked up by string.
    case dynamic
  }

  /// Where compiled code finds a name.
  enum Place {
    case local(Int)
    /// A slot of the scope `depth` parents up.
    case enclosing(depth: Int, slot: Int)
    /// A module global, with the builtin of that name behind it.
    case global(Scope.Cell, builtin: Scope.Cell?)
    /// Looked up by name from the scope `depth` parents up.
    case dynamic(depth: Int)
  }

  let unit: Unit
  /// The scopes around the unit, innermost (the scope's parent) first.
  let enclosing: [Enclosing]
  let globals: Scope
  let builtins: Scope

  /// The chain that code nested in this unit (a lambda, a comprehension) sees.
  var nestedChain: [Enclosing] {
    switch unit {
    case .module: [.module]
    case let .function(layout, _), let .comprehension(layout): [.slots(layout)] + enclosing
    }
  }

  /// A compiler for code nested in this unit.
  func nested(_ unit: Unit) -> Compiler {
    Compiler(unit: unit, enclosing: nestedChain, globals: globals, builtins: builtins)
  }

  // MARK: - Names

  /// Where a name that the unit reads lives.
  func place(of name: String) -> Place {
    switch unit {
    case .module: return global(name)
    case let .function(layout, declarations):
      if let slot = layout.index[name] { return .local(slot) }
      if declarations?.globals.contains(name) == true { return global(name) }
    case let .comprehension(layout):
      if let slot = layout.index[name] { return .local(slot) }
    }
    return enclosingPlace(of: name) ?? global(name)
  }

  /// Where a name that the unit assigns lives; nil when only the running scope can tell.
  func storePlace(of name: String) -> Place? {
    switch unit {
    case .module: return global(name)
    case let .function(layout, declarations):
      if let slot = layout.index[name] { return .local(slot) }
      if declarations?.globals.contains(name) == true { return global(name) }
      if declarations?.nonlocals.contains(name) == true, case .enclosing? = enclosingPlace(of: name) {
        return enclosingPlace(of: name)
      }
      return nil
    case let .comprehension(layout):
      if let slot = layout.index[name] { return .local(slot) }
      return nil
    }
  }

  /// The nearest enclosing scope that binds a name.
  private func enclosingPlace(of name: String) -> Place? {
    for (offset, scope) in enclosing.enumerated() {
      switch scope {
      case let .slots(layout):
        if let slot = layout.index[name] { return .enclosing(depth: offset + 1, slot: slot) }
      case .module: return global(name)
      case .dynamic: return .dynamic(depth: offset + 1)
      }
    }
    return nil
  }

  private func global(_ name: String) -> Place {
    .global(globals.cell(name), builtin: builtins.existingCell(name))
  }

  // MARK: - Blocks

  /// A block: its statements in order, stopping at the first that returns, breaks or continues.
  func block(_ statements: [Stmt]) -> CompiledBlock {
    let compiled = statements.map { StatementCode(run: statement($0)) }
    switch compiled.count {
    case 0: return { _, _ throws(RuntimeError) in .normal }
    case 1: return compiled[0].run
    case 2:
      let (first, second) = (compiled[0].run, compiled[1].run)
      return { interpreter, scope throws(RuntimeError) in
        let flow = try first(interpreter, scope)
        guard case .normal = flow else { return flow }
        return try second(interpreter, scope)
      }
    default:
      return { interpreter, scope throws(RuntimeError) in
        for statement in compiled {
          let flow = try statement.run(interpreter, scope)
          if case .normal = flow { continue }
          return flow
        }
        return .normal
      }
    }
  }

  /// A statement the tree walker runs (it counts the step and locates errors itself).
  func treeWalked(_ statement: Stmt) -> CompiledBlock {
    let single = [statement]
    return { interpreter, scope throws(RuntimeError) in try interpreter.execute(single, in: scope) }
  }

  /// An expression the tree walker evaluates.
  func treeWalked(_ expression: Expr) -> CompiledExpression {
    { interpreter, scope throws(RuntimeError) in try interpreter.evaluate(expression, in: scope) }
  }
}

extension Interpreter {
  /// Compiles and runs a module-level program.
  func runCompiled(_ program: [Stmt]) throws(RuntimeError) -> Flow {
    let compiler = Compiler(unit: .module, enclosing: [], globals: globals, builtins: builtins)
    return try compiler.block(program)(self, globals)
  }

  /// A function's compiled body, compiled on its first call against the scopes around it.
  func compiledBody(of function: PyFunction) -> CompiledBlock {
    if function.code.isCompiled { return function.code.run }
    let compiler = Compiler(
      unit: .function(function.code.layout, function.code.declarations), enclosing: enclosingChain(function.closure),
      globals: globals, builtins: builtins)
    let compiled = compiler.block(function.body)
    function.code.run = compiled
    function.code.isCompiled = true
    return compiled
  }

  /// How compiled code sees `scope` and the scopes around it.
  private func enclosingChain(_ scope: Scope) -> [Compiler.Enclosing] {
    var chain: [Compiler.Enclosing] = []
    var current: Scope? = scope
    while let scope = current {
      if scope === globals { return chain + [.module] }
      guard let layout = scope.layout else { return chain + [.dynamic] }
      chain.append(.slots(layout))
      current = scope.parent
    }
    return chain + [.dynamic]
  }

  /// Runs a program function whose arguments are already in `scope`'s slots.
  @inline(__always)
  func invoke(_ function: PyFunction, _ code: FunctionCode, in scope: Scope, at location: SourcePosition)
    throws(RuntimeError) -> PyValue
  {
    try checkDepth(at: location)
    if code.isGenerator {
      return GeneratorFrame(interpreter: self, scope: scope, function: function).generator
    }
    if !code.isCompiled { _ = compiledBody(of: function) }
    callDepth += 1
    defer { callDepth -= 1 }
    if case let .returned(value) = try code.run(self, scope) { return value }
    return .none
  }

  /// The error for reading a local that has no value yet.
  @inline(never)
  func unboundLocal(_ name: String) -> RuntimeError {
    .exception("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value")
  }

  /// The error for reading an enclosing function's local that has no value yet.
  @inline(never)
  func unboundFreeVariable(_ name: String) -> RuntimeError {
    .exception(
      "NameError", "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
  }

  /// The error for a name bound nowhere: refused and unsupported builtins say so.
  @inline(never)
  func missingName(_ name: String) -> RuntimeError {
    if Builtins.forbidden.contains(name) {
      return RuntimeError(
        .forbidden("'\(name)' is refused: scenarios cannot run code, touch files, network or processes"))
    }
    if Builtins.unsupported.contains(name) { return RuntimeError(.unsupported(feature: "the builtin '\(name)'")) }
    return .exception("NameError", "name '\(name)' is not defined")
  }
}
