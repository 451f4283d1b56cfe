/// A Python `set` or `frozenset`, laid out as CPython 3.11's `setobject.c`: an open-addressing
/// table probed linearly (9 slots) and then by perturbation, with the same growth rule. So a
/// set iterates in CPython's order whenever its items hash as in CPython (ints, floats, bools,
/// tuples of those); strings hash differently (CPython randomises them per process).
public final class PySet: PyObject {
  /// One table slot: empty, active (holding a key) or a dummy left by a deletion.
  struct Slot {
    var key: PyValue = .none
    var hash = 0
    var state: State = .empty
  }

  enum State: UInt8 { case empty, active, dummy }

  private(set) var table: [Slot]
  /// Active plus dummy slots.
  private var fill = 0
  /// Active slots: the set's length.
  public private(set) var count = 0
  /// Where `pop` resumes its search.
  private var finger = 0
  /// Bumped by every change, so a lookup whose `__eq__` changed the set restarts.
  private var version = 0
  /// Whether this is a `frozenset` (immutable and hashable).
  public let isFrozen: Bool
  private var cachedHash: Int?

  static let minimumSize = 8
  static let linearProbes = 9
  static let perturbShift = 5

  /// Makes an empty set or frozenset.
  public init(frozen: Bool = false) {
    isFrozen = frozen
    table = Array(repeating: Slot(), count: Self.minimumSize)
  }

  /// Makes a set of `items`, added in order.
  public convenience init(frozen: Bool = false, items: [PyValue]) throws(RuntimeError) {
    self.init(frozen: frozen)
    for item in items { try add(item) }
  }

  private var mask: Int { table.count - 1 }

  /// The items in table order (CPython's iteration order).
  public var items: [PyValue] {
    var result: [PyValue] = []
    result.reserveCapacity(count)
    for slot in table where slot.state == .active { result.append(slot.key) }
    return result
  }

  /// The active slots' keys with their hashes, in table order.
  var entries: [(key: PyValue, hash: Int)] {
    var result: [(key: PyValue, hash: Int)] = []
    result.reserveCapacity(count)
    for slot in table where slot.state == .active { result.append((slot.key, slot.hash)) }
    return result
  }

  /// The hash a set member is looked up with: a `set` is looked up as the equal frozenset.
  static func memberHash(_ key: PyValue) throws(RuntimeError) -> Int {
    if case let .object(set as PySet) = key, !set.isFrozen { return Hashing.frozenSet(set.entries.map(\.hash)) }
    return try key.pythonHash()
  }

