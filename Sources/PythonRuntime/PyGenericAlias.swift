/// `list[int]`, `dict[str, int]`: a builtin type subscripted, as annotations write it
/// (CPython's `types.GenericAlias`). It prints as written and, called, makes its origin.
final class PyGenericAlias: PyObject {
  /// The subscripted type (`list`).
  let origin: BuiltinFunction
  /// What it was subscripted with (`int`, or `str, int`).
  let arguments: [PyValue]

  init(origin: BuiltinFunction, arguments: [PyValue]) {
    self.origin = origin
    self.arguments = arguments
  }

  var typeName: String { "GenericAlias" }

  func repr() -> String { origin.name + "[" + arguments.map(Self.describe).joined(separator: ", ") + "]" }

  /// An argument as `GenericAlias.__repr__` shows it: a class by its qualified name.
  private static func describe(_ value: PyValue) -> String {
    switch value {
    case let .builtin(function) where function.typeObject != nil: return function.name
    case let .object(type as PyType): return type.isBuiltin ? type.name : "\(type.moduleName).\(type.qualifiedName)"
    case let .object(host as HostClass): return "\(host.module).\(host.name)"
    default: return value.repr
    }
  }

  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.call(.builtin(origin), arguments, at: context.location)
  }
}
