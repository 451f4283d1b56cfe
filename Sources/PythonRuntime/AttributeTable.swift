/// An attribute name with its hash computed once: compiled code makes one per `x.name` it
/// contains, so reading an attribute compares integers instead of hashing the name.
struct AttributeName {
  let name: String
  let hash: Int

  init(_ name: String) {
    self.name = name
    self.hash = Self.hash(name)
  }

  /// FNV-1a over the UTF-8 bytes: cheap for the short names attributes have.
  static func hash(_ name: String) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash)
  }
}

/// An instance's own attributes, in the order they were first set. Instances hold few
/// attributes, so a lookup scans the entries' precomputed hashes.
struct AttributeTable {
  private struct Entry {
    let hash: Int
    let name: String
    var value: PyValue
  }

  private var entries: [Entry] = []

  /// The number of attributes.
  var count: Int { entries.count }

  @inline(__always)
  private func position(_ name: AttributeName) -> Int? {
    for index in entries.indices where entries[index].hash == name.hash && entries[index].name == name.name {
      return index
    }
    return nil
  }

  /// The value of an attribute, found by its precomputed hash.
  @inline(__always)
  func value(_ name: AttributeName) -> PyValue? {
    guard let index = position(name) else { return nil }
    return entries[index].value
  }

  /// Whether the attribute is set (without copying its value).
  @inline(__always)
  func contains(_ name: AttributeName) -> Bool { position(name) != nil }

  /// Sets an attribute found by its precomputed hash.
  @inline(__always)
  mutating func set(_ value: PyValue, _ name: AttributeName) {
    if let index = position(name) {
      entries[index].value = value
    } else {
      entries.append(Entry(hash: name.hash, name: name.name, value: value))
    }
  }

  /// An attribute by name.
  subscript(_ name: String) -> PyValue? {
    get { value(AttributeName(name)) }
    set {
      let key = AttributeName(name)
      if let newValue {
        set(newValue, key)
      } else if let index = position(key) {
        entries.remove(at: index)
      }
    }
  }

  /// Removes an attribute and returns its value, or nil when it is not set.
  mutating func removeValue(forKey name: String) -> PyValue? {
    guard let index = position(AttributeName(name)) else { return nil }
    return entries.remove(at: index).value
  }

  /// The attributes as a dictionary.
  var dictionary: [String: PyValue] {
    Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
  }
}
