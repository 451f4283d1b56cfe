import PythonSyntax

/// A namespace of variables: a module's globals or one function call's locals.
final class Scope {
  private var variables: [String: PyValue] = [:]
  /// The enclosing scope that names not bound here are looked up in.
  let parent: Scope?
  /// For a function call, every name the function body assigns: Python makes these local
  /// for the whole body, so reading one before it is bound is an `UnboundLocalError`.
  let localNames: Set<String>

  init(parent: Scope?, localNames: Set<String> = []) {
    self.parent = parent
    self.localNames = localNames
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
    return parent?.lookup(name) ?? .missing
  }

  /// Binds a name in this scope.
  func assign(_ name: String, _ value: PyValue) {
    variables[name] = value
  }

  /// The value bound in this scope only.
  func local(_ name: String) -> PyValue? { variables[name] }
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

  private static func collect(_ statement: Stmt, into names: inout Set<String>) {
    switch statement.kind {
    case let .assign(targets, _):
      for target in targets { bound(by: target, into: &names) }
    case let .augmentedAssign(target, _, _):
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
    case let .functionDef(name, _, _):
      names.insert(name)
    case let .try(body, handlers, orElse, finally):
      for inner in body + orElse + finally { collect(inner, into: &names) }
      for handler in handlers {
        if let name = handler.name { names.insert(name) }
        for inner in handler.body { collect(inner, into: &names) }
      }
    case .expression, .return, .pass, .break, .continue, .raise, .assert:
      break
    }
  }

  private static func bound(by target: Expr, into names: inout Set<String>) {
    switch target.kind {
    case let .name(name): names.insert(name)
    case let .tuple(items), let .list(items): for item in items { bound(by: item, into: &names) }
    default: break
    }
  }
}
