import PythonSyntax

/// What `lru_cache` and `cache` return: the function with a cache of its results, keyed by
/// its arguments; it binds like a function when it decorates a method.
final class CachedFunction: PyMethodLike {
  private let function: PyValue
  /// The most entries kept (nil: unbounded); least recently used ones are dropped first.
  private let maxsize: Int?
  private let info: PyType
  private let displayedMaxsize: PyValue
  private var store = KeyedStore()
  private var hits = 0
  private var misses = 0
  /// Marks where keyword arguments start in a key (CPython's `kwd_mark`).
  private static let keywordMark = PyValue.object(NativeCallable("object", repr: "<object>") { _, _ in .none })

  init(_ function: PyValue, maxsize: PyValue, info: PyType) {
    self.function = function
    self.info = info
    if case let .int(size) = maxsize {
      self.maxsize = Swift.max(size, 0)
      displayedMaxsize = .int(Swift.max(size, 0))
    } else {
      self.maxsize = nil
      displayedMaxsize = .none
    }
  }

  var typeName: String { "functools._lru_cache_wrapper" }
  func repr() -> String { "<functools._lru_cache_wrapper object>" }

  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    var parts = arguments.positional
    if !arguments.keywords.isEmpty {
      parts.append(Self.keywordMark)
      for (name, value) in arguments.keywords { parts += [.string(name), value] }
    }
    let key = PyValue.tuple(parts)
    _ = try key.pythonHash()
    if maxsize != 0, let position = try store.position(of: key) {
      hits += 1
      store.move(position, toEnd: true)
      return store.values[store.count - 1]
    }
    misses += 1
    let result = try context.call(function, arguments)
    guard maxsize != 0 else { return result }
    if try store.position(of: key) == nil {
      try store.set(result, for: key)
      if let maxsize, store.count > maxsize { store.remove(at: 0) }
    }
    return result
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "cache_info":
      return Native.function("cache_info") { _, context throws(RuntimeError) in
        try context.call(
          self.info.value,
          Arguments([.int(self.hits), .int(self.misses), self.displayedMaxsize, .int(self.store.count)]))
      }
    case "cache_clear":
      return Native.function("cache_clear") { _, _ in
        self.store = KeyedStore()
        self.hits = 0
        self.misses = 0
        return .none
      }
    default:
      throw .exception("AttributeError", "'functools._lru_cache_wrapper' object has no attribute '\(name)'")
    }
  }
}

/// The object a `cmp_to_key` key function wraps around a value.
final class KeyObject {
  let value: PyValue
  init(_ value: PyValue) { self.value = value }
}

extension Functools {
  /// The class of `cmp_to_key(mycmp)`'s keys: comparisons call `mycmp` and compare its result
  /// with 0.
  static func comparisonKeyClass(_ interpreter: Interpreter, _ compare: PyValue) -> PyType {
    var key = NativeClass("K", module: "functools")
    let operators: [(String, CompareOperator)] = [
      ("__lt__", .less), ("__le__", .lessEqual), ("__gt__", .greater), ("__ge__", .greaterEqual),
      ("__eq__", .equal), ("__ne__", .notEqual),
    ]
    for (name, op) in operators {
      key.methods[name] = keyComparison(compare, op)
    }
    key.attributes["__hash__"] = PyValue.none
    key.properties["obj"] = Native.getter { instance, _ throws(RuntimeError) in
      guard let object = instance.native as? KeyObject else { return .none }
      return object.value
    }
    return key.make(interpreter)
  }

  private static func keyComparison(_ compare: PyValue, _ op: CompareOperator) -> NativeMethod {
    let method: NativeMethod = { instance, arguments, context throws(RuntimeError) in
      guard case let .object(other as PyInstance)? = arguments.positional.first,
        let right = other.native as? KeyObject, let left = instance.native as? KeyObject
      else { throw .typeError("other argument must be K instance") }
      let result = try context.call(compare, Arguments([left.value, right.value]))
      return try PyValue.compare(op, result, .int(0), context: context)
    }
    return method
  }

  /// `total_ordering`: the comparisons a class lacks, from the one it defines (`__lt__`
  /// preferred, then `__le__`, `__gt__`, `__ge__`) and `__eq__`, with CPython's formulas.
  static func completeOrdering(_ type: PyType) throws(RuntimeError) {
    let names = ["__lt__", "__le__", "__gt__", "__ge__"]
    let roots = names.filter { type.lookupDefined($0) != nil }
    guard let root = roots.first else {
      throw .valueError("must define at least one ordering operation: < > <= >=")
    }
    // For each root, how the others follow from `op_result = root(self, other)`:
    // (name, negate the result, then combine with equality: "and not equal" / "or equal").
    let derived: [String: [(String, Bool, String?)]] = [
      "__lt__": [("__gt__", true, "and-ne"), ("__le__", false, "or-eq"), ("__ge__", true, nil)],
      "__le__": [("__ge__", true, "or-eq"), ("__lt__", false, "and-ne"), ("__gt__", true, nil)],
      "__gt__": [("__lt__", true, "and-ne"), ("__ge__", false, "or-eq"), ("__le__", true, nil)],
      "__ge__": [("__le__", true, "or-eq"), ("__gt__", false, "and-ne"), ("__lt__", true, nil)],
    ]
    for (name, negate, combine) in derived[root] ?? [] where !roots.contains(name) {
      type.attributes[name] = .object(PyMethodDescriptor(orderingMethod(name, root, negate, combine)))
    }
  }

  private static func orderingMethod(_ name: String, _ root: String, _ negate: Bool, _ combine: String?)
    -> BuiltinFunction
  {
    BuiltinFunction(name) { arguments, context throws(RuntimeError) in
      let values = try arguments.bind(name, [.required("self"), .required("other")])
      let (me, other) = (values["self"], values["other"])
      let interpreter = context.interpreter
      guard let method = interpreter.typeObject(of: me).lookupDefined(root) else {
        throw .typeError("'\(root)' is missing")
      }
      let result = try interpreter.callMethod(method, on: me, Arguments([other]), at: context.location)
      if case let .object(object) = result, object === interpreter.types.notImplemented { return result }
      let truth = try Native.truth(result, context)
      switch combine {
      case "and-ne":
        // `not op_result and self != other`, or `op_result and self != other` for the
        // non-negated form.
        let first = negate ? !truth : truth
        guard first else { return negate ? .bool(false) : result }
        return try PyValue.compare(.notEqual, me, other, context: context)
      case "or-eq":
        let first = negate ? !truth : truth
        if first { return negate ? .bool(true) : result }
        return try PyValue.compare(.equal, me, other, context: context)
      default:
        return .bool(!truth)
      }
    }
  }
}
