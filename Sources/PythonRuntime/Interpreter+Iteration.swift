import PythonSyntax

/// An iterator over a builtin container or a host object's items, as `iter(x)` returns it.
public final class PyIterator: PyObject {
  /// `list_iterator`, `tuple_iterator`, `generator` …
  public let typeName: String
  private let display: String?
  private let advance: () throws(RuntimeError) -> PyValue?

  init(_ typeName: String, display: String? = nil, _ advance: @escaping () throws(RuntimeError) -> PyValue?) {
    self.typeName = typeName
    self.display = display
    self.advance = advance
  }

  /// The next item, or nil when the iterator is exhausted.
  func next() throws(RuntimeError) -> PyValue? { try advance() }

  /// An iterator over a fixed array of values.
  convenience init(_ typeName: String, items: [PyValue]) {
    var index = 0
    self.init(typeName) { () throws(RuntimeError) -> PyValue? in
      guard index < items.count else { return nil }
      index += 1
      return items[index - 1]
    }
  }

  public func repr() -> String { display ?? "<\(typeName) object>" }

  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    var items: [PyValue] = []
    while let item = try next() {
      items.append(item)
      if items.count > PyValue.maxSequenceLength {
        throw RuntimeError(
          .limitExceeded("an iteration of more than \(PyValue.maxSequenceLength) items exceeds Lockstep's limit"))
      }
    }
    return items
  }
}

extension Interpreter {
  /// `iter(value)`: an iterator object following Python's iterator protocol.
  func makeIterator(_ value: PyValue, at location: SourcePosition) throws(RuntimeError) -> PyValue {
    switch value {
    case let .list(list):
      var index = 0
      return .object(
        PyIterator("list_iterator") { () throws(RuntimeError) -> PyValue? in
          guard index < list.items.count else { return nil }
          index += 1
          return list.items[index - 1]
        })
    case let .tuple(items): return .object(PyIterator("tuple_iterator", items: items))
    case .string: return .object(PyIterator("str_ascii_iterator", items: try iterate(value, at: location)))
    case let .dict(dict): return .object(PyIterator("dict_keyiterator", items: dict.entries.map(\.key)))
    case let .object(iterator as PyIterator): return .object(iterator)
    case let .object(range as PyRange): return .object(range.iterator(reversed: false))
    case let .object(instance as PyInstance):
      let context = CallContext(interpreter: self, location: location)
      guard let iterator = try instance.dunder("__iter__", [], context: context) else {
        if instance.cls.lookupDefined("__getitem__") != nil { return sequenceIterator(instance, context) }
        throw .typeError("'\(instance.cls.name)' object is not iterable")
      }
      let isIterator: Bool
      switch iterator {
      case let .object(result as PyInstance): isIterator = result.cls.lookupDefined("__next__") != nil
      case .object(is PyIterator): isIterator = true
      default: isIterator = false
      }
      guard isIterator else { throw .typeError("iter() returned non-iterator of type '\(iterator.typeName)'") }
      return iterator
    case let .object(object):
      let items = try object.iterate(context: CallContext(interpreter: self, location: location))
      return .object(PyIterator("iterator", items: items))
    default:
      throw .typeError("'\(value.typeName)' object is not iterable")
    }
  }

  /// The old sequence protocol: `__getitem__(0)`, `__getitem__(1)` … until IndexError.
  private func sequenceIterator(_ instance: PyInstance, _ context: CallContext) -> PyValue {
    var index = 0
    return .object(
      PyIterator("iterator") { () throws(RuntimeError) -> PyValue? in
        do throws(RuntimeError) {
          let item = try instance.item(.int(index), context: context)
          index += 1
          return item
        } catch {
          if self.isException(error, "IndexError") || self.isException(error, "StopIteration") { return nil }
          throw error
        }
      })
  }

