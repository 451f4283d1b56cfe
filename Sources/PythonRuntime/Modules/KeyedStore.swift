/// An insertion-ordered mapping with Python's key equality: the storage of `collections`'
/// dict classes and of `functools.lru_cache`. Keys of plain types (numbers, strings, None and
/// tuples of them) are found through a hash index; other keys by comparing with `==`.
final class KeyedStore {
  /// The keys, in insertion order.
  private(set) var keys: [PyValue] = []
  /// The values, parallel to `keys`.
  private(set) var values: [PyValue] = []
  private var index: [HashKey: [Int]] = [:]
  /// Positions of keys without a `HashKey`, searched with `==`.
  private var unindexed: [Int] = []

  init() {}

  /// The number of entries.
  var count: Int { keys.count }

  /// The entries in order.
  var entries: [(key: PyValue, value: PyValue)] { Array(zip(keys, values)).map { (key: $0.0, value: $0.1) } }

  /// The position of `key`, or nil.
  func position(of key: PyValue) throws(RuntimeError) -> Int? {
    if let hashKey = HashKey(key) {
      for candidate in index[hashKey] ?? [] where try PyValue.equal(keys[candidate], key) { return candidate }
      return nil
    }
    for candidate in unindexed where try PyValue.equal(keys[candidate], key) { return candidate }
    return nil
  }

  /// The value for `key`, or nil.
  func value(for key: PyValue) throws(RuntimeError) -> PyValue? {
    guard let position = try position(of: key) else { return nil }
    return values[position]
  }

  /// Sets the value for `key`, keeping the position of an existing key.
  func set(_ value: PyValue, for key: PyValue) throws(RuntimeError) {
    _ = try key.pythonHash()
    if let position = try position(of: key) {
      values[position] = value
      return
    }
    append(key, value)
  }

  /// Replaces the value at a position.
  func setValue(_ value: PyValue, at position: Int) {
    values[position] = value
  }

  private func append(_ key: PyValue, _ value: PyValue) {
    if let hashKey = HashKey(key) {
      index[hashKey, default: []].append(keys.count)
    } else {
      unindexed.append(keys.count)
    }
    keys.append(key)
    values.append(value)
  }

  /// Removes the entry at a position and returns it.
  @discardableResult
  func remove(at position: Int) -> (key: PyValue, value: PyValue) {
    let entry = (key: keys.remove(at: position), value: values.remove(at: position))
    reindex()
    return entry
  }

  /// Moves the entry at a position to the end (or the front).
  func move(_ position: Int, toEnd: Bool) {
    let (key, value) = (keys.remove(at: position), values.remove(at: position))
    keys.insert(key, at: toEnd ? keys.count : 0)
    values.insert(value, at: toEnd ? values.count : 0)
    reindex()
  }

  /// Removes every entry.
  func removeAll() {
    keys = []
    values = []
    reindex()
  }

  private func reindex() {
    index = [:]
    unindexed = []
    for (position, key) in keys.enumerated() {
      if let hashKey = HashKey(key) { index[hashKey, default: []].append(position) } else { unindexed.append(position) }
    }
  }

  /// A new store with the same entries.
  func copy() -> KeyedStore {
    let store = KeyedStore()
    for (key, value) in zip(keys, values) { store.append(key, value) }
    return store
  }

  /// A new store with the values mapped.
  func mapValues(_ transform: (PyValue) throws(RuntimeError) -> PyValue) throws(RuntimeError) -> KeyedStore {
    let store = KeyedStore()
    for (key, value) in zip(keys, values) { store.append(key, try transform(value)) }
    return store
  }
}

/// A Swift-hashable stand-in for a key of a plain type; keys Python finds equal (`1`, `1.0`,
/// `True`) have equal stand-ins.
private indirect enum HashKey: Hashable {
  case none
  case number(Double)
  case string(String)
  case tuple([HashKey])

  init?(_ value: PyValue) {
    switch value {
    case .none: self = .none
    case let .bool(b): self = .number(b ? 1 : 0)
    case let .int(i): self = .number(Double(i))
    case let .float(f):
      guard !f.isNaN else { return nil }
      self = .number(f)
    case let .string(s): self = .string(s)
    case let .tuple(items):
      var keys: [HashKey] = []
      for item in items {
        guard let key = HashKey(item) else { return nil }
        keys.append(key)
      }
      self = .tuple(keys)
    default: return nil
    }
  }
}
