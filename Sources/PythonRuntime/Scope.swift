import PythonSyntax

/// A namespace of variables: a module's globals, one function call's locals, or a class body.
final class Scope {
  private var variables: [String: PyValue] = [:]
  /// The enclosing scope that names not bound here are looked up in.
  let parent: Scope?
  /// For a function call, every name the function body assigns: Python makes these local
  /// for the whole body, so reading one before it is bound is an `UnboundLocalError`.
  let localNames: Set<String>
  /// The names the function declares `global` or `nonlocal`, when it declares any: they are
  /// read and assigned in the scope that owns them.
  let declarations: Declarations?
  /// The function a call scope runs (for `super()` and qualified names).
  let function: PyFunction?
  /// For a class body, its qualified name and the cell its methods share; functions defined
  /// inside do not see the body's names.
  let classBody: (qualifiedName: String, cell: ClassCell)?

  init(
    parent: Scope?, localNames: Set<String> = [], declarations: Declarations? = nil, function: PyFunction? = nil,
    classBody: (qualifiedName: String, cell: ClassCell)? = nil
  ) {
    self.parent = parent
    self.localNames = localNames
    self.declarations = declarations
    self.function = function
    self.classBody = classBody
  }

  /// What a function or class defined here puts in front of its name: `C.`, `f.<locals>.`.
  var qualifiedPrefix: String {
    if let classBody { return classBody.qualifiedName + "." }
    if let function { return function.qualifiedName + ".<locals>." }
    // A comprehension's scope takes its enclosing function's prefix; the module has none.
    guard let parent, parent.parent != nil else { return "" }
    return parent.qualifiedPrefix
  }

  /// What looking a name up found.
  enum Lookup {
    case found(PyValue)
    /// A local of this function that has no value yet.
    case unbound
    case missing
  }

  /// The value bound to a name here or in an enclosing scope.
  func lookup(_ name: String) -> Lookup {
    if let value = variables[name] { return .found(value) }
    if localNames.contains(name) { return .unbound }
    if let declarations, declarations.globals.contains(name) { return module.lookup(name) }
    return parent?.lookup(name) ?? .missing
  }

  /// Binds a name in this scope, or in the scope a `global`/`nonlocal` declaration names.
  @inline(__always)
  func assign(_ name: String, _ value: PyValue) throws(RuntimeError) {
    if declarations == nil {
      variables[name] = value
    } else {
      try assignDeclared(name, value)
    }
  }

  /// `assign` in a function that declares names `global` or `nonlocal`.
  @inline(never)
  private func assignDeclared(_ name: String, _ value: PyValue) throws(RuntimeError) {
    if let declarations {
      if declarations.globals.contains(name) { return module.variables[name] = value }
      if declarations.nonlocals.contains(name) {
        var owner = parent
        while let scope = owner, !scope.localNames.contains(name) { owner = scope.parent }
        guard let owner, owner.parent != nil else {
          throw .exception("SyntaxError", "no binding for nonlocal '\(name)' found")
        }
        return owner.variables[name] = value
      }
    }
    variables[name] = value
  }

  /// Unbinds a name (`del name`) here or where its `global`/`nonlocal` declaration points;
  /// false when it was not bound.
  func delete(_ name: String) -> Bool {
    if let declarations {
      if declarations.globals.contains(name) { return module.variables.removeValue(forKey: name) != nil }
      if declarations.nonlocals.contains(name) {
        var owner = parent
        while let scope = owner, !scope.localNames.contains(name) { owner = scope.parent }
        return owner?.variables.removeValue(forKey: name) != nil
      }
    }
    return variables.removeValue(forKey: name) != nil
  }

  /// Binds a name in this scope itself (parameters, builtins).
  func bind(_ name: String, _ value: PyValue) {
    variables[name] = value
  }

  /// The module's scope: the outermost below the builtins.
  var module: Scope {
    var scope = self
    while let parent = scope.parent, parent.parent != nil { scope = parent }
    return scope
  }

  /// The value bound in this scope only.
  func local(_ name: String) -> PyValue? { variables[name] }

  /// The names bound in this scope, in no particular order (a class body's namespace).
  var bindings: [String: PyValue] { variables }
}

/// The names a function body declares `global` or `nonlocal`.
struct Declarations {
  var globals: Set<String> = []
  var nonlocals: Set<String> = []
  var isEmpty: Bool { globals.isEmpty && nonlocals.isEmpty }
}

/// The names a function body binds (assignment and loop targets, `with … as`, `def`,
/// imports), which Python treats as locals of the whole body. Nested functions and
/// lambdas have their own.
enum LocalNames {
  static func of(_ body: [Stmt], parameters: [String]) -> Set<String> {
    var names = Set(parameters)
    for statement in body { collect(statement, into: &names) }
    return names
  }

  /// The `global` and `nonlocal` declarations of a body, outside nested functions and classes.
  static func declarations(of body: [Stmt]) -> Declarations {
    var declarations = Declarations()
    func visit(_ statements: [Stmt]) {
      for statement in statements {
        switch statement.kind {
        case let .global(names): declarations.globals.formUnion(names)
        case let .nonlocal(names): declarations.nonlocals.formUnion(names)
        case let .with(_, body): visit(body)
        case let .for(_, _, body, orElse), let .while(_, body, orElse), let .if(_, body, orElse): visit(body + orElse)
        case let .try(body, handlers, orElse, finally):
          visit(body + orElse + finally)
          for handler in handlers { visit(handler.body) }
        default: break
        }
      }
    }
    visit(body)
    return declarations
  }

  private static func collect(_ statement: Stmt, into names: inout Set<String>) {
    names.formUnion(statement.namedExpressionTargets)
    switch statement.kind {
    case let .assign(targets, _):
      for target in targets { bound(by: target, into: &names) }
    case let .augmentedAssign(target, _, _), let .annotatedAssign(target, _, _):
      bound(by: target, into: &names)
    case let .import(imports):
      for item in imports { names.insert(item.alias ?? String(item.name.split(separator: ".")[0])) }
    case let .fromImport(_, imports):
      for item in imports { names.insert(item.alias ?? item.name) }
    case let .with(items, body):
      for item in items { if let target = item.target { bound(by: target, into: &names) } }
      for inner in body { collect(inner, into: &names) }
    case let .for(target, _, body, orElse):
      bound(by: target, into: &names)
      for inner in body + orElse { collect(inner, into: &names) }
    case let .while(_, body, orElse), let .if(_, body, orElse):
      for inner in body + orElse { collect(inner, into: &names) }
    case let .functionDef(name, _, _, _), let .classDef(name, _, _, _):
      names.insert(name)
    case let .try(body, handlers, orElse, finally):
      for inner in body + orElse + finally { collect(inner, into: &names) }
      for handler in handlers {
        if let name = handler.name { names.insert(name) }
        for inner in handler.body { collect(inner, into: &names) }
      }
    case let .delete(targets):
      for target in targets { bound(by: target, into: &names) }
    case .expression, .return, .pass, .break, .continue, .raise, .assert, .global, .nonlocal:
      break
    }
  }

  private static func bound(by target: Expr, into names: inout Set<String>) {
    names.formUnion(target.boundNames)
  }
}
