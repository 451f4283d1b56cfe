extension Interpreter {
  /// The builtins that need the interpreter's types: `type`, `isinstance`, `super`,
  /// `property`, `iter`, `next` …
  func typeBuiltins() -> [String: PyValue] {
    var builtins: [String: PyValue] = [:]
    func add(_ name: String, _ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue) {
      builtins[name] = .builtin(BuiltinFunction(name, body))
    }
    func addType(_ type: PyType, _ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue) {
      let constructor = BuiltinFunction(type.name, body)
      constructor.typeObject = type
      type.constructor = constructor
      builtins[type.name] = .builtin(constructor)
    }
    addType(types.type) { arguments, context throws(RuntimeError) in
      guard arguments.positional.count == 1, arguments.keywords.isEmpty else {
        if arguments.positional.count == 3 {
          throw RuntimeError(
            .forbidden("type() with three arguments is refused: classes are made by 'class' statements"))
        }
        throw .typeError("type() takes 1 or 3 arguments")
      }
      return context.interpreter.typeObject(of: arguments.positional[0]).value
    }
    addType(types.object) { arguments, context throws(RuntimeError) in
      guard arguments.positional.isEmpty, arguments.keywords.isEmpty else {
        throw .typeError("object() takes no arguments")
      }
      return .object(PyInstance(context.interpreter.types.object))
    }
    types.object.attributes["__init__"] = .object(
      PyMethodDescriptor(
        BuiltinFunction("__init__") { arguments, _ throws(RuntimeError) in
          guard arguments.positional.count == 1, arguments.keywords.isEmpty else {
            throw .typeError("object.__init__() takes exactly one argument (the instance to initialize)")
          }
          return .none
        }))
    types.baseException.attributes["__init__"] = .object(
      PyMethodDescriptor(
        BuiltinFunction("__init__") { arguments, _ throws(RuntimeError) in
          guard case let .object(instance as PyInstance)? = arguments.positional.first, instance.exception != nil
          else { throw .typeError("descriptor '__init__' requires a 'BaseException' object") }
          instance.exception?.args = Array(arguments.positional.dropFirst())
          return .none
        }))
    for (type, frozen) in [(types.set, false), (types.frozenSet, true)] {
      addType(type) { arguments, context throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("\(type.name)() takes no keyword arguments") }
        guard arguments.positional.count <= 1 else {
          throw .typeError("\(type.name) expected at most 1 argument, got \(arguments.positional.count)")
        }
        guard let iterable = arguments.positional.first else { return .object(PySet(frozen: frozen)) }
        if frozen, case let .object(set as PySet) = iterable, set.isFrozen { return iterable }
        return .object(try PySet.make(iterable, frozen: frozen, context: context))
      }
    }
    addType(types.property) { arguments, _ throws(RuntimeError) in
      let bound = try arguments.bind("property", [.optional("fget"), .optional("fset")])
      func optional(_ value: PyValue) -> PyValue? { if case .none = value { nil } else { value } }
      return .object(PyProperty(getter: optional(bound["fget"]), setter: optional(bound["fset"])))
    }
    addType(types.staticMethod) { arguments, _ throws(RuntimeError) in
      .object(PyStaticMethod(try arguments.bind("staticmethod", [.required("function")])["function"]))
    }
    addType(types.classMethod) { arguments, _ throws(RuntimeError) in
      .object(PyClassMethod(try arguments.bind("classmethod", [.required("function")])["function"]))
    }
    addType(types.superType) { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("super", [.required("type"), .required("obj")])
      guard let type = context.interpreter.asType(bound["type"]) else {
        throw .typeError("super() argument 1 must be a type, not \(bound["type"].typeName)")
      }
      return try context.interpreter.makeSuper(type, bound["obj"])
    }
    add("isinstance") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("isinstance", [.required("obj"), .required("class_or_tuple")])
      return .bool(
        try context.interpreter.matches(bound["obj"], bound["class_or_tuple"], "isinstance") { type in
          context.interpreter.isInstance(bound["obj"], type)
        })
    }
    add("issubclass") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("issubclass", [.required("cls"), .required("class_or_tuple")])
      guard let type = context.interpreter.asType(bound["cls"]) else {
        throw .typeError("issubclass() arg 1 must be a class")
      }
      return .bool(
        try context.interpreter.matches(bound["cls"], bound["class_or_tuple"], "issubclass") { base in
          type.isSubtype(of: base)
        })
    }
    add("iter") { arguments, context throws(RuntimeError) in
      let value = try arguments.bind("iter", [.required("object")])["object"]
      return try context.interpreter.makeIterator(value, at: context.location)
    }
    add("next") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("next", [.required("iterator"), .optional("default")])
      let iterator = bound["iterator"]
      if arguments.positional.count < 2, case let .object(instance as PyInstance) = iterator,
        let method = instance.cls.lookupDefined("__next__")
      {
        // Without a default, the iterator's own StopIteration (and its value) propagates.
        return try context.interpreter.callMethod(method, on: iterator, Arguments(), at: context.location)
      }
      if let item = try context.interpreter.next(iterator, at: context.location) { return item }
      if arguments.positional.count > 1 { return bound["default"] }
      throw .exception("StopIteration", "")
    }
    add("callable") { arguments, context throws(RuntimeError) in
      let value = try arguments.bind("callable", [.required("obj")])["obj"]
      switch value {
      case .function, .builtin: return .bool(true)
      case let .object(instance as PyInstance): return .bool(instance.cls.lookupDefined("__call__") != nil)
      case .object(is PyType), .object(is PyBoundMethod): return .bool(true)
      default: return .bool(false)
      }
    }
    add("hash") { arguments, _ throws(RuntimeError) in
      .int(try arguments.bind("hash", [.required("obj")])["obj"].pythonHash())
    }
    add("repr") { arguments, context throws(RuntimeError) in
      .string(try context.interpreter.repr(try arguments.bind("repr", [.required("obj")])["obj"]))
    }
    add("getattr") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("getattr", [.required("object"), .required("name"), .optional("default")])
      let name = try context.interpreter.attributeName(bound["name"], "getattr")
      do throws(RuntimeError) {
        return try context.interpreter.getAttribute(bound["object"], name, at: context.location)
      } catch {
        guard arguments.positional.count > 2, context.interpreter.isException(error, "AttributeError") else {
          throw error
        }
        return bound["default"]
      }
    }
    add("hasattr") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("hasattr", [.required("obj"), .required("name")])
      let name = try context.interpreter.attributeName(bound["name"], "hasattr")
      do throws(RuntimeError) {
        _ = try context.interpreter.getAttribute(bound["obj"], name, at: context.location)
        return .bool(true)
      } catch {
        guard context.interpreter.isException(error, "AttributeError") else { throw error }
        return .bool(false)
      }
    }
    add("setattr") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("setattr", [.required("obj"), .required("name"), .required("value")])
      let name = try context.interpreter.attributeName(bound["name"], "setattr")
      try context.interpreter.setAttribute(bound["obj"], name, bound["value"], at: context.location)
      return .none
    }
    builtins["NotImplemented"] = .object(types.notImplemented)
    return builtins
  }

  /// The attribute name `getattr` and friends were given; dunders are checked where the
  /// attribute is read or written.
  func attributeName(_ value: PyValue, _ function: String) throws(RuntimeError) -> String {
    guard case let .string(name) = value else {
      throw .typeError("attribute name must be string, not '\(value.typeName)'")
    }
    return name
  }

  /// Whether `check` holds for the type, or any type of a tuple, that `classes` names.
  func matches(_ value: PyValue, _ classes: PyValue, _ function: String, _ check: (PyType) -> Bool)
    throws(RuntimeError) -> Bool
  {
    let candidates: [PyValue]
    if case let .tuple(items) = classes { candidates = items } else { candidates = [classes] }
    for candidate in candidates {
      if let type = asType(candidate) {
        if check(type) { return true }
      } else if case let .builtin(builtin) = candidate, let instanceCheck = builtin.instanceCheck {
        if instanceCheck(value) { return true }
      } else if case .tuple = candidate {
        if try matches(value, candidate, function, check) { return true }
      } else {
        throw .typeError("\(function)() arg 2 must be a type, a tuple of types, or a union")
      }
    }
    return false
  }
}
