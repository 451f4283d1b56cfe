import PythonSyntax

extension Interpreter {
  /// `target: annotation [= value]`. At module and class level the annotation is evaluated
  /// and, for a plain name, recorded in the namespace's `__annotations__` dict (in order: the
  /// fields `dataclasses` reads); in a function it is not evaluated, as in CPython.
  func annotate(_ target: Expr, _ annotation: Expr, _ value: Expr?, in scope: Scope) throws(RuntimeError) {
    if scope.function == nil {
      let type = try evaluate(annotation, in: scope)
      if case let .name(name) = target.kind {
        let annotations: PyDict
        if case let .dict(existing)? = scope.local("__annotations__") {
          annotations = existing
        } else {
          annotations = PyDict()
          scope.bind("__annotations__", .dict(annotations))
        }
        try annotations.set(type, for: .string(name))
      }
    }
    guard let value else { return }
    try assign(try evaluate(value, in: scope), to: target, in: scope)
  }
}
