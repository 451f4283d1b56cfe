/// `dict.keys()`, `dict.values()` and `dict.items()`: live views of a dict. Keys and items
/// views test membership by hash and take part in set operators, as in CPython.
public final class PyDictView: PyObject {
  /// Which view this is.
  public enum Kind: String, Sendable {
    case keys, values, items
  }

  let dict: PyDict
  let kind: Kind

  init(_ dict: PyDict, _ kind: Kind) {
    self.dict = dict
    self.kind = kind
  }

  public var typeName: String { "dict_\(kind.rawValue)" }

  /// The view's elements in the dict's order.
  var elements: [PyValue] {
    switch kind {
    case .keys: dict.keys
    case .values: dict.values
    case .items: dict.entries.map { .tuple([$0.key, $0.value]) }
    }
  }

  public func repr() -> String { "\(typeName)([\(elements.map(\.repr).joined(separator: ", "))])" }
  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] { elements }
  public func length(context: CallContext) throws(RuntimeError) -> Int { dict.count }
  public func truthValue(context: CallContext) throws(RuntimeError) -> Bool { dict.count > 0 }

  /// `x in view`: a key lookup for keys and items views, `==` along the values.
  func contains(_ item: PyValue, context: CallContext) throws(RuntimeError) -> Bool {
    switch kind {
    case .keys: return try dict.contains(item)
    case .items:
      guard case let .tuple(pair) = item, pair.count == 2, let value = try dict.value(for: pair[0]) else {
        return false
      }
      return try PyValue.equal(value, pair[1])
    case .values:
      for value in dict.values where try PyValue.equal(value, item) { return true }
      return false
    }
  }

  /// The view as a set, for the set operators of keys and items views.
  private func asSet() throws(RuntimeError) -> PySet? {
    kind == .values ? nil : try PySet(items: elements)
  }

  /// Keys and items views equal sets (and views) with the same elements; values views
  /// compare by identity.
  func equals(_ other: PyValue) throws(RuntimeError) -> Bool {
    if case let .object(view as PyDictView) = other, view === self { return true }
    guard let mine = try asSet() else { return false }
    switch other {
    case let .object(set as PySet): return try mine.equals(set)
    case let .object(view as PyDictView):
      guard let theirs = try view.asSet() else { return false }
      return try mine.equals(theirs)
    default: return false
    }
  }

  public func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext)
    throws(RuntimeError) -> PyValue?
  {
    guard op.isBitwise || op == .subtract, let mine = try asSet() else { return nil }
    let operand: PyValue
    switch other {
    case .object(is PySet): operand = other
    case let .object(view as PyDictView):
      guard let set = try view.asSet() else { return nil }
      operand = .object(set)
    default:
      // A view takes any iterable on either side of a set operator.
      operand = .object(try PySet.make(other, frozen: false, context: context))
    }
    let (lhs, rhs): (PySet, PyValue) = reflected ? (PySet.of(operand)!, .object(mine)) : (mine, operand)
    return try lhs.binary(op, rhs, reflected: false, context: context)
  }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if kind != .values, name == "isdisjoint" {
      return .builtin(
        BuiltinFunction(name) { arguments, context throws(RuntimeError) in
          let other = try arguments.bind("isdisjoint", [.required("other")])["other"]
          guard let mine = try self.asSet() else { return .bool(true) }
          return .bool(try mine.isDisjoint(with: try PySet.make(other, frozen: false, context: context)))
        })
    }
    throw .exception("AttributeError", "'\(typeName)' object has no attribute '\(name)'")
  }
}
