import PythonSyntax

/// Assignment targets (with `*target` unpacking and slice assignment), `:=`, and `del`.
extension Interpreter {
  /// Binds `value` to an assignment target, unpacking tuples and lists.
  func assign(_ value: PyValue, to target: Expr, in scope: Scope) throws(RuntimeError) {
    switch target.kind {
    case let .name(name):
      try scope.assign(name, value)
    case let .tuple(targets), let .list(targets):
      let values = try unpacked(value, into: targets, at: target.start)
      for (item, value) in zip(targets, values) { try assign(value, to: item, in: scope) }
    case let .starred(inner):
      try assign(value, to: inner, in: scope)
    case let .attribute(base, name):
      try setAttribute(try evaluate(base, in: scope), name, value, at: target.start)
    case let .subscript(base, index):
      let container = try evaluate(base, in: scope)
      let key = try evaluate(index, in: scope)
      try setItem(container, key, value, at: target.start)
    default:
      throw RuntimeError(.exception(type: "SyntaxError", message: "cannot assign to expression"), at: target.start)
    }
  }

  /// The values for each of `targets`: exactly one per target, or, with a `*target`, the
  /// surplus gathered in a list at its place; CPython's errors for wrong counts.
  private func unpacked(_ value: PyValue, into targets: [Expr], at location: SourcePosition) throws(RuntimeError)
    -> [PyValue]
  {
    switch value {
    case .none, .bool, .int, .float, .function, .builtin:
      throw RuntimeError(
        .exception(type: "TypeError", message: "cannot unpack non-iterable \(value.typeName) object"), at: location)
    default: break
    }
    let values = try iterate(value, at: location)
    guard let star = targets.firstIndex(where: { if case .starred = $0.kind { true } else { false } }) else {
      guard values.count == targets.count else {
        throw RuntimeError(
          .exception(
            type: "ValueError",
            message: values.count > targets.count
              ? "too many values to unpack (expected \(targets.count))"
              : "not enough values to unpack (expected \(targets.count), got \(values.count))"),
          at: location)
      }
      return values
    }
    let after = targets.count - star - 1
    guard values.count >= targets.count - 1 else {
      throw RuntimeError(
        .exception(
          type: "ValueError",
          message: "not enough values to unpack (expected at least \(targets.count - 1), got \(values.count))"),
        at: location)
    }
    let gathered = PyValue.list(PyList(Array(values[star..<(values.count - after)])))
    return Array(values[..<star]) + [gathered] + Array(values[(values.count - after)...])
  }

  /// `name := value`: binds in the nearest scope that is not a comprehension's.
  func assignNamed(_ name: String, _ value: PyValue, in scope: Scope) throws(RuntimeError) {
    var target = scope
    while target.isComprehension, let parent = target.parent { target = parent }
    try target.assign(name, value)
  }

  /// `container[index] = value`, slices of lists included.
  func setItem(_ container: PyValue, _ index: PyValue, _ value: PyValue, at location: SourcePosition)
    throws(RuntimeError)
  {
    switch container {
    case let .list(list):
      if let slice = index.object(as: PySlice.self) { return try assignSlice(list, slice, value, at: location) }
      let position = try listPosition(list, index, "list assignment index out of range")
      list.items[position] = value
    case let .dict(dict):
      try dict.set(value, for: index)
    case let .object(instance as PyInstance):
      let context = CallContext(interpreter: self, location: location)
      guard try instance.dunder("__setitem__", [index, value], context: context) != nil else {
        throw .typeError("'\(instance.cls.name)' object does not support item assignment")
      }
    case .object:
      throw .unsupported("item assignment on '\(container.typeName)' objects")
    default:
      throw .typeError("'\(container.typeName)' object does not support item assignment")
    }
  }

  /// The position an int index names in a list, or IndexError with `message`.
  private func listPosition(_ list: PyList, _ index: PyValue, _ message: String) throws(RuntimeError) -> Int {
    let i: Int
    switch index {
    case let .int(value): i = value
    case let .bool(flag): i = flag ? 1 : 0
    default: throw .typeError("list indices must be integers or slices, not \(index.typeName)")
    }
    let position = i < 0 ? i + list.items.count : i
    guard list.items.indices.contains(position) else { throw .exception("IndexError", message) }
    return position
  }

  /// `list[a:b] = iterable` (any length) and `list[a:b:c] = iterable` (the same length).
  private func assignSlice(_ list: PyList, _ slice: PySlice, _ value: PyValue, at location: SourcePosition)
    throws(RuntimeError)
  {
    let (start, stop, step) = try slice.adjusted(count: list.items.count)
    if step == 1 {
      guard isIterable(value) else { throw .typeError("can only assign an iterable") }
      let items = try iterate(value, at: location)
      list.items.replaceSubrange(start..<max(start, stop), with: items)
      return
    }
    guard isIterable(value) else { throw .typeError("must assign iterable to extended slice") }
    let items = try iterate(value, at: location)
    let positions = Array(Swift.stride(from: start, to: stop, by: step))
    guard items.count == positions.count else {
      throw .valueError(
        "attempt to assign sequence of size \(items.count) to extended slice of size \(positions.count)")
    }
    for (position, item) in zip(positions, items) { list.items[position] = item }
  }

