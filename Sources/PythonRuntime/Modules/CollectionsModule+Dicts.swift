/// `OrderedDict`, `defaultdict` and `Counter`: dict classes over a `KeyedStore`, sharing the
/// mapping methods and differing in what a missing key gives, how they compare and print.
enum DictClasses {
  enum Kind {
    case ordered, defaulting, counter
  }

  /// The store of a dict-class instance (made empty when a subclass skipped `__init__`).
  static func store(_ instance: PyInstance) throws(RuntimeError) -> KeyedStore {
    try instance.state { KeyedStore() }
  }

  /// Makes the class of a kind.
  static func make(_ kind: Kind, _ interpreter: Interpreter) -> PyType {
    let name =
      switch kind {
      case .ordered: "OrderedDict"
      case .defaulting: "defaultdict"
      case .counter: "Counter"
      }
    var cls = NativeClass(name, module: "collections")
    cls.methods = mappingMethods(kind)
    cls.attributes["__hash__"] = PyValue.none
    switch kind {
    case .ordered: cls.methods.merge(orderedMethods) { _, new in new }
    case .defaulting: cls.methods.merge(defaultMethods) { _, new in new }
    case .counter: cls.methods.merge(CounterMethods.methods) { _, new in new }
    }
    return cls.make(interpreter)
  }

  /// The entries of a mapping argument (a dict or dict-class instance), or nil for other values.
  static func mappingEntries(_ value: PyValue) -> [(key: PyValue, value: PyValue)]? {
    switch value {
    case let .dict(dict): return dict.entries
    case let .object(instance as PyInstance): return (instance.native as? KeyedStore)?.entries
    default: return nil
    }
  }

  /// `update(other=(), **kwargs)`: a mapping's entries or an iterable's pairs, then keywords.
  static func update(_ store: KeyedStore, _ arguments: Arguments, _ context: CallContext, name: String)
    throws(RuntimeError)
  {
    guard arguments.positional.count <= 1 else {
      throw .typeError("\(name) expected at most 1 argument, got \(arguments.positional.count)")
    }
    if let source = arguments.positional.first {
      if let entries = mappingEntries(source) {
        for (key, value) in entries { try store.set(value, for: key) }
      } else {
        for (index, item) in try Native.items(source, context).enumerated() {
          let pair = try Native.items(item, context)
          guard pair.count == 2 else {
            throw .valueError("dictionary update sequence element #\(index) has length \(pair.count); 2 is required")
          }
          try store.set(pair[1], for: pair[0])
        }
      }
    }
    for (key, value) in arguments.keywords { try store.set(value, for: .string(key)) }
  }

  /// `{k: v, …}` as a dict prints.
  static func dictRepr(_ entries: [(key: PyValue, value: PyValue)], _ context: CallContext) throws(RuntimeError)
    -> String
  {
    var parts: [String] = []
    for (key, value) in entries { parts.append("\(try Native.repr(key, context)): \(try Native.repr(value, context))") }
    return "{" + parts.joined(separator: ", ") + "}"
  }

  /// Plain dict equality: the same keys with equal values, in any order.
  static func sameEntries(_ store: KeyedStore, _ other: [(key: PyValue, value: PyValue)]) throws(RuntimeError) -> Bool {
    guard store.count == other.count else { return false }
    for (key, value) in other {
      guard let mine = try store.value(for: key), try PyValue.equal(mine, value) else { return false }
    }
    return true
  }