  /// The slot holding `key`, or nil (`set_lookkey`).
  func lookup(_ key: PyValue, hash: Int) throws(RuntimeError) -> Int? {
    var perturb = UInt(bitPattern: hash)
    var i = hash & mask
    while true {
      var probes = i + Self.linearProbes <= mask ? Self.linearProbes : 0
      var position = i
      while true {
        let slot = table[position]
        if slot.state == .empty { return nil }
        if slot.state == .active && slot.hash == hash {
          let before = version
          if try PyValue.sameKey(slot.key, key) { return position }
          if version != before { return try lookup(key, hash: hash) }
        }
        if probes == 0 { break }
        probes -= 1
        position += 1
      }
      perturb >>= UInt(Self.perturbShift)
      i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
  }

  /// Whether the set holds `key`.
  public func contains(_ key: PyValue) throws(RuntimeError) -> Bool {
    try lookup(key, hash: try Self.memberHash(key)) != nil
  }

  /// Adds `key` (`set_add_key`).
  public func add(_ key: PyValue) throws(RuntimeError) {
    try add(key, hash: try key.pythonHash())
  }

  /// Adds a key with its hash (`set_add_entry`): into the first dummy slot of its probe
  /// sequence, else the empty slot that ends it, then a resize when the table is three-fifths full.
  func add(_ key: PyValue, hash: Int) throws(RuntimeError) {
    var perturb = UInt(bitPattern: hash)
    var i = hash & mask
    var freeSlot: Int?
    while true {
      var probes = i + Self.linearProbes <= mask ? Self.linearProbes : 0
      var position = i
      while true {
        let slot = table[position]
        if slot.state == .empty, let freeSlot {
          table[freeSlot] = Slot(key: key, hash: hash, state: .active)
          count += 1
          version += 1
          cachedHash = nil
          return
        }
        if slot.state == .empty {
          table[position] = Slot(key: key, hash: hash, state: .active)
          fill += 1
          count += 1
          version += 1
          cachedHash = nil
          if fill * 5 >= mask * 3 { resize(minimumUsed: count > 50000 ? count * 2 : count * 4) }
          return
        }
        if slot.state == .active && slot.hash == hash {
          let before = version
          if try PyValue.sameKey(slot.key, key) { return }
          if version != before { return try add(key, hash: hash) }
        } else if slot.state == .dummy && freeSlot == nil {
          freeSlot = position
        }
        if probes == 0 { break }
        probes -= 1
        position += 1
      }
      perturb >>= UInt(Self.perturbShift)
      i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
  }

  /// Puts a key known to be absent into a table without dummies (`set_insert_clean`).
  private static func insertClean(_ table: inout [Slot], _ key: PyValue, hash: Int) {
    let mask = table.count - 1
    var perturb = UInt(bitPattern: hash)
    var i = hash & mask
    while true {
      if table[i].state == .empty {
        table[i] = Slot(key: key, hash: hash, state: .active)
        return
      }
      if i + linearProbes <= mask {
        for j in 1...linearProbes where table[i + j].state == .empty {
          table[i + j] = Slot(key: key, hash: hash, state: .active)
          return
        }
      }
      perturb >>= UInt(perturbShift)
      i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
    }
  }

  /// Rebuilds the table with the smallest power-of-two size above `minimumUsed`, dropping
  /// dummies (`set_table_resize`).
  private func resize(minimumUsed: Int) {
    var size = Self.minimumSize
    while size <= minimumUsed { size <<= 1 }
    var newTable = Array(repeating: Slot(), count: size)
    for slot in table where slot.state == .active { Self.insertClean(&newTable, slot.key, hash: slot.hash) }
    table = newTable
    fill = count
    version += 1
  }

  /// Removes `key`; returns whether it was there (`set_discard_entry`).
  @discardableResult
  public func discard(_ key: PyValue) throws(RuntimeError) -> Bool {
    try discard(key, hash: try Self.memberHash(key))
  }

  func discard(_ key: PyValue, hash: Int) throws(RuntimeError) -> Bool {
    guard let position = try lookup(key, hash: hash) else { return false }
    table[position] = Slot(key: .none, hash: -1, state: .dummy)
    count -= 1
    version += 1
    cachedHash = nil
    return true
  }

  /// Resizes the dummies away when they are more than a quarter of the table (as
  /// `set_difference_update_internal` does after discarding).
  func purgeDummies() {
    guard fill - count > mask / 4 else { return }
    resize(minimumUsed: count > 50000 ? count * 2 : count * 4)
  }

  /// Takes over another set's table as it is (`set_swap_bodies`, for `intersection_update`).
  func replaceContents(with other: PySet) {
    table = other.table
    fill = other.fill
    count = other.count
    version += 1
    cachedHash = nil
  }

  /// Removes and returns an item, scanning from where the last `pop` stopped (`set_pop`).
  public func pop() -> PyValue? {
    guard count > 0 else { return nil }
    var position = finger & mask
    while table[position].state != .active { position = position == mask ? 0 : position + 1 }
    let key = table[position].key
    table[position] = Slot(key: .none, hash: -1, state: .dummy)
    count -= 1
    version += 1
    finger = position + 1
    return key
  }

  /// Empties the set, back to the smallest table.
  public func removeAll() {
    table = Array(repeating: Slot(), count: Self.minimumSize)
    fill = 0
    count = 0
    version += 1
    cachedHash = nil
  }

  /// Adds every item of another set (`set_merge`): one resize up front, then a slot-for-slot
  /// copy or clean inserts when this set is empty.
  func merge(_ other: PySet) throws(RuntimeError) {
    guard other !== self, other.count > 0 else { return }
    if (fill + other.count) * 5 >= mask * 3 { resize(minimumUsed: (count + other.count) * 2) }
    if fill == 0 && mask == other.mask && other.fill == other.count {
      table = other.table
      fill = other.fill
      count = other.count
      version += 1
      cachedHash = nil
      return
    }
    if fill == 0 {
      for slot in other.table where slot.state == .active { Self.insertClean(&table, slot.key, hash: slot.hash) }
      fill = other.count
      count = other.count
      version += 1
      cachedHash = nil
      return
    }
    for (key, hash) in other.entries { try add(key, hash: hash) }
  }

  /// Adds every key of a dict, resizing once for all of them first (as `set_update_internal`).
  func merge(_ dict: PyDict) throws(RuntimeError) {
    if (fill + dict.count) * 5 >= mask * 3 { resize(minimumUsed: (count + dict.count) * 2) }
    for key in dict.keys { try add(key) }
  }

  /// A new set (or frozenset) with the same items, in the same table layout.
  func copy(frozen: Bool? = nil) throws(RuntimeError) -> PySet {
    let result = PySet(frozen: frozen ?? isFrozen)
    try result.merge(self)
    return result
  }

  /// `hash(frozenset)`; a `set` is unhashable.
  func frozenHash() throws(RuntimeError) -> Int {
    guard isFrozen else { throw .typeError("unhashable type: 'set'") }
    if let cachedHash { return cachedHash }
    let hash = Hashing.frozenSet(entries.map(\.hash))
    cachedHash = hash
    return hash
  }

  public var typeName: String { isFrozen ? "frozenset" : "set" }

  public func repr() -> String {
    let body = items.map(\.repr).joined(separator: ", ")
    if isFrozen { return count == 0 ? "frozenset()" : "frozenset({\(body)})" }
    return count == 0 ? "set()" : "{\(body)}"
  }

  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] { items }
  public func length(context: CallContext) throws(RuntimeError) -> Int { count }
  public func truthValue(context: CallContext) throws(RuntimeError) -> Bool { count > 0 }
}
