/// A mutable Python dict: entries in insertion order plus a hash index over them (CPython's
/// compact layout), so that lookup, insertion and deletion take O(1) on average.
public final class PyDict {
  /// One entry; a deleted one keeps its place with hash -1 (no live hash is ever -1).
  struct Entry {
    var key: PyValue
    var value: PyValue
    var hash: Int
  }

  /// The entries in insertion order, deleted ones included until the next rebuild.
  @exclusivity(unchecked) private var storage: [Entry] = []
  /// Open-addressing slots holding an index into `storage`, or `emptySlot` / `deletedSlot`.
  @exclusivity(unchecked) private var index: [Int] = []
  /// The number of live entries.
  @exclusivity(unchecked) public private(set) var count = 0
  /// Bumped by every insertion or deletion, so a lookup whose `__eq__` changed the dict restarts.
  @exclusivity(unchecked) private var version = 0
  private static let emptySlot = -1
  private static let deletedSlot = -2

  /// Makes an empty dict.
  public init() {}

  /// The live entries in insertion order.
  public var entries: [(key: PyValue, value: PyValue)] {
    var result: [(key: PyValue, value: PyValue)] = []
    result.reserveCapacity(count)
    for entry in storage where entry.hash != -1 { result.append((entry.key, entry.value)) }
    return result
  }

  /// Calls `body` with each live entry in insertion order, without copying them out.
  public func forEachEntry<E: Error>(_ body: (_ key: PyValue, _ value: PyValue) throws(E) -> Void) throws(E) {
    for entry in storage where entry.hash != -1 { try body(entry.key, entry.value) }
  }

  /// The keys in insertion order.
  public var keys: [PyValue] {
    var result: [PyValue] = []
    result.reserveCapacity(count)
    for entry in storage where entry.hash != -1 { result.append(entry.key) }
    return result
  }

  /// The values in insertion order.
  public var values: [PyValue] {
    var result: [PyValue] = []
    result.reserveCapacity(count)
    for entry in storage where entry.hash != -1 { result.append(entry.value) }
    return result
  }

  /// The value for a key, compared with Python equality; TypeError for an unhashable key.
  public func value(for key: PyValue) throws(RuntimeError) -> PyValue? {
    guard count > 0 else {
      _ = try key.pythonHash()
      return nil
    }
    guard let found = try find(key, hash: try key.pythonHash()) else { return nil }
    return storage[found.entry].value
  }

  /// Whether the dict has the key.
  public func contains(_ key: PyValue) throws(RuntimeError) -> Bool { try value(for: key) != nil }

  /// Sets or replaces the value for a key (a replaced key keeps its place and first spelling).
  public func set(_ value: PyValue, for key: PyValue) throws(RuntimeError) {
    let hash = try key.pythonHash()
    if let found = try find(key, hash: hash) {
      storage[found.entry].value = value
      return
    }
    append(Entry(key: key, value: value, hash: hash))
  }

  /// Removes a key and returns its value, or nil when it is absent.
  @discardableResult
  public func remove(_ key: PyValue) throws(RuntimeError) -> PyValue? {
    guard count > 0 else {
      _ = try key.pythonHash()
      return nil
    }
    guard let found = try find(key, hash: try key.pythonHash()) else { return nil }
    return delete(slot: found.slot, entry: found.entry)
  }

  /// Removes and returns the last entry inserted (`popitem`), or nil when empty.
  public func removeLast() -> (key: PyValue, value: PyValue)? {
    guard let last = storage.lastIndex(where: { $0.hash != -1 }) else { return nil }
    let entry = storage[last]
    let slot = slotHolding(entry: last, hash: entry.hash)
    _ = delete(slot: slot, entry: last)
    return (entry.key, entry.value)
  }

  /// Removes every entry.
  public func removeAll() {
    storage = []
    index = []
    count = 0
    version += 1
  }

  /// A new dict with the same entries.
  public func copy() -> PyDict {
    let copy = PyDict()
    copy.storage = storage
    copy.index = index
    copy.count = count
    return copy
  }

  /// The slot and entry of a key, or nil. Compares hashes first, then identity, then `==`.
  private func find(_ key: PyValue, hash: Int) throws(RuntimeError) -> (slot: Int, entry: Int)? {
    guard !index.isEmpty else { return nil }
    let mask = index.count - 1
    var perturb = UInt(bitPattern: hash)
    var slot = hash & mask
    while true {
      let entry = index[slot]
      if entry == Self.emptySlot { return nil }
      if entry >= 0, storage[entry].hash == hash {
        let before = version
        if try PyValue.sameKey(storage[entry].key, key) { return (slot, entry) }
        if version != before { return try find(key, hash: hash) }
      }
      perturb >>= 5
      slot = (slot &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
  }

  /// The slot that points at a live entry (found by its hash, without comparing keys).
  private func slotHolding(entry: Int, hash: Int) -> Int {
    let mask = index.count - 1
    var perturb = UInt(bitPattern: hash)
    var slot = hash & mask
    while index[slot] != entry {
      perturb >>= 5
      slot = (slot &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
    return slot
  }

  private func delete(slot: Int, entry: Int) -> PyValue {
    let value = storage[entry].value
    index[slot] = Self.deletedSlot
    storage[entry] = Entry(key: .none, value: .none, hash: -1)
    count -= 1
    version += 1
    while let last = storage.last, last.hash == -1 { storage.removeLast() }
    if count == 0 { removeAll() }
    return value
  }

  private func append(_ entry: Entry) {
    // Keep the index at most two-thirds full, counting deleted entries not yet compacted.
    if (storage.count + 1) * 3 > index.count * 2 { rebuild(minimumCount: count + 1) }
    storage.append(entry)
    insertIndex(storage.count - 1, hash: entry.hash)
    count += 1
    version += 1
  }

  private func insertIndex(_ entry: Int, hash: Int) {
    let mask = index.count - 1
    var perturb = UInt(bitPattern: hash)
    var slot = hash & mask
    while index[slot] >= 0 {
      perturb >>= 5
      slot = (slot &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
    index[slot] = entry
  }

  /// Drops deleted entries and rebuilds the index with room for `minimumCount` entries.
  private func rebuild(minimumCount: Int) {
    storage.removeAll { $0.hash == -1 }
    var size = 8
    while size * 2 < minimumCount * 3 { size *= 2 }
    index = [Int](repeating: Self.emptySlot, count: size)
    for (position, entry) in storage.enumerated() { insertIndex(position, hash: entry.hash) }
  }
}

extension PyValue {
  /// Whether two hash-equal keys are the same key: identical objects, or `==`.
  static func sameKey(_ a: PyValue, _ b: PyValue) throws(RuntimeError) -> Bool {
    switch (a, b) {
    case let (.string(x), .string(y)): return x == y
    case let (.int(x), .int(y)): return x == y
    case let (.object(x), .object(y)) where x === y: return true
    default: return try equal(a, b)
    }
  }
}