  /// Whether a value can be iterated (for the errors of slice assignment).
  private func isIterable(_ value: PyValue) -> Bool {
    switch value {
    case .none, .bool, .int, .float, .function, .builtin: false
    default: true
    }
  }

  // MARK: - del

  /// `del target`: unbinds a name, deletes an item or slice, or an attribute.
  func delete(_ target: Expr, in scope: Scope) throws(RuntimeError) {
    switch target.kind {
    case let .name(name):
      guard scope.delete(name) else {
        if scope.isLocal(name) {
          throw RuntimeError(
            .exception(
              type: "UnboundLocalError",
              message: "cannot access local variable '\(name)' where it is not associated with a value"),
            at: target.start)
        }
        throw RuntimeError(.exception(type: "NameError", message: "name '\(name)' is not defined"), at: target.start)
      }
    case let .tuple(items), let .list(items):
      for item in items { try delete(item, in: scope) }
    case let .subscript(base, index):
      try deleteItem(try evaluate(base, in: scope), try evaluate(index, in: scope), at: target.start)
    case let .attribute(base, name):
      try deleteAttribute(try evaluate(base, in: scope), name, at: target.start)
    default:
      throw RuntimeError(.exception(type: "SyntaxError", message: "cannot delete expression"), at: target.start)
    }
  }

  /// `del container[index]`.
  private func deleteItem(_ container: PyValue, _ index: PyValue, at location: SourcePosition) throws(RuntimeError) {
    switch container {
    case let .list(list):
      guard let slice = index.object(as: PySlice.self) else {
        list.items.remove(at: try listPosition(list, index, "list assignment index out of range"))
        return
      }
      let (start, stop, step) = try slice.adjusted(count: list.items.count)
      if step == 1 {
        list.items.removeSubrange(start..<max(start, stop))
      } else {
        let doomed = Set(Swift.stride(from: start, to: stop, by: step))
        list.items = list.items.indices.filter { !doomed.contains($0) }.map { list.items[$0] }
      }
    case let .dict(dict):
      guard try dict.remove(index) != nil else { throw keyError(index) }
    case let .object(instance as PyInstance):
      let context = CallContext(interpreter: self, location: location)
      guard try instance.dunder("__delitem__", [index], context: context) != nil else {
        throw .typeError("'\(instance.cls.name)' object doesn't support item deletion")
      }
    case .object(is PySet), .tuple, .string:
      throw .typeError("'\(container.typeName)' object doesn't support item deletion")
    case .object:
      throw .unsupported("item deletion on '\(container.typeName)' objects")
    default:
      throw .typeError("'\(container.typeName)' object doesn't support item deletion")
    }
  }

  /// `del object.name`: a class's `__delattr__`, else the instance's (or class's) own attribute.
  private func deleteAttribute(_ object: PyValue, _ name: String, at location: SourcePosition) throws(RuntimeError) {
    try checkDunder(name, on: object, at: location)
    if case let .object(instance as PyInstance) = object {
      if let method = instance.cls.lookupDefined("__delattr__") {
        _ = try callMethod(method, on: object, Arguments([.string(name)]), at: location)
        return
      }
      guard instance.attributes.removeValue(forKey: name) != nil else {
        throw .exception("AttributeError", "'\(instance.cls.name)' object has no attribute '\(name)'")
      }
      return
    }
    if let type = asType(object) {
      guard !type.isBuiltin else {
        throw .typeError("cannot delete '\(name)' attribute of immutable type '\(type.name)'")
      }
      guard type.attributes.removeValue(forKey: name) != nil else {
        throw .exception("AttributeError", "type object '\(type.qualifiedName)' has no attribute '\(name)'")
      }
      return
    }
    if case .object = object { throw .unsupported("deleting attributes of '\(object.typeName)' objects") }
    throw .exception("AttributeError", "'\(object.typeName)' object has no attribute '\(name)'")
  }
}

extension Scope {
  /// Whether this is a comprehension's scope (neither a function call, a class body, the
  /// module nor the builtins): `:=` inside binds in the scope around it.
  var isComprehension: Bool { function == nil && classBody == nil && parent?.parent != nil }
}

extension Interpreter {
  /// `target op= value` for the types that update in place — list `+=` (any iterable) and
  /// `*=`, set `|=`, `&=`, `-=`, `^=`, dict `|=` — returning the updated object; nil when
  /// the plain operator applies.
  func inPlace(_ op: BinaryOperator, _ current: PyValue, _ operand: PyValue, at location: SourcePosition)
    throws(RuntimeError) -> PyValue?
  {
    let context = CallContext(interpreter: self, location: location)
    switch (op, current) {
    case let (.add, .list(list)):
      list.items += try iterate(operand, at: location)
      return current
    case let (.multiply, .list(list)):
      guard case let .list(repeated) = try PyValue.binary(.multiply, current, operand, context: context) else {
        return nil
      }
      list.items = repeated.items
      return current
    case let (.bitOr, .dict(dict)):
      try PyValue.updateDict(dict, from: operand, context: context)
      return current
    case let (_, .object(set as PySet)):
      return try set.inPlace(PythonOperator(op), operand, context: context)
    case let (_, .object(instance as PyInstance)):
      return try instance.inPlace(PythonOperator(op), operand, context: context)
    default:
      return nil
    }
  }
}
