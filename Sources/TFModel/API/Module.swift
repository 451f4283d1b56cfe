import PythonRuntime

/// `tf.Module`, as `tensorflow/python/module/module.py` defines it: a host class programs
/// subclass. Its state lives in the instance's own attributes as in TF (`_name`,
/// `_name_scope`), so a subclass that forgets `super().__init__()` fails as in TF (no
/// `_name`), and `variables`, `trainable_variables` and `submodules` walk the instance's
/// attributes in TF's order.
extension TFRuntime {
  func registerModule() {
    let method = {
      (
        name: String, parameters: [Arguments.Parameter],
        body: @escaping (PyInstance, BoundArguments, CallContext) throws(RuntimeError) -> PyValue
      ) -> HostClass.Member in
      .method(
        BuiltinFunction(name) { arguments, context throws(RuntimeError) in
          let bound = try arguments.bind(name, [.required("self")] + parameters)
          guard case let .object(instance as PyInstance) = bound["self"] else {
            throw .typeError(
              "descriptor '\(name)' for 'Module' objects doesn't apply to a '\(bound["self"].typeName)' object")
          }
          return try body(instance, bound, context)
        })
    }
    let property = {
      (name: String, body: @escaping (PyInstance, CallContext) throws(RuntimeError) -> PyValue) -> HostClass.Member in
      .property(
        BuiltinFunction(name) { arguments, context throws(RuntimeError) in
          guard case let .object(instance as PyInstance)? = arguments.positional.first else {
            throw .typeError("'\(name)' needs a Module instance")
          }
          return try body(instance, context)
        })
    }
    let members: [String: HostClass.Member] = [
      "__init__": method("__init__", [.optional("name")]) {
        [unowned self] instance, bound, context throws(RuntimeError) in
        try self.initializeModule(instance, name: bound["name"], context: context)
        return .none
      },
      "name": property("name") { instance, _ throws(RuntimeError) in try Self.ownAttribute(instance, "_name") },
      "name_scope": property("name_scope") { [unowned self] instance, _ throws(RuntimeError) in
        if case let .string(scope)? = instance.instanceAttributes["_scope_name"] {
          return .object(NameScopeObject(name: scope, runtime: self))
        }
        return try Self.ownAttribute(instance, "_name_scope")
      },
      "variables": property("variables") { [unowned self] instance, context throws(RuntimeError) in
        .tuple(self.flatten(instance, context: context) { Self.isVariable($0) != nil })
      },
      "trainable_variables": property("trainable_variables") { [unowned self] instance, context throws(RuntimeError) in
        .tuple(self.flatten(instance, context: context) { Self.isVariable($0) == true })
      },
      "non_trainable_variables": property("non_trainable_variables") {
        [unowned self] instance, context throws(RuntimeError) in
        .tuple(self.flatten(instance, context: context) { Self.isVariable($0) == false })
      },
      "submodules": property("submodules") { [unowned self] instance, context throws(RuntimeError) in
        .tuple(self.flatten(instance, context: context) { self.isModule($0, context: context) })
      },
      "with_name_scope": .method(
        BuiltinFunction("with_name_scope") { _, _ throws(RuntimeError) in
          throw .unsupported("tf.Module.with_name_scope")
        }),
    ]
    let module = HostClass(name: "Module", module: "tensorflow.python.module.module", members: members)
    moduleClass = module
    register(ModuleName.tf, ["Module": .object(module)])
    register(ModuleName.v1, ["Module": .object(module)])
  }

  /// `Module.__init__(name=None)`: the name (the class name in snake case by default, else a
  /// Python identifier) and the name scope the module's `name_scope` enters.
  private func initializeModule(_ instance: PyInstance, name given: PyValue, context: CallContext)
    throws(RuntimeError)
  {
    let name: String
    switch given {
    case .none: name = Self.camelToSnake(instance.className)
    case let .string(text) where Self.isIdentifier(text): name = text
    default:
      throw .valueError(
        "\(given.repr) is not a valid module name. Module names must be valid Python identifiers (e.g. a valid "
          + "class name).")
    }
    try instance.setAttribute("_name", .string(name), context: context)
    // TF enters the scope once to learn its full name (made unique in a graph).
    let scope = NameScopeObject(name: name, runtime: self)
    guard case let .string(scopeName) = try scope.enter(context: context) else { return }
    try scope.exit(context: context)
    if tf2Enabled {
      try instance.setAttribute(
        "_name_scope", .object(NameScopeObject(name: scopeName, runtime: self)), context: context)
    } else {
      try instance.setAttribute("_scope_name", .string(scopeName), context: context)
    }
  }

