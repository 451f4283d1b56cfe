/// A function bound to the object it was looked up on: `obj.method`.
public final class PyBoundMethod: PyObject {
  /// The function, called with `receiver` first.
  let function: PyValue
  /// The instance (or, for a classmethod, the class) passed as the first argument.
  let receiver: PyValue

  init(_ function: PyValue, receiver: PyValue) {
    self.function = function
    self.receiver = receiver
  }

  public var typeName: String { "method" }
  public func repr() -> String {
    let name: String
    switch function {
    case let .function(function): name = function.qualifiedName
    case let .builtin(builtin): name = builtin.name
    default: name = function.typeName
    }
    return "<bound method \(name) of \(receiver.repr)>"
  }

  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.call(
      function, Arguments([receiver] + arguments.positional, keywords: arguments.keywords), at: context.location)
  }
}

/// A host object that binds like a function when looked up through an instance (CPython's
/// `__get__` of functions), such as the wrapper `functools.lru_cache` makes.
protocol PyMethodLike: PyObject {}

/// A method implemented in Swift that binds like a program function (`BaseException.__init__`).
final class PyMethodDescriptor: PyObject {
  let function: BuiltinFunction

  init(_ function: BuiltinFunction) {
    self.function = function
  }

  var typeName: String { "method_descriptor" }
  func repr() -> String { "<method '\(function.name)'>" }
  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try function.body(arguments, context)
  }
}

/// `property(fget, fset)`, and what `@property` and `@x.setter` make.
public final class PyProperty: PyObject {
  let getter: PyValue?
  let setter: PyValue?

  init(getter: PyValue?, setter: PyValue?) {
    self.getter = getter
    self.setter = setter
  }

  public var typeName: String { "property" }
  public func repr() -> String { "<property object>" }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "setter", "getter":
      return .builtin(
        BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
          let function = try arguments.bind(name, [.required("function")])["function"]
          return .object(
            name == "setter"
              ? PyProperty(getter: self.getter, setter: function) : PyProperty(getter: function, setter: self.setter))
        })
    case "fget": return getter ?? .none
    case "fset": return setter ?? .none
    default: throw .exception("AttributeError", "'property' object has no attribute '\(name)'")
    }
  }
}

/// `staticmethod(f)`: looked up on a class or instance, the plain function.
public final class PyStaticMethod: PyObject {
  let function: PyValue
  init(_ function: PyValue) { self.function = function }
  public var typeName: String { "staticmethod" }
  public func repr() -> String { "<staticmethod(\(function.repr))>" }
  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.call(function, arguments, at: context.location)
  }
}

/// `classmethod(f)`: looked up on a class or instance, `f` bound to the class.
public final class PyClassMethod: PyObject {
  let function: PyValue
  init(_ function: PyValue) { self.function = function }
  public var typeName: String { "classmethod" }
  public func repr() -> String { "<classmethod(\(function.repr))>" }
}

/// `super()`: attribute lookup that starts after `start` in the receiver's MRO.
public final class PySuper: PyObject {
  /// The class whose successors are searched.
  let start: PyType
  /// The instance (or class, in a classmethod) methods are bound to.
  let receiver: PyValue
  /// The type whose MRO is walked.
  let receiverType: PyType

  init(start: PyType, receiver: PyValue, receiverType: PyType) {
    self.start = start
    self.receiver = receiver
    self.receiverType = receiverType
  }

  public var typeName: String { "super" }
  public func repr() -> String { "<super: <class '\(start.name)'>, <\(receiverType.name) object>>" }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    let mro = receiverType.mro
    let after = (mro.firstIndex { $0 === start } ?? mro.count - 1) + 1
    for type in mro[after...] {
      guard let value = type.attributes[name] else { continue }
      let isClass = context.interpreter.asType(receiver) != nil
      return try context.interpreter.bind(value, instance: isClass ? nil : receiver, owner: receiverType)
    }
    throw .exception("AttributeError", "'super' object has no attribute '\(name)'")
  }
}
