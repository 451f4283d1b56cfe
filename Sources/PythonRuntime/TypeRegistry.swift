/// The builtin types of one interpreter (`object`, `int`, `ValueError` …) and the host types
/// met while it runs, so that `type(x)`, `isinstance` and `except` compare type objects.
final class TypeRegistry {
  let object: PyType
  let type: PyType
  let int: PyType
  let bool: PyType
  let float: PyType
  let str: PyType
  let list: PyType
  let tuple: PyType
  let dict: PyType
  let set: PyType
  let frozenSet: PyType
  let noneType: PyType
  let function: PyType
  let builtinFunction: PyType
  let method: PyType
  let property: PyType
  let staticMethod: PyType
  let classMethod: PyType
  let superType: PyType
  let notImplementedType: PyType
  /// The `NotImplemented` singleton that binary dunders return to decline an operand.
  let notImplemented: PyInstance
  private var exceptions: [String: PyType] = [:]
  private var hosts: [String: PyType] = [:]
  /// The type objects of host classes (`HostClass`) met so far.
  var hostClasses: [ObjectIdentifier: PyType] = [:]

  init() {
    // Types without bases cannot fail C3; `object` is the only root.
    func make(_ name: String, _ bases: [PyType]) -> PyType {
      guard let type = try? PyType(name: name, bases: bases, isBuiltin: true) else {
        preconditionFailure("builtin type \(name) has an inconsistent MRO")
      }
      return type
    }
    object = make("object", [])
    type = make("type", [object])
    int = make("int", [object])
    bool = make("bool", [int])
    float = make("float", [object])
    str = make("str", [object])
    list = make("list", [object])
    tuple = make("tuple", [object])
    dict = make("dict", [object])
    set = make("set", [object])
    frozenSet = make("frozenset", [object])
    noneType = make("NoneType", [object])
    function = make("function", [object])
    builtinFunction = make("builtin_function_or_method", [object])
    method = make("method", [object])
    property = make("property", [object])
    staticMethod = make("staticmethod", [object])
    classMethod = make("classmethod", [object])
    superType = make("super", [object])
    notImplementedType = make("NotImplementedType", [object])
    notImplemented = PyInstance(notImplementedType)
  }

  /// The exception class with a builtin (or TensorFlow) name, bases from `ExceptionHierarchy`.
  func exception(_ name: String) -> PyType {
    if let known = exceptions[name] { return known }
    let baseNames = name == "BaseException" ? [] : ExceptionHierarchy.bases[name] ?? ["Exception"]
    let bases = baseNames.isEmpty ? [object] : baseNames.map { exception($0) }
    guard let type = try? PyType(name: name, bases: bases, isBuiltin: true) else {
      preconditionFailure("exception \(name) has an inconsistent MRO")
    }
    exceptions[name] = type
    return type
  }

  /// The type of a host object, by the name it reports (`EagerTensor`, `Session`).
  func host(_ name: String) -> PyType {
    if let known = hosts[name] { return known }
    let type: PyType
    do {
      type = try PyType(name: name, bases: [object], isBuiltin: true)
    } catch {
      preconditionFailure("a host type with only 'object' as base is always consistent")
    }
    hosts[name] = type
    return type
  }

  /// The builtin type a constructor of `Builtins.all` makes, by its name.
  func builtinType(named name: String) -> PyType? {
    switch name {
    case "int": int
    case "bool": bool
    case "float": float
    case "str": str
    case "list": list
    case "tuple": tuple
    case "dict": dict
    default: nil
    }
  }

  /// `BaseException`, the root that `raise` and `except` require.
  var baseException: PyType { exception("BaseException") }
}

extension Interpreter {
  /// `type(value)`.
  public func typeObject(of value: PyValue) -> PyType {
    switch value {
    case .none: return types.noneType
    case .bool: return types.bool
    case .int: return types.int
    case .float: return types.float
    case .string: return types.str
    case .list: return types.list
    case .tuple: return types.tuple
    case .dict: return types.dict
    case .function: return types.function
    case .builtin: return asType(value) != nil ? types.type : types.builtinFunction
    case let .object(object):
      switch object {
      case let instance as PyInstance: return instance.cls
      case is PyType, is HostClass: return types.type
      case let exception as ExceptionObject: return types.exception(exception.type)
      case is PyBoundMethod: return types.method
      case is PyProperty: return types.property
      case is PyStaticMethod: return types.staticMethod
      case is PyClassMethod: return types.classMethod
      case is PySuper: return types.superType
      case let set as PySet: return set.isFrozen ? types.frozenSet : types.set
      default: return types.host(object.typeName)
      }
    }
  }

  /// The type a value names, when it is one: a builtin's callable or a class.
  public func asType(_ value: PyValue) -> PyType? {
    switch value {
    case let .builtin(function):
      if let type = function.typeObject { return type }
      return function.exceptionName.map { types.exception($0) }
    case let .object(type as PyType): return type
    case let .object(host as HostClass): return types.hostClass(host)
    default: return nil
    }
  }

  /// `isinstance(value, type)`.
  func isInstance(_ value: PyValue, _ type: PyType) -> Bool {
    typeObject(of: value).isSubtype(of: type)
  }
}