  private static func mappingMethods(_ kind: Kind) -> [String: NativeMethod] {
    [
      "__init__": Native.method { instance, arguments, context throws(RuntimeError) in
        let store = KeyedStore()
        instance.native = store
        try update(store, arguments, context, name: kind == .ordered ? "OrderedDict" : "dict")
        return .none
      },
      "__getitem__": Native.method { instance, arguments, context throws(RuntimeError) in
        let key = try Native.expect("__getitem__", arguments, 1...1)[0]
        let store = try store(instance)
        if let value = try store.value(for: key) { return value }
        return try missing(kind, instance, store, key, context)
      },
      "__setitem__": Native.method { instance, arguments, _ throws(RuntimeError) in
        let values = try Native.expect("__setitem__", arguments, 2...2)
        try store(instance).set(values[1], for: values[0])
        return .none
      },
      "__delitem__": Native.method { instance, arguments, context throws(RuntimeError) in
        let key = try Native.expect("__delitem__", arguments, 1...1)[0]
        let store = try store(instance)
        guard let position = try store.position(of: key) else { throw context.interpreter.keyError(key) }
        store.remove(at: position)
        return .none
      },
      "__contains__": Native.method { instance, arguments, _ throws(RuntimeError) in
        .bool(try store(instance).position(of: try Native.expect("__contains__", arguments, 1...1)[0]) != nil)
      },
      "__len__": Native.method { instance, _, _ throws(RuntimeError) in .int(try store(instance).count) },
      "__iter__": Native.method { instance, _, _ throws(RuntimeError) in
        Native.lazy("dict_keyiterator", Itertools.arrayIterator(try store(instance).keys))
      },
      "keys": Native.method { instance, _, _ throws(RuntimeError) in
        .object(DictView(kind == .ordered ? "odict_keys" : "dict_keys", try store(instance).keys))
      },
      "values": Native.method { instance, _, _ throws(RuntimeError) in
        .object(DictView(kind == .ordered ? "odict_values" : "dict_values", try store(instance).values))
      },
      "items": Native.method { instance, _, _ throws(RuntimeError) in
        let items = try store(instance).entries.map { PyValue.tuple([$0.key, $0.value]) }
        return .object(DictView(kind == .ordered ? "odict_items" : "dict_items", items))
      },
      "get": Native.method { instance, arguments, _ throws(RuntimeError) in
        let values = try Native.expect("get", arguments, 1...2)
        return try store(instance).value(for: values[0]) ?? (values.count > 1 ? values[1] : .none)
      },
      "pop": Native.method { instance, arguments, context throws(RuntimeError) in
        let values = try Native.expect("pop", arguments, 1...2)
        let store = try store(instance)
        guard let position = try store.position(of: values[0]) else {
          if values.count > 1 { return values[1] }
          throw context.interpreter.keyError(values[0])
        }
        return store.remove(at: position).value
      },
      "setdefault": Native.method { instance, arguments, _ throws(RuntimeError) in
        let values = try Native.expect("setdefault", arguments, 1...2)
        let store = try store(instance)
        if let value = try store.value(for: values[0]) { return value }
        let value = values.count > 1 ? values[1] : .none
        try store.set(value, for: values[0])
        return value
      },
      "update": Native.method { instance, arguments, context throws(RuntimeError) in
        if kind == .counter { return try CounterMethods.add(instance, arguments, context, sign: 1) }
        try update(try store(instance), arguments, context, name: "update")
        return .none
      },
      "clear": Native.method { instance, _, _ throws(RuntimeError) in
        try store(instance).removeAll()
        return .none
      },
      "copy": Native.method { instance, _, _ throws(RuntimeError) in
        let copy = PyInstance(instance.cls)
        copy.native = try store(instance).copy()
        copy.attributes = instance.attributes
        return .object(copy)
      },
      "popitem": Native.method { instance, arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("popitem", arguments, ["last"], required: 0)
        let last = try Native.truth(bound["last"] ?? .bool(true), context)
        let store = try store(instance)
        guard store.count > 0 else { throw .exception("KeyError", "'dictionary is empty'") }
        let entry = store.remove(at: last ? store.count - 1 : 0)
        return .tuple([entry.key, entry.value])
      },
      "__eq__": Native.method { instance, arguments, context throws(RuntimeError) in
        let other = try Native.expect("__eq__", arguments, 1...1)[0]
        return try equal(kind, instance, other, context)
      },
      "__repr__": Native.method { instance, _, context throws(RuntimeError) in
        .string(try repr(kind, instance, context))
      },
    ]
  }

  /// What `d[key]` gives for a missing key.
  private static func missing(
    _ kind: Kind, _ instance: PyInstance, _ store: KeyedStore, _ key: PyValue, _ context: CallContext
  ) throws(RuntimeError) -> PyValue {
    switch kind {
    case .ordered: throw context.interpreter.keyError(key)
    case .counter: return .int(0)
    case .defaulting:
      let factory = instance.attributes["default_factory"] ?? .none
      if factory.isNone { throw context.interpreter.keyError(key) }
      let value = try context.call(factory, Arguments())
      try store.set(value, for: key)
      return value
    }
  }