  /// An attribute the instance itself holds, with Python's error when it does not.
  private static func ownAttribute(_ instance: PyInstance, _ name: String) throws(RuntimeError) -> PyValue {
    guard let value = instance.instanceAttributes[name] else {
      throw .exception("AttributeError", "'\(instance.className)' object has no attribute '\(name)'")
    }
    return value
  }

  /// Whether `value` is a variable: nil when it is not one, else whether it is trainable.
  private static func isVariable(_ value: PyValue) -> Bool? {
    switch value {
    case let .object(variable as EagerVariable): variable.trainable
    case let .object(variable as GraphVariable): variable.trainable
    default: nil
    }
  }

  /// Whether `value` is an instance of `tf.Module` (or of a class deriving from it).
  private func isModule(_ value: PyValue, context: CallContext) -> Bool {
    guard case let .object(instance as PyInstance) = value, let moduleClass else { return false }
    return instance.isInstance(of: moduleClass, context: context)
  }

  /// TF's `Module._flatten`: the leaves matching `predicate` among the module's attributes
  /// (sorted by name; lists and tuples in order, dicts by sorted key), each once, then those
  /// of every submodule found there, depth first.
  private func flatten(_ root: PyInstance, context: CallContext, _ predicate: (PyValue) -> Bool) -> [PyValue] {
    var seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var stack: [ObjectIdentifier] = []
    var results: [PyValue] = []
    func walk(_ module: PyInstance, recursive: Bool) {
      let id = ObjectIdentifier(module)
      let recursive = recursive && !stack.contains(id)
      var submodules: [PyInstance] = []
      let attributes = module.instanceAttributes
      for key in attributes.keys.sorted(by: Self.pythonOrder) {
        for leaf in Self.leaves(of: attributes[key]!) {
          if case let .object(object) = leaf {
            guard seen.insert(ObjectIdentifier(object)).inserted else { continue }
          }
          if predicate(leaf) { results.append(leaf) }
          if recursive, isModule(leaf, context: context), case let .object(instance as PyInstance) = leaf {
            submodules.append(instance)
          }
        }
      }
      stack.append(id)
      for submodule in submodules { walk(submodule, recursive: recursive) }
      stack.removeLast()
    }
    walk(root, recursive: true)
    return results
  }

  /// `nest.flatten` of an attribute: the items of lists and tuples in order, of dicts by
  /// sorted key, recursively; anything else is a leaf.
  private static func leaves(of value: PyValue) -> [PyValue] {
    switch value {
    case let .list(list): return list.items.flatMap(leaves)
    case let .tuple(items): return items.flatMap(leaves)
    case let .dict(dict):
      // nest sorts a dict's keys; string keys (the usual case) sort by code point.
      let entries = dict.entries.sorted { a, b in
        if case let .int(x) = a.key, case let .int(y) = b.key { return x < y }
        return pythonOrder(a.key.str, b.key.str)
      }
      return entries.flatMap { leaves(of: $0.value) }
    default: return [value]
    }
  }

  /// Python's order of strings: by code point.
  private static func pythonOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }

  /// TF's `camel_to_snake`: an underscore before each capital that follows a lowercase
  /// letter or digit, or that starts a capitalised word (`HTTPServer` → `http_server`).
  static func camelToSnake(_ name: String) -> String {
    let characters = Array(name)
    var result = ""
    for (index, character) in characters.enumerated() {
      let isUpper = character.isASCII && character.isUppercase
      if isUpper && index > 0 {
        let previous = characters[index - 1]
        let afterLowerOrDigit = previous.isASCII && (previous.isLowercase || previous.isNumber)
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        let beforeLower = next.map { $0.isASCII && $0.isLowercase } ?? false
        if afterLowerOrDigit || beforeLower { result.append("_") }
      }
      result += character.lowercased()
    }
    return result
  }

  /// TF's `valid_identifier`: `^[a-zA-Z_]([a-zA-Z0-9_])*$`.
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.isASCII, first == "_" || first.properties.isAlphabetic else {
      return false
    }
    return name.unicodeScalars.allSatisfy {
      $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
    }
  }
}
