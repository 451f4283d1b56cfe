import PythonSyntax

/// A Python value in a running program.
public enum PyValue: @unchecked Sendable {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list(PyList)
  case tuple([PyValue])
  case dict(PyDict)
  /// A function defined by the program (`def` or `lambda`).
  case function(PyFunction)
  /// A function or type provided by Lockstep.
  case builtin(BuiltinFunction)
  /// Any other object: modules, tensors, sessions, optimizers …
  case object(any PyObject)

  /// The Python type name, as `type(x).__name__` prints it.
  public var typeName: String {
    switch self {
    case .none: "NoneType"
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .string: "str"
    case .list: "list"
    case .tuple: "tuple"
    case .dict: "dict"
    case .function: "function"
    case let .builtin(function): function.typeObject == nil ? "builtin_function_or_method" : "type"
    case let .object(object): object.typeName
    }
  }

  /// The object, when the value is one of type `T`.
  public func object<T>(as type: T.Type) -> T? {
    if case let .object(object) = self { return object as? T }
    return nil
  }
}

/// A mutable Python list (reference semantics, like Python's).
public final class PyList {
  /// The elements.
  @exclusivity(unchecked) public var items: [PyValue]
  /// Makes a list.
  public init(_ items: [PyValue]) { self.items = items }
}

/// A callable implemented in Swift: a builtin, a TF API function, or a builtin type.
public final class BuiltinFunction {
  /// The name shown in errors (`len`, `tf.add`).
  public let name: String
  /// When this callable is also a type usable with `isinstance`, the membership test.
  public let instanceCheck: ((PyValue) -> Bool)?
  /// When this callable is an exception class, its name (for `except` and `raise`).
  public let exceptionName: String?
  /// The implementation.
  public let body: (Arguments, CallContext) throws(RuntimeError) -> PyValue
  /// When this callable is a builtin type (`int`, `ValueError`), the type object. A strong
  /// reference (the type's link back is weak): a weak field would cost every method object
  /// made for `xs.append(…)` a weak-reference setup.
  public internal(set) var typeObject: PyType?

  /// Makes a callable.
  public init(
    _ name: String, exceptionName: String? = nil, instanceCheck: ((PyValue) -> Bool)? = nil,
    _ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue
  ) {
    self.name = name
    self.exceptionName = exceptionName
    self.instanceCheck = instanceCheck
    self.body = body
  }
}
