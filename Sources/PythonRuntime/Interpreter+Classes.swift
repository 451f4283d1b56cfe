import PythonSyntax

extension Interpreter {
  /// Runs a `class` statement: evaluates the bases, runs the body in a namespace of its own,
  /// makes the class (C3 MRO) and applies the decorators.
  func executeClass(
    name: String, bases baseArguments: [Argument], body: [Stmt], decorators: [Expr], in scope: Scope,
    at location: SourcePosition
  ) throws(RuntimeError) -> PyValue {
    let decorate = try decorators.map { expression throws(RuntimeError) in try evaluate(expression, in: scope) }
    var bases: [PyType] = []
    for argument in baseArguments {
      guard argument.keyword == nil, argument.unpacking == .none else {
        throw RuntimeError(.unsupported(feature: "class keywords and unpacked bases"), at: argument.value.start)
      }
      let value = try evaluate(argument.value, in: scope)
      guard let base = asType(value) else {
        if case .object = value {
          throw RuntimeError(.unsupported(feature: "subclassing '\(value.typeName)' objects"), at: argument.value.start)
        }
        throw RuntimeError(
          .exception(type: "TypeError", message: "bases must be types"), at: argument.value.start)
      }
      let root = base.builtinBase
      if let host = root.host, let feature = host.subclassingUnsupported {
        throw RuntimeError(.unsupported(feature: feature), at: argument.value.start)
      }
      guard
        root === types.object || root.host != nil || root.isSubtype(of: types.baseException)
          || isNamedTuple(base, root: root)
      else {
        throw RuntimeError(
          .unsupported(feature: "subclassing the builtin type '\(root.name)'"), at: argument.value.start)
      }
      if bases.contains(where: { $0 === base }) {
        throw RuntimeError(
          .exception(type: "TypeError", message: "duplicate base class \(base.name)"), at: argument.value.start)
      }
      bases.append(base)
    }
    let cell = ClassCell()
    let qualifiedName = scope.qualifiedPrefix + name
    let namespace = Scope(parent: scope, classBody: (qualifiedName, cell))
    switch try execute(body, in: namespace) {
    case .normal: break
    case .returned:
      throw RuntimeError(.exception(type: "SyntaxError", message: "'return' outside function"), at: location)
    case .broke, .continued:
      throw RuntimeError(.exception(type: "SyntaxError", message: "'break' outside loop"), at: location)
    }
    if namespace.local("__new__") != nil {
      throw RuntimeError(.unsupported(feature: "'__new__' methods"), at: location)
    }
    let type = try PyType(
      name: name, qualifiedName: qualifiedName, bases: bases.isEmpty ? [types.object] : bases,
      attributes: namespace.bindings, isBuiltin: false)
    type.interpreter = self
    cell.type = type
    var value = PyValue.object(type)
    for decorator in decorate.reversed() { value = try call(decorator, Arguments([value]), at: location) }
    return value
  }

  /// Whether `type` is a namedtuple class or derives from one: it derives from tuple (so its
  /// instances are tuples to isinstance) while its values live in the instance, as the
  /// collections module makes them.
  private func isNamedTuple(_ type: PyType, root: PyType) -> Bool {
    root === types.tuple && type.lookup("_fields") != nil
  }

  /// `cls(arguments)`: a new instance, initialised by the nearest `__init__`.
  func instantiate(_ type: PyType, _ arguments: Arguments, at location: SourcePosition) throws(RuntimeError)
    -> PyValue
  {
    let root = type.builtinBase
    let isException = root.isSubtype(of: types.baseException)
    guard root === types.object || root.host != nil || isException || isNamedTuple(type, root: root) else {
      throw RuntimeError(.exception(type: "TypeError", message: "cannot create '\(type.name)' instances"), at: location)
    }
    let instance = PyInstance(type)
    if isException { instance.exception = PyInstance.ExceptionState(args: arguments.positional) }
    if let initializer = type.lookupDefined("__init__") {
      let result = try callMethod(initializer, on: .object(instance), arguments, at: location)
      guard case .none = result else {
        throw RuntimeError(
          .exception(type: "TypeError", message: "__init__() should return None, not '\(result.typeName)'"),
          at: location)
      }
    } else if !arguments.keywords.isEmpty || (!isException && !arguments.positional.isEmpty) {
      throw RuntimeError(
        .exception(
          type: "TypeError",
          message: isException ? "\(type.name)() takes no keyword arguments" : "\(type.name)() takes no arguments"),
        at: location)
    }
    return .object(instance)
  }

