/// The set algebra of `set` and `frozenset`, following `setobject.c` step for step (which set
/// is iterated, when a result is copied, when dummies are resized away), so that results
/// iterate in CPython's order.
extension PySet {
  /// The set a value is, when it is a `set` or `frozenset`.
  static func of(_ value: PyValue) -> PySet? { value.object(as: PySet.self) }

  /// A new empty set of this set's kind (`set` or `frozenset`).
  func emptyLike() -> PySet { PySet(frozen: isFrozen) }

  /// `set_update_internal`: a set merges, a dict merges its keys, any other iterable adds its items.
  func update(with other: PyValue, context: CallContext) throws(RuntimeError) {
    switch other {
    case let .object(set as PySet): try merge(set)
    case let .dict(dict): try merge(dict)
    default:
      try context.interpreter.forEach(other, at: context.location) { item throws(RuntimeError) in
        try add(item)
        return true
      }
    }
  }

  /// A set made from any iterable (`make_new_set`).
  static func make(_ iterable: PyValue, frozen: Bool, context: CallContext) throws(RuntimeError) -> PySet {
    let result = PySet(frozen: frozen)
    try result.update(with: iterable, context: context)
    return result
  }

  /// `set_intersection`: iterates the smaller set (or the iterable) and keeps what the other holds.
  func intersection(_ other: PyValue, context: CallContext) throws(RuntimeError) -> PySet {
    let result = emptyLike()
    if let otherSet = Self.of(other) {
      if otherSet === self { return try copy() }
      let (larger, smaller) = otherSet.count > count ? (otherSet, self) : (self, otherSet)
      for (key, hash) in smaller.entries where try larger.lookup(key, hash: hash) != nil {
        try result.add(key, hash: hash)
      }
      return result
    }
    try context.interpreter.forEach(other, at: context.location) { item throws(RuntimeError) in
      let hash = try item.pythonHash()
      if try lookup(item, hash: hash) != nil { try result.add(item, hash: hash) }
      return true
    }
    return result
  }

  /// `set_difference`: copy-and-discard when the other is an iterable or much smaller, else
  /// the items of this set that the other lacks.
  func difference(_ other: PyValue, context: CallContext) throws(RuntimeError) -> PySet {
    let otherSize: Int
    switch other {
    case let .object(set as PySet): otherSize = set.count
    case let .dict(dict): otherSize = dict.count
    default: return try copyAndDifference(other, context: context)
    }
    if (count >> 2) > otherSize { return try copyAndDifference(other, context: context) }
    let result = emptyLike()
    for (key, hash) in entries {
      let present: Bool
      if case let .dict(dict) = other {
        present = try dict.contains(key)
      } else {
        present = try Self.of(other)!.lookup(key, hash: hash) != nil
      }
      if !present { try result.add(key, hash: hash) }
    }
    return result
  }

  private func copyAndDifference(_ other: PyValue, context: CallContext) throws(RuntimeError) -> PySet {
    let result = try copy()
    try result.differenceUpdate(other, context: context)
    return result
  }

  /// `set_difference_update_internal`: discards the other's items, then resizes when more
  /// than a quarter of the table is dummies.
  func differenceUpdate(_ other: PyValue, context: CallContext) throws(RuntimeError) {
    if Self.of(other) === self {
      removeAll()
      return
    }
    if var otherSet = Self.of(other) {
      if (otherSet.count >> 3) > count { otherSet = try intersection(other, context: context) }
      for (key, hash) in otherSet.entries { _ = try discard(key, hash: hash) }
    } else {
      try context.interpreter.forEach(other, at: context.location) { item throws(RuntimeError) in
        _ = try discard(item)
        return true
      }
    }
    purgeDummies()
  }

  /// `set_symmetric_difference_update`: each item of the other is discarded when present,
  /// added when absent.
  func symmetricDifferenceUpdate(_ other: PyValue, context: CallContext) throws(RuntimeError) {
    if Self.of(other) === self {
      removeAll()
      return
    }
    var otherSet: PySet
    if let set = Self.of(other) {
      otherSet = set
    } else {
      otherSet = try Self.make(other, frozen: isFrozen, context: context)
    }
    for (key, hash) in otherSet.entries where !(try discard(key, hash: hash)) { try add(key, hash: hash) }
  }

  /// `set_symmetric_difference`: a copy of the other, updated with this set.
  func symmetricDifference(_ other: PyValue, context: CallContext) throws(RuntimeError) -> PySet {
    let result = try Self.make(other, frozen: isFrozen, context: context)
    try result.symmetricDifferenceUpdate(.object(self), context: context)
    return result
  }

  /// Whether every item is in `other`.
  func isSubset(of other: PySet) throws(RuntimeError) -> Bool {
    guard count <= other.count else { return false }
    for (key, hash) in entries where try other.lookup(key, hash: hash) == nil { return false }
    return true
  }

  /// Whether the two sets share no item (the smaller one is iterated).
  func isDisjoint(with other: PySet) throws(RuntimeError) -> Bool {
    let (larger, smaller) = other.count > count ? (other, self) : (self, other)
    for (key, hash) in smaller.entries where try larger.lookup(key, hash: hash) != nil { return false }
    return true
  }

  /// Set equality: the same length and every item of one in the other.
  func equals(_ other: PySet) throws(RuntimeError) -> Bool {
    if other === self { return true }
    return count == other.count ? try isSubset(of: other) : false
  }

  public func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext)
    throws(RuntimeError) -> PyValue?
  {
    guard !reflected, let otherSet = Self.of(other) else { return nil }
    switch op {
    case .bitOr:
      let result = try copy()
      try result.merge(otherSet)
      return .object(result)
    case .bitAnd: return .object(try intersection(other, context: context))
    case .subtract: return .object(try difference(other, context: context))
    case .bitXor: return .object(try symmetricDifference(other, context: context))
    case .lessEqual: return .bool(try isSubset(of: otherSet))
    case .less: return .bool(count < otherSet.count ? try isSubset(of: otherSet) : false)
    case .greaterEqual: return .bool(try otherSet.isSubset(of: self))
    case .greater: return .bool(count > otherSet.count ? try otherSet.isSubset(of: self) : false)
    case .equal: return .bool(try equals(otherSet))
    case .notEqual: return .bool(!(try equals(otherSet)))
    default: return nil
    }
  }

  /// `s |= t`, `s &= t`, `s -= t`, `s ^= t` on a `set`: in place, the set itself returned.
  func inPlace(_ op: PythonOperator, _ other: PyValue, context: CallContext) throws(RuntimeError) -> PyValue? {
    guard !isFrozen, Self.of(other) != nil else { return nil }
    switch op {
    case .bitOr: try update(with: other, context: context)
    case .bitAnd: replaceContents(with: try intersection(other, context: context))
    case .subtract: try differenceUpdate(other, context: context)
    case .bitXor: try symmetricDifferenceUpdate(other, context: context)
    default: return nil
    }
    return .object(self)
  }
}