  private static func equal(_ kind: Kind, _ instance: PyInstance, _ other: PyValue, _ context: CallContext)
    throws(RuntimeError) -> PyValue
  {
    let store = try store(instance)
    guard let entries = mappingEntries(other) else { return .object(context.interpreter.types.notImplemented) }
    if kind == .counter, case let .object(otherInstance as PyInstance) = other,
      otherInstance.cls.isSubtype(of: CounterMethods.root(instance.cls))
    {
      return .bool(try CounterMethods.equalCounts(store, try DictClasses.store(otherInstance), context))
    }
    if kind == .ordered, case let .object(otherInstance as PyInstance) = other,
      otherInstance.cls.moduleName == "collections", otherInstance.cls.mro.contains(where: { $0.name == "OrderedDict" })
    {
      guard store.count == entries.count else { return .bool(false) }
      for ((key, value), (otherKey, otherValue)) in zip(store.entries, entries) {
        guard try PyValue.equal(key, otherKey), try PyValue.equal(value, otherValue) else { return .bool(false) }
      }
      return .bool(true)
    }
    return .bool(try sameEntries(store, entries))
  }

  private static func repr(_ kind: Kind, _ instance: PyInstance, _ context: CallContext) throws(RuntimeError)
    -> String
  {
    let store = try store(instance)
    let name = instance.cls.name
    switch kind {
    case .ordered:
      guard store.count > 0 else { return "\(name)()" }
      var pairs: [String] = []
      for (key, value) in store.entries {
        pairs.append("(\(try Native.repr(key, context)), \(try Native.repr(value, context)))")
      }
      return "\(name)([\(pairs.joined(separator: ", "))])"
    case .defaulting:
      let factory = instance.attributes["default_factory"] ?? .none
      return "\(name)(\(try Native.repr(factory, context)), \(try dictRepr(store.entries, context)))"
    case .counter:
      guard store.count > 0 else { return "\(name)()" }
      return "\(name)(\(try dictRepr(try CounterMethods.mostCommon(store, context), context)))"
    }
  }

  private static var orderedMethods: [String: NativeMethod] {
    [
      "move_to_end": Native.method { instance, arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("move_to_end", arguments, ["key", "last"], required: 1)
        let key = bound["key"] ?? .none
        let last = try Native.truth(bound["last"] ?? .bool(true), context)
        let store = try store(instance)
        guard let position = try store.position(of: key) else { throw context.interpreter.keyError(key) }
        store.move(position, toEnd: last)
        return .none
      }
    ]
  }

  private static var defaultMethods: [String: NativeMethod] {
    [
      "__init__": Native.method { instance, arguments, context throws(RuntimeError) in
        let factory = arguments.positional.first ?? .none
        guard factory.isNone || Native.isCallable(factory) else {
          throw .typeError("first argument must be callable or None")
        }
        instance.attributes["default_factory"] = factory
        let store = KeyedStore()
        instance.native = store
        try update(
          store, Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords), context,
          name: "defaultdict")
        return .none
      },
      "__missing__": Native.method { instance, arguments, context throws(RuntimeError) in
        let key = try Native.expect("__missing__", arguments, 1...1)[0]
        return try missing(.defaulting, instance, try store(instance), key, context)
      },
    ]
  }
}

/// What `keys()`, `values()` and `items()` of a dict class return: the items at the time of
/// the call (a snapshot, where CPython's view would follow later changes), printed as
/// CPython prints views.
final class DictView: PyObject {
  let typeName: String
  private let items: [PyValue]

  init(_ typeName: String, _ items: [PyValue]) {
    self.typeName = typeName
    self.items = items
  }

  func repr() -> String { "\(typeName)(\(PyValue.list(PyList(items)).repr))" }
  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] { items }
  func length(context: CallContext) throws(RuntimeError) -> Int { items.count }
  func truthValue(context: CallContext) throws(RuntimeError) -> Bool { !items.isEmpty }
}
