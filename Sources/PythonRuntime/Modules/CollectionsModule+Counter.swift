/// `Counter`'s own methods: counting updates, `most_common`, `elements`, `total`, and the
/// arithmetic that keeps only positive counts.
enum CounterMethods {
  static var methods: [String: NativeMethod] {
    [
      "__init__": Native.method { instance, arguments, context throws(RuntimeError) in
        instance.native = KeyedStore()
        return try add(instance, arguments, context, sign: 1)
      },
      "subtract": Native.method { instance, arguments, context throws(RuntimeError) in
        try add(instance, arguments, context, sign: -1)
      },
      "most_common": Native.method { instance, arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("Counter.most_common", [.optional("n")])
        var entries = try mostCommon(try DictClasses.store(instance), context)
        if !bound["n"].isNone { entries = Array(entries.prefix(Swift.max(0, try Native.integer(bound["n"])))) }
        return .list(PyList(entries.map { .tuple([$0.key, $0.value]) }))
      },
      "elements": Native.method { instance, _, _ throws(RuntimeError) in
        var items: [PyValue] = []
        for (key, value) in try DictClasses.store(instance).entries {
          if case let .int(count) = value, count > 0 { items += Array(repeating: key, count: count) }
        }
        return Native.lazy("chain", Itertools.arrayIterator(items))
      },
      "total": Native.method { instance, _, context throws(RuntimeError) in
        var total = PyValue.int(0)
        for value in try DictClasses.store(instance).values {
          total = try PyValue.binary(.add, total, value, context: context)
        }
        return total
      },
      "__add__": combine { a, b, context throws(RuntimeError) in try PyValue.binary(.add, a, b, context: context) },
      "__sub__": combine { a, b, context throws(RuntimeError) in try PyValue.binary(.subtract, a, b, context: context)
      },
      "__pos__": Native.method { instance, _, context throws(RuntimeError) in
        try positive(instance, try DictClasses.store(instance).entries, context)
      },
      "__neg__": Native.method { instance, _, context throws(RuntimeError) in
        var negated: [(key: PyValue, value: PyValue)] = []
        for (key, value) in try DictClasses.store(instance).entries {
          negated.append((key, try PyValue.binary(.subtract, .int(0), value, context: context)))
        }
        return try positive(instance, negated, context)
      },
    ]
  }

  /// The `Counter` class itself, found along a (sub)class's MRO.
  static func root(_ cls: PyType) -> PyType {
    cls.mro.last { $0.name == "Counter" && $0.moduleName == "collections" } ?? cls
  }

  /// `update` (sign 1) or `subtract` (sign -1): a mapping's counts, or one per element of an
  /// iterable, then keywords.
  static func add(_ instance: PyInstance, _ arguments: Arguments, _ context: CallContext, sign: Int)
    throws(RuntimeError) -> PyValue
  {
    guard arguments.positional.count <= 1 else {
      throw .typeError("expected at most 1 argument, got \(arguments.positional.count)")
    }
    let store = try DictClasses.store(instance)
    func count(_ key: PyValue, _ amount: PyValue) throws(RuntimeError) {
      let current = try store.value(for: key) ?? .int(0)
      try store.set(try PyValue.binary(sign > 0 ? .add : .subtract, current, amount, context: context), for: key)
    }
    if let source = arguments.positional.first, !source.isNone {
      if let entries = DictClasses.mappingEntries(source) {
        for (key, value) in entries { try count(key, value) }
      } else {
        try context.interpreter.forEach(source, at: context.location) { item throws(RuntimeError) in
          try count(item, .int(1))
          return true
        }
      }
    }
    for (key, value) in arguments.keywords { try count(.string(key), value) }
    return .none
  }

  /// The entries by count, largest first, ties in insertion order.
  static func mostCommon(_ store: KeyedStore, _ context: CallContext) throws(RuntimeError)
    -> [(key: PyValue, value: PyValue)]
  {
    let pairs = store.entries.map { PyValue.tuple([$0.key, $0.value]) }
    let sorted = try Native.stableSorted(pairs) { a, b throws(RuntimeError) in
      guard case let .tuple(x) = a, case let .tuple(y) = b else { return false }
      return try Native.less(y[1], x[1], context)
    }
    return sorted.compactMap { pair in
      guard case let .tuple(items) = pair else { return nil }
      return (key: items[0], value: items[1])
    }
  }

  /// Counter equality: missing counts are zero.
  static func equalCounts(_ a: KeyedStore, _ b: KeyedStore, _ context: CallContext) throws(RuntimeError) -> Bool {
    for (first, second) in [(a, b), (b, a)] {
      for (key, value) in first.entries {
        guard try PyValue.equal(value, try second.value(for: key) ?? .int(0)) else { return false }
      }
    }
    return true
  }

  /// A new Counter of the instance's class with the positive counts of `entries`.
  private static func positive(
    _ instance: PyInstance, _ entries: [(key: PyValue, value: PyValue)], _ context: CallContext
  )
    throws(RuntimeError) -> PyValue
  {
    let result = PyInstance(root(instance.cls))
    let store = KeyedStore()
    for (key, value) in entries where try Native.less(.int(0), value, context) { try store.set(value, for: key) }
    result.native = store
    return .object(result)
  }

  /// `a + b` or `a - b` of two Counters: combined counts, positive ones kept.
  private static func combine(_ op: @escaping (PyValue, PyValue, CallContext) throws(RuntimeError) -> PyValue)
    -> NativeMethod
  {
    Native.method { instance, arguments, context throws(RuntimeError) in
      guard case let .object(other as PyInstance)? = arguments.positional.first,
        other.cls.isSubtype(of: root(instance.cls))
      else { return .object(context.interpreter.types.notImplemented) }
      let (mine, theirs) = (try DictClasses.store(instance), try DictClasses.store(other))
      var combined: [(key: PyValue, value: PyValue)] = []
      for (key, value) in mine.entries {
        combined.append((key, try op(value, try theirs.value(for: key) ?? .int(0), context)))
      }
      for (key, value) in theirs.entries where try mine.position(of: key) == nil {
        combined.append((key, try op(.int(0), value, context)))
      }
      return try positive(instance, combined, context)
    }
  }
}
