/// `collections.deque`: a double-ended queue with an optional `maxlen` (appending to a full
/// deque drops an item from the other end).
enum DequeClass {
  /// The items and bound of one deque.
  final class State {
    var items: [PyValue]
    let maxlen: Int?

    init(_ items: [PyValue], maxlen: Int?) {
      self.items = items
      self.maxlen = maxlen
      trim(fromFront: true)
    }

    /// Drops items beyond `maxlen` from the front (after an append) or the back.
    func trim(fromFront: Bool) {
      guard let maxlen, items.count > maxlen else { return }
      if fromFront { items.removeFirst(items.count - maxlen) } else { items.removeLast(items.count - maxlen) }
    }
  }

  static func state(_ instance: PyInstance) throws(RuntimeError) -> State {
    try instance.state { State([], maxlen: nil) }
  }

  static func make(_ interpreter: Interpreter) -> PyType {
    var cls = NativeClass("deque", module: "collections")
    cls.attributes["__hash__"] = PyValue.none
    cls.properties["maxlen"] = Native.getter { instance, _ throws(RuntimeError) in
      try state(instance).maxlen.map { .int($0) } ?? .none
    }
    cls.methods = [
      "__init__": Native.method { instance, arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("deque", arguments, ["iterable", "maxlen"], required: 0)
        var maxlen: Int?
        if let given = bound["maxlen"], !given.isNone {
          maxlen = try Native.integer(given)
          guard maxlen ?? 0 >= 0 else { throw .valueError("maxlen must be non-negative") }
        }
        let items = try bound["iterable"].map { value throws(RuntimeError) in try Native.items(value, context) } ?? []
        instance.native = State(items, maxlen: maxlen)
        return .none
      },
      "append": mutate { state, value in
        state.items.append(value)
        state.trim(fromFront: true)
      },
      "appendleft": mutate { state, value in
        state.items.insert(value, at: 0)
        state.trim(fromFront: false)
      },
      "extend": Native.method { instance, arguments, context throws(RuntimeError) in
        let state = try state(instance)
        for item in try Native.items(try Native.expect("extend", arguments, 1...1)[0], context) {
          state.items.append(item)
          state.trim(fromFront: true)
        }
        return .none
      },
      "extendleft": Native.method { instance, arguments, context throws(RuntimeError) in
        let state = try state(instance)
        for item in try Native.items(try Native.expect("extendleft", arguments, 1...1)[0], context) {
          state.items.insert(item, at: 0)
          state.trim(fromFront: false)
        }
        return .none
      },
      "pop": Native.method { instance, arguments, _ throws(RuntimeError) in
        _ = try Native.expect("pop", arguments, 0...0)
        let state = try state(instance)
        guard !state.items.isEmpty else { throw .exception("IndexError", "pop from an empty deque") }
        return state.items.removeLast()
      },
      "popleft": Native.method { instance, arguments, _ throws(RuntimeError) in
        _ = try Native.expect("popleft", arguments, 0...0)
        let state = try state(instance)
        guard !state.items.isEmpty else { throw .exception("IndexError", "pop from an empty deque") }
        return state.items.removeFirst()
      },
      "rotate": Native.method { instance, arguments, _ throws(RuntimeError) in
        let values = try Native.expect("rotate", arguments, 0...1)
        let state = try state(instance)
        guard !state.items.isEmpty else { return .none }
        let count = state.items.count
        let steps = ((values.isEmpty ? 1 : try Native.integer(values[0])) % count + count) % count
        state.items = Array(state.items[(count - steps)...] + state.items[..<(count - steps)])
        return .none
      },
      "clear": Native.method { instance, _, _ throws(RuntimeError) in
        try state(instance).items = []
        return .none
      },
      "reverse": Native.method { instance, _, _ throws(RuntimeError) in
        try state(instance).items.reverse()
        return .none
      },
      "count": Native.method { instance, arguments, _ throws(RuntimeError) in
        let value = try Native.expect("count", arguments, 1...1)[0]
        var count = 0
        for item in try state(instance).items where try PyValue.equal(item, value) { count += 1 }
        return .int(count)
      },
      "index": Native.method { instance, arguments, context throws(RuntimeError) in
        let value = try Native.expect("index", arguments, 1...1)[0]
        for (index, item) in try state(instance).items.enumerated() where try PyValue.equal(item, value) {
          return .int(index)
        }
        throw .valueError("\(try Native.repr(value, context)) is not in deque")
      },
      "remove": Native.method { instance, arguments, context throws(RuntimeError) in
        let value = try Native.expect("remove", arguments, 1...1)[0]
        let state = try state(instance)
        for (index, item) in state.items.enumerated() where try PyValue.equal(item, value) {
          state.items.remove(at: index)
          return .none
        }
        throw .valueError("\(try Native.repr(value, context)) is not in deque")
      },
      "copy": Native.method { instance, _, _ throws(RuntimeError) in
        let state = try state(instance)
        let copy = PyInstance(instance.cls)
        copy.native = State(state.items, maxlen: state.maxlen)
        return .object(copy)
      },
      "__len__": Native.method { instance, _, _ throws(RuntimeError) in .int(try state(instance).items.count) },
      "__iter__": Native.method { instance, _, _ throws(RuntimeError) in
        Native.lazy("_collections._deque_iterator", Itertools.arrayIterator(try state(instance).items))
      },
      "__contains__": Native.method { instance, arguments, _ throws(RuntimeError) in
        let value = try Native.expect("__contains__", arguments, 1...1)[0]
        for item in try state(instance).items where try PyValue.equal(item, value) { return .bool(true) }
        return .bool(false)
      },
      "__getitem__": Native.method { instance, arguments, _ throws(RuntimeError) in
        let items = try state(instance).items
        return items[try position(try Native.expect("__getitem__", arguments, 1...1)[0], items.count)]
      },
      "__setitem__": Native.method { instance, arguments, _ throws(RuntimeError) in
        let values = try Native.expect("__setitem__", arguments, 2...2)
        let state = try state(instance)
        state.items[try position(values[0], state.items.count)] = values[1]
        return .none
      },
      "__eq__": Native.method { instance, arguments, context throws(RuntimeError) in
        guard case let .object(other as PyInstance)? = arguments.positional.first, let theirs = other.native as? State
        else { return .object(context.interpreter.types.notImplemented) }
        return try PyValue.compare(
          .equal, .list(PyList(try state(instance).items)), .list(PyList(theirs.items)), context: context)
      },
      "__repr__": Native.method { instance, _, context throws(RuntimeError) in
        let state = try state(instance)
        var parts: [String] = []
        for item in state.items { parts.append(try Native.repr(item, context)) }
        let bound = state.maxlen.map { ", maxlen=\($0)" } ?? ""
        return .string("\(instance.cls.name)([\(parts.joined(separator: ", "))]\(bound))")
      },
    ]
    return cls.make(interpreter)
  }

  /// A deque index, checked as CPython checks it.
  private static func position(_ index: PyValue, _ count: Int) throws(RuntimeError) -> Int {
    let i: Int
    switch index {
    case .int, .bool: i = try Native.integer(index)
    default: throw .typeError("sequence index must be integer, not '\(index.typeName)'")
    }
    let resolved = i < 0 ? i + count : i
    guard resolved >= 0, resolved < count else { throw .exception("IndexError", "deque index out of range") }
    return resolved
  }

  /// A one-argument mutating method.
  private static func mutate(_ body: @escaping (State, PyValue) -> Void) -> NativeMethod {
    Native.method { instance, arguments, _ throws(RuntimeError) in
      body(try state(instance), try Native.expect("append", arguments, 1...1)[0])
      return .none
    }
  }
}