  /// `next(iterator)`, or nil when it raised StopIteration.
  func next(_ iterator: PyValue, at location: SourcePosition) throws(RuntimeError) -> PyValue? {
    switch iterator {
    case let .object(iterator as PyIterator): return try iterator.next()
    case let .object(instance as PyInstance):
      guard let method = instance.cls.lookupDefined("__next__") else { break }
      do {
        return try callMethod(method, on: iterator, Arguments(), at: location)
      } catch {
        if isException(error, "StopIteration") { return nil }
        throw error
      }
    default: break
    }
    throw .typeError("'\(iterator.typeName)' object is not an iterator")
  }

  /// Whether an error is the Python exception `name` or a subclass of it.
  func isException(_ error: RuntimeError, _ name: String) -> Bool {
    guard case let .exception(type, _) = error.kind else { return false }
    return exceptionType(of: error, named: type).isSubtype(of: types.exception(name))
  }

  /// Runs `body` for each item of a list until it returns false. It walks a snapshot,
  /// refreshed at its end, so items appended while looping are still seen.
  @inline(__always)
  func forEachItem(of list: PyList, _ body: (PyValue) throws(RuntimeError) -> Bool) throws(RuntimeError) {
    var items = list.items
    var index = 0
    while index < items.count || index < list.items.count {
      if index == items.count { items = list.items }
      let item = items[index]
      index += 1
      if !(try body(item)) { return }
    }
  }

  /// Runs `body` for each item `value` yields, lazily, until it returns false.
  func forEach(_ value: PyValue, at location: SourcePosition, _ body: (PyValue) throws(RuntimeError) -> Bool)
    throws(RuntimeError)
  {
    switch value {
    case let .list(list):
      try forEachItem(of: list, body)
    case let .tuple(items):
      for item in items where !(try body(item)) { return }
    case let .object(range as PyRange):
      for index in 0..<range.count where !(try body(.int(range.element(index)))) { return }
    case .object(is PyInstance), .object(is PyIterator):
      let iterator = try makeIterator(value, at: location)
      while let item = try next(iterator, at: location) {
        if !(try body(item)) { return }
      }
    default:
      for item in try iterate(value, at: location) where !(try body(item)) { return }
    }
  }
}

extension Interpreter {
  /// `(element for … in … if …)`: a lazy iterator. The first iterable is evaluated now, as
  /// in Python; the rest, the conditions and the element as items are asked for.
  func generatorExpression(
    element: Expr, clauses: [ComprehensionClause], in scope: Scope, at location: SourcePosition
  ) throws(RuntimeError) -> PyValue {
    guard case let .for(_, firstIterable)? = clauses.first else {
      preconditionFailure("the parser starts every comprehension with a 'for' clause")
    }
    let inner = Scope(parent: scope)
    let forClauses = clauses.indices.filter { if case .for = clauses[$0] { true } else { false } }
    // One iterator per `for` clause entered so far, outermost first.
    var active = [try makeIterator(try evaluate(firstIterable, in: scope), at: firstIterable.start)]
    return .object(
      PyIterator("generator", display: "<generator object <genexpr>>") {
        [unowned self] () throws(RuntimeError) -> PyValue? in
        while let iterator = active.last {
          let level = active.count - 1
          guard case let .for(target, iterable) = clauses[forClauses[level]] else { break }
          guard let item = try self.next(iterator, at: iterable.start) else {
            active.removeLast()
            continue
          }
          try self.step(at: iterable.start)
          try self.assign(item, to: target, in: inner)
          var index = forClauses[level] + 1
          var accepted = true
          while index < clauses.count, case let .if(condition) = clauses[index] {
            if !(try self.truthValue(try self.evaluate(condition, in: inner), at: condition.start)) {
              accepted = false
              break
            }
            index += 1
          }
          guard accepted else { continue }
          guard index < clauses.count, case let .for(_, nested) = clauses[index] else {
            return try self.evaluate(element, in: inner)
          }
          active.append(try self.makeIterator(try self.evaluate(nested, in: inner), at: nested.start))
        }
        return nil
      })
  }
}