  /// A class attribute as the program sees it: functions plain, class methods bound to the
  /// class, static methods unwrapped, properties as themselves.
  func classAttribute(_ type: PyType, _ name: String) throws(RuntimeError) -> PyValue {
    if name == "__name__" { return .string(type.name) }
    guard let value = type.lookup(name) else {
      if type.isBuiltin, let method = unboundMethod(type, name) { return .builtin(method) }
      throw .exception("AttributeError", "type object '\(type.qualifiedName)' has no attribute '\(name)'")
    }
    return try bind(value, instance: nil, owner: type)
  }

  /// `str.upper`, `list.append`, `dict.fromkeys` …: a builtin type's method taken from the
  /// type, called with the instance first (`dict.fromkeys` needs none).
  private func unboundMethod(_ type: PyType, _ name: String) -> BuiltinFunction? {
    let sample: PyValue
    switch type.name {
    case "str": sample = .string("")
    case "list": sample = .list(PyList([]))
    case "tuple": sample = .tuple([])
    case "dict":
      if name == "fromkeys" { return PyValue.dictFromKeys() }
      sample = .dict(PyDict())
    case "set", "frozenset": sample = .object(PySet(frozen: type.name == "frozenset"))
    default: return nil
    }
    guard (try? getAttribute(sample, name, at: currentLocation)) != nil else { return nil }
    return BuiltinFunction(name) { arguments, context throws(RuntimeError) in
      guard let receiver = arguments.positional.first else {
        throw .typeError("unbound method \(type.name).\(name)() needs an argument")
      }
      guard context.interpreter.isInstance(receiver, type) else {
        throw .typeError(
          "descriptor '\(name)' for '\(type.name)' objects doesn't apply to a '\(receiver.typeName)' object")
      }
      let method = try context.interpreter.getAttribute(receiver, name, at: context.location)
      return try context.call(method, Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords))
    }
  }

  /// `instance.name`: the instance's own attribute, else the class's (bound), else `__getattr__`.
  func instanceAttribute(_ instance: PyInstance, _ name: String) throws(RuntimeError) -> PyValue {
    if let value = instance.attributes[name] { return value }
    if let value = instance.cls.lookup(name) {
      return try bind(value, instance: .object(instance), owner: instance.cls)
    }
    if let exception = instance.exception {
      switch name {
      case "args": return .tuple(exception.args)
      case "__cause__": return exception.cause
      case "__context__": return exception.context
      case "message" where instance.cls.isSubtype(of: types.exception("OpError")):
        return .string(instance.exceptionText)
      default: break
      }
    }
    if let getattr = instance.cls.lookupDefined("__getattr__") {
      return try callMethod(getattr, on: .object(instance), Arguments([.string(name)]), at: currentLocation)
    }
    throw .exception("AttributeError", "'\(instance.cls.name)' object has no attribute '\(name)'")
  }

  /// `instance.name = value`, through a property's setter when the class has one.
  func setInstanceAttribute(_ instance: PyInstance, _ name: String, _ value: PyValue, at location: SourcePosition)
    throws(RuntimeError)
  {
    if case let .object(property as PyProperty)? = instance.cls.lookup(name) {
      guard let setter = property.setter else {
        throw .exception("AttributeError", "property '\(name)' of '\(instance.cls.name)' object has no setter")
      }
      _ = try call(setter, Arguments([.object(instance), value]), at: location)
      return
    }
    if instance.exception != nil {
      switch name {
      case "args": instance.exception?.args = try iterate(value, at: location)
      case "__cause__": instance.exception?.cause = value
      case "__context__": instance.exception?.context = value
      default: instance.attributes[name] = value
      }
      return
    }
    instance.attributes[name] = value
  }

  /// A class attribute looked up through an instance (or, with `instance` nil, through the
  /// class): functions become bound methods, descriptors apply.
  func bind(_ value: PyValue, instance: PyValue?, owner: PyType) throws(RuntimeError) -> PyValue {
    switch value {
    case .function:
      guard let instance else { return value }
      return .object(PyBoundMethod(value, receiver: instance))
    case let .object(object):
      switch object {
      case let descriptor as PyMethodDescriptor:
        guard let instance else { return .builtin(descriptor.function) }
        return .object(PyBoundMethod(.builtin(descriptor.function), receiver: instance))
      case let property as PyProperty:
        guard let instance else { return value }
        guard let getter = property.getter else { throw .exception("AttributeError", "unreadable attribute") }
        return try call(getter, Arguments([instance]), at: currentLocation)
      case let method as PyStaticMethod: return method.function
      case let method as PyClassMethod: return .object(PyBoundMethod(method.function, receiver: owner.value))
      case is PyMethodLike:
        guard let instance else { return value }
        return .object(PyBoundMethod(value, receiver: instance))
      default: return value
      }
    default: return value
    }
  }

  /// Calls a class attribute as a method of `receiver` (dunders, `__init__`), without making
  /// a bound method object for program functions.
  func callMethod(_ method: PyValue, on receiver: PyValue, _ arguments: Arguments, at location: SourcePosition)
    throws(RuntimeError) -> PyValue
  {
    switch method {
    case .function:
      return try call(method, Arguments([receiver] + arguments.positional, keywords: arguments.keywords), at: location)
    default:
      let owner = typeObject(of: receiver)
      return try call(try bind(method, instance: receiver, owner: owner), arguments, at: location)
    }
  }

  /// Zero-argument `super()` in a method: the class the method was defined in and its first
  /// argument.
  func zeroArgumentSuper(in scope: Scope, at location: SourcePosition) throws(RuntimeError) -> PyValue {
    var current: Scope? = scope
    while let frame = current, frame.function == nil { current = frame.parent }
    guard let function = current?.function, let type = function.classCell?.type as? PyType else {
      throw RuntimeError(.exception(type: "RuntimeError", message: "super(): __class__ cell not found"), at: location)
    }
    guard let first = function.parameters.first, let receiver = current?.local(first.name) else {
      throw RuntimeError(.exception(type: "RuntimeError", message: "super(): no arguments"), at: location)
    }
    return try makeSuper(type, receiver)
  }

  /// `super(type, receiver)`.
  func makeSuper(_ type: PyType, _ receiver: PyValue) throws(RuntimeError) -> PyValue {
    let receiverType = asType(receiver) ?? typeObject(of: receiver)
    guard receiverType.isSubtype(of: type) else {
      throw .typeError("super(type, obj): obj must be an instance or subtype of type")
    }
    return .object(PySuper(start: type, receiver: receiver, receiverType: receiverType))
  }

  /// `str(value)`, running a class's `__str__` (or `__repr__`).
  func str(_ value: PyValue) throws(RuntimeError) -> String {
    guard case let .object(instance as PyInstance) = value else { return value.str }
    if let text = try textDunder("__str__", of: instance) { return text }
    if instance.exception != nil { return instance.exceptionText }
    return try repr(value)
  }

  /// `repr(value)`, running a class's `__repr__`.
  func repr(_ value: PyValue) throws(RuntimeError) -> String {
    guard case let .object(instance as PyInstance) = value else { return value.repr }
    return try textDunder("__repr__", of: instance) ?? instance.defaultRepr
  }

  /// The string `__str__` or `__repr__` returns, when the class defines it.
  private func textDunder(_ name: String, of instance: PyInstance) throws(RuntimeError) -> String? {
    let context = CallContext(interpreter: self, location: currentLocation)
    guard let result = try instance.dunder(name, [], context: context) else { return nil }
    guard case let .string(text) = result else {
      throw .typeError("\(name) returned non-string (type \(result.typeName))")
    }
    return text
  }

  /// The call site given to calls made on behalf of Swift code (property getters,
  /// `__getattr__`): line 0, which the enclosing expression or statement replaces with its own.
  var currentLocation: SourcePosition { SourcePosition(line: 0, column: 0) }
}
