import PythonSyntax

/// The larger statements, out of line so that `execute`'s stack frame stays small: imports,
/// `for` loops and `def`.
extension Interpreter {
  /// `import a.b as c`.
  @inline(never)
  func executeImport(_ names: [ImportName], in scope: Scope) throws(RuntimeError) {
    for name in names {
      let module = try importer(name.name)
      if let alias = name.alias {
        try scope.assign(alias, module)
      } else {
        let top = String(name.name.split(separator: ".")[0])
        try scope.assign(top, try importer(top))
      }
    }
  }

  /// `from module import name as alias`.
  @inline(never)
  func executeFromImport(
    _ moduleName: String, _ names: [ImportName], in scope: Scope, at location: SourcePosition
  ) throws(RuntimeError) {
    let module = try importer(moduleName)
    for name in names {
      let value: PyValue
      do {
        value = try getAttribute(module, name.name, at: location)
      } catch {
        guard let submodule = try? importer(moduleName + "." + name.name) else {
          throw .exception("ImportError", "cannot import name '\(name.name)' from '\(moduleName)'")
        }
        value = submodule
      }
      try scope.assign(name.alias ?? name.name, value)
    }
  }

  /// A `for` loop with its `else` block.
  @inline(never)
  func executeFor(
    _ target: Expr, _ iterable: Expr, _ body: [Stmt], _ orElse: [Stmt], in scope: Scope, at location: SourcePosition
  ) throws(RuntimeError) -> Flow {
    let sequence = try evaluate(iterable, in: scope)
    var exit: Flow?
    func loopBody(_ value: PyValue) throws(RuntimeError) -> Bool {
      try step(at: location)
      try assign(value, to: target, in: scope)
      switch try execute(body, in: scope) {
      case .broke: exit = .normal
      case let .returned(value): exit = .returned(value)
      case .normal, .continued: return true
      }
      return false
    }
    // The common case, without a closure call per item.
    if case let .list(list) = sequence {
      try forEachItem(of: list, loopBody)
    } else {
      try forEach(sequence, at: iterable.start, loopBody)
    }
    if let exit { return exit }
    return try execute(orElse, in: scope)
  }

  /// `def`: the function, decorated, bound to its name.
  @inline(never)
  func executeFunctionDef(
    _ name: String, _ parameters: [Parameter], _ body: [Stmt], _ decorators: [Expr], in scope: Scope,
    at location: SourcePosition
  ) throws(RuntimeError) {
    let decorate = try decorators.map { expression throws(RuntimeError) in try evaluate(expression, in: scope) }
    var value = PyValue.function(try makeFunction(name: name, parameters: parameters, body: body, in: scope))
    for decorator in decorate.reversed() { value = try call(decorator, Arguments([value]), at: location) }
    try scope.assign(name, value)
  }
}
