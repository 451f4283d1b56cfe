extension StandardLibrary {
  /// `copy`: shallow and deep copies of plain data and of class instances (their attribute
  /// dicts and the Swift state of `collections`' classes); `deepcopy` keeps shared references
  /// shared and cycles intact through its memo, as CPython's does.
  static let copyModule = ModuleDefinition("copy", publicNames: "Error copy deepcopy dispatch_table error") {
    interpreter in
    [
      "copy": Native.function("copy") { arguments, context throws(RuntimeError) in
        try Copier(context).shallow(try arguments.bind("copy", [.required("x")])["x"])
      },
      "deepcopy": Native.function("deepcopy") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("deepcopy", [.required("x"), .optional("memo"), .optional("_nil", .tuple([]))])
        switch bound["memo"] {
        case .none: break
        case let .dict(dict) where dict.entries.isEmpty: break
        default: throw .unsupported("copy.deepcopy with a memo dict")
        }
        return try Copier(context).deep(bound["x"])
      },
      "Error": ExceptionHierarchy.classValue("Error"),
    ]
  }
}

/// One `copy` or `deepcopy` call, with its memo of objects already copied.
final class Copier {
  let context: CallContext
  var memo: [ObjectIdentifier: PyValue] = [:]

  init(_ context: CallContext) {
    self.context = context
  }

  /// `copy.copy(value)`.
  func shallow(_ value: PyValue) throws(RuntimeError) -> PyValue {
    switch value {
    case let .list(list): return .list(PyList(list.items))
    case let .dict(dict):
      let copy = PyDict()
      for (key, item) in dict.entries { try copy.set(item, for: key) }
      return .dict(copy)
    case let .object(instance as PyInstance):
      if let method = instance.cls.lookupDefined("__copy__") {
        return try context.interpreter.callMethod(method, on: value, Arguments(), at: context.location)
      }
      return .object(try duplicate(instance) { item throws(RuntimeError) in item })
    case .object(is PyIterator): throw .typeError("cannot pickle '\(value.typeName)' object")
    case let .object(object) where !isAtomic(object): throw .unsupported("copy.copy of '\(value.typeName)' objects")
    default: return value
    }
  }

  /// `copy.deepcopy(value)`.
  func deep(_ value: PyValue) throws(RuntimeError) -> PyValue {
    switch value {
    case let .list(list):
      if let copied = memo[ObjectIdentifier(list)] { return copied }
      let copy = PyList([])
      memo[ObjectIdentifier(list)] = .list(copy)
      for item in list.items { copy.items.append(try deep(item)) }
      return .list(copy)
    case let .dict(dict):
      if let copied = memo[ObjectIdentifier(dict)] { return copied }
      let copy = PyDict()
      memo[ObjectIdentifier(dict)] = .dict(copy)
      for (key, item) in dict.entries { try copy.set(try deep(item), for: try deep(key)) }
      return .dict(copy)
    case let .tuple(items):
      var copies: [PyValue] = []
      for item in items { copies.append(try deep(item)) }
      return .tuple(copies)
    case let .object(instance as PyInstance):
      if let copied = memo[ObjectIdentifier(instance)] { return copied }
      if instance.cls.lookupDefined("__deepcopy__") != nil { throw .unsupported("__deepcopy__ methods") }
      return .object(try duplicate(instance) { item throws(RuntimeError) in try self.deep(item) })
    case .object(is PyIterator): throw .typeError("cannot pickle '\(value.typeName)' object")
    case let .object(object) where !isAtomic(object):
      throw .unsupported("copy.deepcopy of '\(value.typeName)' objects")
    default: return value
    }
  }

  /// Objects copied as themselves: classes, modules, functions and other callables.
  private func isAtomic(_ object: any PyObject) -> Bool {
    switch object {
    case is PyType, is StandardModule, is PyBoundMethod, is NativeCallable, is CachedFunction, is PyProperty,
      is PyStaticMethod, is PyClassMethod, is ExceptionObject:
      return true
    default: return object.typeName == "module"
    }
  }

  /// A new instance of the same class (no `__init__` call, as CPython's `copy` does), its
  /// attributes and Swift state passed through `transform`.
  private func duplicate(_ instance: PyInstance, _ transform: (PyValue) throws(RuntimeError) -> PyValue)
    throws(RuntimeError) -> PyInstance
  {
    let copy = PyInstance(instance.cls)
    memo[ObjectIdentifier(instance)] = .object(copy)
    copy.exception = instance.exception
    if var state = copy.exception {
      state.args = try state.args.map { item throws(RuntimeError) in try transform(item) }
      copy.exception = state
    }
    for name in instance.attributes.dictionary.keys.sorted() {
      copy.attributes[name] = try transform(instance.attributes[name] ?? .none)
    }
    switch instance.native {
    case let store as KeyedStore:
      let copied = KeyedStore()
      for (key, value) in store.entries { try copied.set(try transform(value), for: try transform(key)) }
      copy.native = copied
    case let deque as DequeClass.State:
      copy.native = DequeClass.State(
        try deque.items.map { item throws(RuntimeError) in try transform(item) }, maxlen: deque.maxlen)
    case let values as NamedTupleClass.Values:
      copy.native = NamedTupleClass.Values(try values.items.map { item throws(RuntimeError) in try transform(item) })
    case let partial as PartialState:
      copy.native = PartialState(
        function: partial.function,
        arguments: try partial.arguments.map { item throws(RuntimeError) in try transform(item) },
        keywords: partial.keywords)
    case nil, is KeyObject:
      copy.native = instance.native
    default:
      throw .unsupported("copying '\(instance.cls.name)' objects")
    }
    return copy
  }
}
