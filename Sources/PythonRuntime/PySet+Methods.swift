/// The methods of `set` and `frozenset`, as attributes of a set object.
extension PySet {
  /// The methods only a `set` has (they mutate it).
  static let mutatingMethods: Set<String> = [
    "add", "discard", "remove", "pop", "clear", "update", "intersection_update", "difference_update",
    "symmetric_difference_update",
  ]

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    guard !(isFrozen && Self.mutatingMethods.contains(name)), let method = method(name) else {
      throw .exception("AttributeError", "'\(typeName)' object has no attribute '\(name)'")
    }
    return .builtin(method)
  }

  /// A set argument for `issubset` and friends: the set itself, or one made of the iterable.
  private func operand(_ value: PyValue, context: CallContext) throws(RuntimeError) -> PySet {
    if let set = Self.of(value) { return set }
    return try Self.make(value, frozen: false, context: context)
  }

  private func method(_ name: String) -> BuiltinFunction? {
    func one(_ body: @escaping (PyValue, CallContext) throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name) { arguments, context throws(RuntimeError) in
        try body(try arguments.bind(name, [.required("object")])["object"], context)
      }
    }
    /// A method taking any number of iterables (`union(*others)`), each applied in turn.
    func many(_ body: @escaping ([PyValue], CallContext) throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name) { arguments, context throws(RuntimeError) in
        guard arguments.keywords.isEmpty else {
          throw .typeError("\(self.typeName).\(name)() takes no keyword arguments")
        }
        return try body(arguments.positional, context)
      }
    }
    func none(_ body: @escaping () throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name) { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind(name, [])
        return try body()
      }
    }
    switch name {
    case "add":
      return one { item, _ throws(RuntimeError) in
        try self.add(item)
        return .none
      }
    case "discard":
      return one { item, _ throws(RuntimeError) in
        try self.discard(item)
        return .none
      }
    case "remove":
      return one { item, context throws(RuntimeError) in
        guard try self.discard(item) else { throw context.interpreter.keyError(item) }
        return .none
      }
    case "pop":
      return BuiltinFunction(name) { arguments, context throws(RuntimeError) in
        _ = try arguments.bind(name, [])
        guard let item = self.pop() else { throw context.interpreter.keyError(.string("pop from an empty set")) }
        return item
      }
    case "clear":
      return none {
        self.removeAll()
        return .none
      }
    case "copy": return none { () throws(RuntimeError) in .object(try self.copy()) }
    case "update":
      return many { others, context throws(RuntimeError) in
        for other in others { try self.update(with: other, context: context) }
        return .none
      }
    case "union":
      return many { others, context throws(RuntimeError) in
        let result = try self.copy()
        for other in others { try result.update(with: other, context: context) }
        return .object(result)
      }
    case "intersection", "intersection_update":
      return many { others, context throws(RuntimeError) in
        guard !others.isEmpty else { return name == "intersection" ? .object(try self.copy()) : .none }
        var result = self
        for other in others { result = try result.intersection(other, context: context) }
        guard name == "intersection_update" else { return .object(result) }
        self.replaceContents(with: result)
        return .none
      }
    case "difference":
      return many { others, context throws(RuntimeError) in
        guard let first = others.first else { return .object(try self.copy()) }
        let result = try self.difference(first, context: context)
        for other in others.dropFirst() { try result.differenceUpdate(other, context: context) }
        return .object(result)
      }
    case "difference_update":
      return many { others, context throws(RuntimeError) in
        for other in others { try self.differenceUpdate(other, context: context) }
        return .none
      }
    case "symmetric_difference":
      return one { other, context throws(RuntimeError) in .object(try self.symmetricDifference(other, context: context))
      }
    case "symmetric_difference_update":
      return one { other, context throws(RuntimeError) in
        try self.symmetricDifferenceUpdate(other, context: context)
        return .none
      }
    case "issubset":
      return one { other, context throws(RuntimeError) in
        .bool(try self.isSubset(of: try self.operand(other, context: context)))
      }
    case "issuperset":
      return one { other, context throws(RuntimeError) in
        .bool(try self.operand(other, context: context).isSubset(of: self))
      }
    case "isdisjoint":
      return one { other, context throws(RuntimeError) in
        .bool(try self.isDisjoint(with: try self.operand(other, context: context)))
      }
    default: return nil
    }
  }
}
