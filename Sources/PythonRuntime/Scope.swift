/// A namespace of variables: a module's globals or one function call's locals.
final class Scope {
  private var variables: [String: PyValue] = [:]
  /// The enclosing scope that names not bound here are looked up in.
  let parent: Scope?

  init(parent: Scope?) {
    self.parent = parent
  }

  /// The value bound to a name here or in an enclosing scope.
  func lookup(_ name: String) -> PyValue? {
    if let value = variables[name] { return value }
    return parent?.lookup(name)
  }

  /// Binds a name in this scope.
  func assign(_ name: String, _ value: PyValue) {
    variables[name] = value
  }

  /// The value bound in this scope only.
  func local(_ name: String) -> PyValue? { variables[name] }
}
