/// The methods of `list` and `tuple`.
extension PyValue {
  /// The value of an argument that must be an int (an index, a count, a width).
  static func intArgument(_ value: PyValue) throws(RuntimeError) -> Int {
    switch value {
    case let .int(i): return i
    case let .bool(flag): return flag ? 1 : 0
    default: throw .typeError("'\(value.typeName)' object cannot be interpreted as an integer")
    }
  }

  /// `start` and `end` arguments resolved against a length, as slices clamp them.
  static func bounds(_ start: PyValue, _ end: PyValue, count: Int) throws(RuntimeError) -> Range<Int> {
    func resolve(_ value: PyValue, _ defaultValue: Int) throws(RuntimeError) -> Int {
      if case .none = value { return defaultValue }
      let i = try intArgument(value)
      return i < 0 ? max(0, i + count) : min(i, count)
    }
    let lower = try resolve(start, 0)
    let upper = try resolve(end, count)
    return lower..<max(lower, upper)
  }

  /// `list.<name>`, bound to `list`.
  static func listMethod(_ list: PyList, _ name: String) -> BuiltinFunction? {
    func method(_ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name, body)
    }
    switch name {
    case "append":
      return method { arguments, _ throws(RuntimeError) in
        list.items.append(try arguments.bind("append", [.required("object")])["object"])
        return .none
      }
    case "extend":
      return method { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("extend", [.required("iterable")])
        list.items += try context.interpreter.iterate(bound["iterable"], at: context.location)
        return .none
      }
    case "insert":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("insert", [.required("index"), .required("object")])
        let index = try intArgument(bound["index"])
        let count = list.items.count
        list.items.insert(bound["object"], at: index < 0 ? max(0, index + count) : min(index, count))
        return .none
      }
    case "remove":
      return method { arguments, _ throws(RuntimeError) in
        let value = try arguments.bind("remove", [.required("value")])["value"]
        for (index, item) in list.items.enumerated() where try equal(item, value) {
          list.items.remove(at: index)
          return .none
        }
        throw .valueError("list.remove(x): x not in list")
      }
    case "index":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("index", [.required("value"), .optional("start"), .optional("stop")])
        for index in try bounds(bound["start"], bound["stop"], count: list.items.count)
        where try equal(list.items[index], bound["value"]) {
          return .int(index)
        }
        throw .valueError("\(bound["value"].repr) is not in list")
      }
    case "count":
      return method { arguments, _ throws(RuntimeError) in
        let value = try arguments.bind("count", [.required("value")])["value"]
        var total = 0
        for item in list.items where try equal(item, value) { total += 1 }
        return .int(total)
      }
    case "pop":
      return method { arguments, _ throws(RuntimeError) in
        let index = try intArgument(try arguments.bind("pop", [.optional("index", .int(-1))])["index"])
        guard !list.items.isEmpty else { throw .exception("IndexError", "pop from empty list") }
        let position = index < 0 ? index + list.items.count : index
        guard list.items.indices.contains(position) else { throw .exception("IndexError", "pop index out of range") }
        return list.items.remove(at: position)
      }
    case "copy":
      return method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind("copy", [])
        return .list(PyList(list.items))
      }
    case "clear":
      return method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind("clear", [])
        list.items.removeAll()
        return .none
      }
    case "reverse":
      return method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind("reverse", [])
        list.items.reverse()
        return .none
      }
    case "sort":
      return method { arguments, context throws(RuntimeError) in
        guard arguments.positional.isEmpty else { throw .typeError("sort() takes no positional arguments") }
        let bound = try Builtins.sortArguments(arguments.keywords)
        let reverse = try context.interpreter.truthValue(bound["reverse"], at: context.location)
        let items = list.items
        // CPython empties the list while sorting; a key function that looks at it sees [].
        list.items = []
        defer { if list.items.isEmpty { list.items = items } }
        let sorted = try Sorting.sorted(items, key: bound["key"], reverse: reverse, context: context)
        list.items = sorted
        return .none
      }
    default: return nil
    }
  }

  /// `tuple.<name>`, bound to the tuple's items.
  static func tupleMethod(_ items: [PyValue], _ name: String) -> BuiltinFunction? {
    switch name {
    case "count":
      return BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
        let value = try arguments.bind("count", [.required("value")])["value"]
        var total = 0
        for item in items where try equal(item, value) { total += 1 }
        return .int(total)
      }
    case "index":
      return BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("index", [.required("value"), .optional("start"), .optional("stop")])
        for index in try bounds(bound["start"], bound["stop"], count: items.count)
        where try equal(items[index], bound["value"]) {
          return .int(index)
        }
        throw .valueError("tuple.index(x): x not in tuple")
      }
    default: return nil
    }
  }
}
