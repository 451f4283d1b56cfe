/// The methods of `dict`.
extension PyValue {
  /// `dict.update(other)`'s first argument: a dict's entries, or an iterable of pairs.
  static func updateDict(_ dict: PyDict, from source: PyValue, context: CallContext) throws(RuntimeError) {
    if case let .dict(other) = source {
      for (key, value) in other.entries { try dict.set(value, for: key) }
      return
    }
    var index = 0
    try context.interpreter.forEach(source, at: context.location) { item throws(RuntimeError) in
      let pair: [PyValue]
      switch item {
      case let .tuple(items): pair = items
      case let .list(list): pair = list.items
      case .string, .dict, .object: pair = try context.interpreter.iterate(item, at: context.location)
      default:
        throw .typeError("cannot convert dictionary update sequence element #\(index) to a sequence")
      }
      guard pair.count == 2 else {
        throw .valueError("dictionary update sequence element #\(index) has length \(pair.count); 2 is required")
      }
      try dict.set(pair[1], for: pair[0])
      index += 1
      return true
    }
  }

  /// `dict.fromkeys(iterable, value=None)`.
  static func dictFromKeys() -> BuiltinFunction {
    BuiltinFunction("fromkeys") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("fromkeys", [.required("iterable"), .optional("value")])
      let dict = PyDict()
      try context.interpreter.forEach(bound["iterable"], at: context.location) { key throws(RuntimeError) in
        try dict.set(bound["value"], for: key)
        return true
      }
      return .dict(dict)
    }
  }

  /// `dict.<name>`, bound to `dict`.
  static func dictMethod(_ dict: PyDict, _ name: String) -> BuiltinFunction? {
    func method(_ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name, body)
    }
    func view(_ kind: PyDictView.Kind) -> BuiltinFunction {
      method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind(name, [])
        return .object(PyDictView(dict, kind))
      }
    }
    switch name {
    case "keys": return view(.keys)
    case "values": return view(.values)
    case "items": return view(.items)
    case "get":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("get", [.required("key"), .optional("default")])
        return try dict.value(for: bound["key"]) ?? bound["default"]
      }
    case "setdefault":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("setdefault", [.required("key"), .optional("default")])
        if let value = try dict.value(for: bound["key"]) { return value }
        try dict.set(bound["default"], for: bound["key"])
        return bound["default"]
      }
    case "update":
      return method { arguments, context throws(RuntimeError) in
        guard arguments.positional.count <= 1 else {
          throw .typeError("update expected at most 1 argument, got \(arguments.positional.count)")
        }
        if let source = arguments.positional.first { try updateDict(dict, from: source, context: context) }
        for (key, value) in arguments.keywords { try dict.set(value, for: .string(key)) }
        return .none
      }
    case "pop":
      return method { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("pop", [.required("key"), .optional("default")])
        if let value = try dict.remove(bound["key"]) { return value }
        guard arguments.positional.count > 1 || arguments.keywords.contains(where: { $0.name == "default" }) else {
          throw context.interpreter.keyError(bound["key"])
        }
        return bound["default"]
      }
    case "popitem":
      return method { arguments, context throws(RuntimeError) in
        _ = try arguments.bind("popitem", [])
        guard let (key, value) = dict.removeLast() else {
          throw context.interpreter.keyError(.string("popitem(): dictionary is empty"))
        }
        return .tuple([key, value])
      }
    case "copy":
      return method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind("copy", [])
        return .dict(dict.copy())
      }
    case "clear":
      return method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind("clear", [])
        dict.removeAll()
        return .none
      }
    case "fromkeys": return dictFromKeys()
    default: return nil
    }
  }
}
