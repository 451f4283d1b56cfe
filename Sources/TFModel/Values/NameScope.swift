import PythonRuntime

/// `tf.name_scope(name)` (and `tf.compat.v1.name_scope`): a context manager that puts the
/// ops and variables made inside it under `name/`. Eagerly the scope is a prefix (never made
/// unique, as TF's eager context keeps it); in a graph it is the graph's own name scope, made
/// unique there (`scope_1/`). Entering returns the scope name with its slash.
final class NameScopeObject: PyObject {
  /// The name as given (`name_scope.name`).
  let name: String
  unowned let runtime: TFRuntime
  /// What to restore on each exit, innermost last (the same object may be entered again,
  /// as `tf.Module.name_scope` is).
  private var restores: [Restore] = []

  private enum Restore {
    case eager(String)
    case graph(Graph, String)
  }

  init(name: String, runtime: TFRuntime) {
    self.name = name
    self.runtime = runtime
  }

  var typeName: String { "name_scope_v2" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    guard name == "name" else {
      throw .exception("AttributeError", "'name_scope_v2' object has no attribute '\(name)'")
    }
    return .string(self.name)
  }

  func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    guard let graph = runtime.currentGraph else {
      let previous = runtime.eagerScopeName
      let scope: String
      if name.isEmpty {
        scope = ""
      } else if name.hasSuffix("/") {
        scope = name
      } else {
        scope = previous + name + "/"
      }
      runtime.eagerScopeName = scope
      restores.append(.eager(previous))
      return .string(scope)
    }
    let (scope, previous) = try graph.enterNameScope(name)
    restores.append(.graph(graph, previous))
    return .string(scope)
  }

  func exit(context: CallContext) throws(RuntimeError) {
    switch restores.popLast() {
    case let .eager(previous): runtime.eagerScopeName = previous
    case let .graph(graph, previous): graph.restoreNameScope(previous)
    case nil: break
    }
  }
}

extension TFRuntime {
  /// `tf.name_scope` (v2) and `tf.compat.v1.name_scope` (with `default_name` and `values`).
  func registerNameScopes() {
    declare(["tf.name_scope"], [.required("name")]) { [unowned self] bound, _ throws(RuntimeError) in
      guard case let .string(name) = bound["name"] else {
        throw .valueError("name for name_scope must be a string.")
      }
      return .object(NameScopeObject(name: name, runtime: self))
    }
    declare(["tf.compat.v1.name_scope"], [.required("name"), .optional("default_name"), .optional("values")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      let defaultName: String?
      switch bound["default_name"] {
      case .none: defaultName = nil
      case let .string(given): defaultName = given
      case let other:
        throw .typeError(
          "`default_name` type (<class '\(other.typeName)'>) is not a string type. You likely meant to pass this "
            + "into the `values` kwarg.")
      }
      let name: String
      switch bound["name"] {
      case let .string(given): name = given
      case .none:
        guard let defaultName else {
          if case .none = bound["values"] { return .object(NameScopeObject(name: "", runtime: self)) }
          throw .valueError("At least one of name (None) and default_name (None) must be provided.")
        }
        name = defaultName
      case let other: throw .typeError("name_scope expects a string name, not \(other.typeName)")
      }
      return .object(NameScopeObject(name: name, runtime: self))
    }
  }
}
