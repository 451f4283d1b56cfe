extension StandardLibrary {
  /// `functools`: `partial`, `reduce`, `wraps`, `lru_cache`/`cache`, `cmp_to_key` and
  /// `total_ordering`.
  static let functoolsModule = ModuleDefinition(
    "functools",
    publicNames: """
      GenericAlias RLock WRAPPER_ASSIGNMENTS WRAPPER_UPDATES cache cached_property cmp_to_key get_cache_token \
      lru_cache namedtuple partial partialmethod recursive_repr reduce singledispatch singledispatchmethod \
      total_ordering update_wrapper wraps
      """
  ) { interpreter in Functools.members(interpreter) }
}

/// The members of `functools`.
enum Functools {
  static func members(_ interpreter: Interpreter) -> [String: PyValue] {
    let cacheInfo = NamedTupleClass.make(
      interpreter, name: "CacheInfo", fields: ["hits", "misses", "maxsize", "currsize"], module: "functools")
    var members: [String: PyValue] = [
      "partial": partialClass(interpreter).value,
      "reduce": Native.function("reduce") { arguments, context throws(RuntimeError) in
        let values = try Native.expect("reduce", arguments, 2...3)
        let iterator = try Native.iterator(values[1], context)
        var total = values.count > 2 ? values[2] : nil
        while let item = try Native.next(iterator, context) {
          total =
            try total.map { sum throws(RuntimeError) in try context.call(values[0], Arguments([sum, item])) } ?? item
        }
        guard let total else { throw .typeError("reduce() of empty iterable with no initial value") }
        return total
      },
      "update_wrapper": Native.function("update_wrapper") { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind(
          "update_wrapper", [.required("wrapper"), .required("wrapped"), .optional("assigned"), .optional("updated")])
        return copyName(to: bound["wrapper"], from: bound["wrapped"])
      },
      "wraps": Native.function("wraps") { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("wraps", [.required("wrapped"), .optional("assigned"), .optional("updated")])
        let wrapped = bound["wrapped"]
        return Native.function("update_wrapper") { arguments, _ throws(RuntimeError) in
          let wrapper = try arguments.bind("update_wrapper", [.required("wrapper")])["wrapper"]
          return copyName(to: wrapper, from: wrapped)
        }
      },
      "cmp_to_key": Native.function("cmp_to_key") { arguments, _ throws(RuntimeError) in
        let compare = try arguments.bind("cmp_to_key", [.required("mycmp")])["mycmp"]
        let keyClass = comparisonKeyClass(interpreter, compare)
        return .object(
          NativeCallable("functools.KeyWrapper", repr: "<functools.KeyWrapper object>") {
            arguments, context throws(RuntimeError) in
            let object = try arguments.bind("K", [.required("obj")])["obj"]
            let instance = PyInstance(keyClass)
            instance.native = KeyObject(object)
            return .object(instance)
          })
      },
      "total_ordering": Native.function("total_ordering") { arguments, _ throws(RuntimeError) in
        let cls = try arguments.bind("total_ordering", [.required("cls")])["cls"]
        if case let .object(type as PyType) = cls { try completeOrdering(type) }
        return cls
      },
    ]
    members["lru_cache"] = Native.function("lru_cache") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("lru_cache", [.optional("maxsize", .int(128)), .optional("typed", .bool(false))])
      if case .bool(true) = bound["typed"] { throw .unsupported("lru_cache(typed=True)") }
      let maxsize = bound["maxsize"]
      switch maxsize {
      case .none, .int:
        return Native.function("decorating_function") { arguments, _ throws(RuntimeError) in
          let function = try arguments.bind("decorating_function", [.required("user_function")])["user_function"]
          return .object(CachedFunction(function, maxsize: maxsize, info: cacheInfo))
        }
      default:
        guard Native.isCallable(maxsize) else {
          throw .typeError("Expected first argument to be an integer, a callable, or None")
        }
        return .object(CachedFunction(maxsize, maxsize: .int(128), info: cacheInfo))
      }
    }
    members["cache"] = Native.function("cache") { arguments, _ throws(RuntimeError) in
      let function = try arguments.bind("cache", [.required("user_function")])["user_function"]
      return .object(CachedFunction(function, maxsize: .none, info: cacheInfo))
    }
    return members
  }

  /// `update_wrapper`: the wrapper takes the wrapped function's `__name__` and `__qualname__`
  /// (the object model has no `__doc__` or `__dict__` to copy).
  private static func copyName(to wrapper: PyValue, from wrapped: PyValue) -> PyValue {
    if case let .function(target) = wrapper {
      switch wrapped {
      case let .function(source):
        target.name = source.name
        target.qualifiedName = source.qualifiedName
      case let .builtin(source):
        target.name = source.name
        target.qualifiedName = source.name
      default: break
      }
    }
    return wrapper
  }

  /// `functools.partial`: a class, so that `isinstance` and subclassing work.
  private static func partialClass(_ interpreter: Interpreter) -> PyType {
    var partial = NativeClass("partial", module: "functools")
    partial.methods["__init__"] = partialInit()
    partial.methods["__call__"] = Native.method { instance, arguments, context throws(RuntimeError) in
      let state = try PartialState.of(instance)
      var keywords = state.keywords
      for (name, value) in arguments.keywords {
        if let index = keywords.firstIndex(where: { $0.name == name }) {
          keywords[index].value = value
        } else {
          keywords.append((name, value))
        }
      }
      return try context.call(state.function, Arguments(state.arguments + arguments.positional, keywords: keywords))
    }
    partial.methods["__repr__"] = Native.method { instance, _, context throws(RuntimeError) in
      let state = try PartialState.of(instance)
      var parts = [try Native.repr(state.function, context)]
      for argument in state.arguments { parts.append(try Native.repr(argument, context)) }
      for (name, value) in state.keywords { parts.append("\(name)=\(try Native.repr(value, context))") }
      return .string("\(instance.cls.moduleName).\(instance.cls.qualifiedName)(\(parts.joined(separator: ", ")))")
    }
    partial.properties["func"] = Native.getter { instance, _ throws(RuntimeError) in
      try PartialState.of(instance).function
    }
    partial.properties["args"] = Native.getter { instance, _ throws(RuntimeError) in
      .tuple(try PartialState.of(instance).arguments)
    }
    partial.properties["keywords"] = Native.getter { instance, _ throws(RuntimeError) in
      let dict = PyDict()
      for (name, value) in try PartialState.of(instance).keywords { try dict.set(value, for: .string(name)) }
      return .dict(dict)
    }
    let type = partial.make(interpreter)
    return type
  }

  /// `partial(func, *args, **keywords)`; a partial of a plain partial is flattened.
  private static func partialInit() -> NativeMethod {
    let method: NativeMethod = { instance, arguments, _ throws(RuntimeError) in
      guard var function = arguments.positional.first else {
        throw .typeError("type 'partial' takes at least one argument")
      }
      guard Native.isCallable(function) else { throw .typeError("the first argument must be callable") }
      var positional = Array(arguments.positional.dropFirst())
      var keywords = arguments.keywords
      if case let .object(inner as PyInstance) = function, let state = inner.native as? PartialState,
        inner.cls.name == "partial", inner.cls.moduleName == "functools"
      {
        function = state.function
        positional = state.arguments + positional
        keywords = state.keywords.filter { old in !keywords.contains { $0.name == old.name } } + keywords
      }
      instance.native = PartialState(function: function, arguments: positional, keywords: keywords)
      return .none
    }
    return method
  }
}

/// What a `functools.partial` holds.
final class PartialState {
  let function: PyValue
  let arguments: [PyValue]
  let keywords: [(name: String, value: PyValue)]

  init(function: PyValue, arguments: [PyValue], keywords: [(name: String, value: PyValue)]) {
    self.function = function
    self.arguments = arguments
    self.keywords = keywords
  }

  static func of(_ instance: PyInstance) throws(RuntimeError) -> PartialState {
    guard let state = instance.native as? PartialState else {
      throw .typeError("'\(instance.cls.name)' object is not an initialised functools.partial")
    }
    return state
  }
}

extension Native {
  /// `callable(value)`.
  static func isCallable(_ value: PyValue) -> Bool {
    switch value {
    case .function, .builtin: return true
    case let .object(instance as PyInstance): return instance.cls.lookupDefined("__call__") != nil
    case .object(is PyType), .object(is PyBoundMethod), .object(is NativeCallable), .object(is PyMethodLike),
      .object(is PyMethodDescriptor), .object(is PyStaticMethod):
      return true
    default: return false
    }
  }
}
