import PythonSyntax

/// Assignment targets: names into their slot or cell, attributes, items, and tuples unpacked.
extension Compiler {
  /// Compiles an assignment target.
  func store(_ target: Expr) -> CompiledStore {
    let at = target.start
    switch target.kind {
    case let .name(name):
      return storeName(name)
    case let .attribute(base, name):
      let (base, plain, key, cache) = (expression(base), !name.isDunder, AttributeName(name), ClassLookupCache())
      return { interpreter, scope, value throws(RuntimeError) in
        let object = try base(interpreter, scope)
        try Compiler.setAttribute(interpreter, object, key, value, plain: plain, cache: cache, at: at)
      }
    case let .subscript(base, index):
      let (base, index) = (expression(base), sliceOrExpression(index))
      return { interpreter, scope, value throws(RuntimeError) in
        let container = try base(interpreter, scope)
        let key = try index(interpreter, scope)
        if case let .list(list) = container, case let .int(position) = key, position >= 0,
          position < list.items.count
        {
          list.items[position] = value
          return
        }
        try interpreter.setItem(container, key, value, at: at)
      }
    case let .tuple(items), let .list(items):
      guard !items.contains(where: \.isStarred) else { break }
      let stores = items.map(store)
      return { interpreter, scope, value throws(RuntimeError) in
        guard case let .tuple(values) = value, values.count == stores.count else {
          return try interpreter.assign(value, to: target, in: scope)
        }
        for (store, item) in zip(stores, values) { try store(interpreter, scope, item) }
      }
    default: break
    }
    return { interpreter, scope, value throws(RuntimeError) in try interpreter.assign(value, to: target, in: scope) }
  }

  /// Binds a name where it lives.
  func storeName(_ name: String) -> CompiledStore {
    switch storePlace(of: name) {
    case let .local(slot)?:
      return { _, scope, value throws(RuntimeError) in scope.slots[slot] = value }
    case let .enclosing(depth, slot)?:
      return { _, scope, value throws(RuntimeError) in Compiler.ancestor(of: scope, depth).slots[slot] = value }
    case let .global(cell, _)?:
      return { _, _, value throws(RuntimeError) in cell.value = value }
    case .dynamic?, nil:
      return { _, scope, value throws(RuntimeError) in try scope.assign(name, value) }
    }
  }

  /// `object.name = value`. A program instance's attribute that is not a dunder (`plain`) is
  /// set directly when its class has no property of that name and it is not an exception.
  @inline(__always)
  static func setAttribute(
    _ interpreter: Interpreter, _ object: PyValue, _ name: AttributeName, _ value: PyValue, plain: Bool,
    cache: ClassLookupCache, at: SourcePosition
  ) throws(RuntimeError) {
    guard plain, let instance = programInstance(object) else {
      return try interpreter.setAttribute(object, name.name, value, at: at)
    }
    if instance.exception == nil, !(cache.lookup(instance.cls, name.name)?.isProperty ?? false) {
      return instance.attributes.set(value, name)
    }
    try interpreter.setInstanceAttribute(instance, name.name, value, at: at)
  }
}

extension PyValue {
  /// Whether this is a property object (whose setter an attribute assignment goes through).
  var isProperty: Bool {
    if case .object(is PyProperty) = self { true } else { false }
  }
}
