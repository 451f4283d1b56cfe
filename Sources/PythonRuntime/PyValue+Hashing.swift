import Foundation

/// CPython 3.11's hash functions for the values whose hashes decide a set's iteration order:
/// ints, floats and bools (`hash(n) == n` for small ints), tuples (xxHash lanes) and
/// frozensets. Strings hash with 64-bit FNV-1a — deterministic, where CPython randomises str
/// hashes per process, so programs print `sorted(s)` for sets of strings. Objects without a
/// `__hash__` hash by address, as CPython's do.
enum Hashing {
  /// CPython's `_PyHASH_MODULUS`: 2**61 - 1.
  static let modulus: UInt = (1 << 61) - 1
  static let modulusBits: UInt = 61

  /// `hash(n)` for an int: `n` reduced modulo 2**61 - 1 with its sign; -1 becomes -2.
  static func int(_ value: Int) -> Int {
    let reduced = Int(value.magnitude % modulus)
    return avoidingMinusOne(value < 0 ? -reduced : reduced)
  }

  /// `hash(x)` for a float (`_Py_HashDouble`): equal to the int's hash for integral values.
  static func float(_ value: Double) -> Int {
    if value.isNaN { return 0 }
    if value.isInfinite { return value > 0 ? 314_159 : -314_159 }
    if let integral = Int(exactly: value) { return int(integral) }
    // Swift's `frexp` returns the significand's magnitude: the sign is taken separately.
    var (mantissa, exponent) = frexp(Swift.abs(value))
    let sign = value < 0 ? -1 : 1
    var x: UInt = 0
    while mantissa != 0 {
      x = ((x << 28) & modulus) | x >> (modulusBits - 28)
      mantissa *= 268_435_456.0
      exponent -= 28
      let integer = UInt(mantissa)
      mantissa -= Double(integer)
      x += integer
      if x >= modulus { x -= modulus }
    }
    let bits = Int(modulusBits)
    let shift = UInt(exponent >= 0 ? exponent % bits : bits - 1 - ((-1 - exponent) % bits))
    x = ((x << shift) & modulus) | x >> (modulusBits - shift)
    return avoidingMinusOne(Int(bitPattern: x) &* sign)
  }

  /// `hash(t)` for a tuple of item hashes (CPython's xxHash-based `tuplehash`).
  static func tuple(_ hashes: [Int]) -> Int {
    let prime1: UInt = 11_400_714_785_074_694_791
    let prime2: UInt = 14_029_467_366_897_019_727
    let prime5: UInt = 2_870_177_450_012_600_261
    var accumulator = prime5
    for hash in hashes {
      accumulator = accumulator &+ UInt(bitPattern: hash) &* prime2
      accumulator = (accumulator << 31) | (accumulator >> 33)
      accumulator = accumulator &* prime1
    }
    accumulator = accumulator &+ (UInt(hashes.count) ^ (prime5 ^ 3_527_539))
    return accumulator == UInt.max ? 1_546_275_796 : Int(bitPattern: accumulator)
  }

  /// `hash(frozenset)` from its items' hashes (CPython's `frozenset_hash`; order-free).
  static func frozenSet(_ hashes: [Int]) -> Int {
    func shuffled(_ h: UInt) -> UInt { ((h ^ 89_869_747) ^ (h << 16)) &* 3_644_798_167 }
    var hash: UInt = 0
    for item in hashes { hash ^= shuffled(UInt(bitPattern: item)) }
    hash ^= (UInt(hashes.count) &+ 1) &* 1_927_868_237
    hash ^= (hash >> 11) ^ (hash >> 25)
    hash = hash &* 69069 &+ 907_133_923
    return hash == UInt.max ? 590_923_713 : Int(bitPattern: hash)
  }

  /// A string's hash: 64-bit FNV-1a over its UTF-8 (CPython's is randomised per process).
  static func string(_ text: String) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return avoidingMinusOne(Int(truncatingIfNeeded: hash))
  }

  /// An object's identity hash, from its address as CPython's `_Py_HashPointer` does.
  static func identity(_ object: AnyObject) -> Int {
    let address = UInt(bitPattern: ObjectIdentifier(object))
    return avoidingMinusOne(Int(bitPattern: (address >> 4) | (address << 60)))
  }

  /// CPython reserves -1 for errors: a hash of -1 is reported as -2.
  static func avoidingMinusOne(_ hash: Int) -> Int { hash == -1 ? -2 : hash }
}

extension PyValue {
  /// `hash(value)`: CPython's values for numbers, tuples and frozensets; a class's
  /// `__hash__`; TypeError "unhashable type" for lists, dicts, sets and classes that define
  /// `__eq__` without `__hash__`.
  public func pythonHash() throws(RuntimeError) -> Int {
    switch self {
    case .none: return 0x1_0000_5EE7
    case let .bool(flag): return flag ? 1 : 0
    case let .int(value): return Hashing.int(value)
    case let .float(value): return Hashing.float(value)
    case let .string(text): return Hashing.string(text)
    case let .tuple(items):
      var hashes: [Int] = []
      hashes.reserveCapacity(items.count)
      for item in items { hashes.append(try item.pythonHash()) }
      return Hashing.tuple(hashes)
    case .list, .dict: throw .typeError("unhashable type: '\(typeName)'")
    case let .function(function): return Hashing.identity(function)
    case let .builtin(function): return Hashing.identity(function)
    case let .object(object):
      switch object {
      case let set as PySet: return try set.frozenHash()
      case let instance as PyInstance: return try instance.pythonHash()
      case is PySlice, is PyDictView: throw .typeError("unhashable type: '\(typeName)'")
      default: return Hashing.identity(object)
      }
    }
  }
}

extension PyInstance {
  /// `hash(instance)`: the class's `__hash__` (reduced as CPython reduces an int), or the
  /// identity hash; unhashable when `__hash__` is None or `__eq__` is defined without it.
  func pythonHash() throws(RuntimeError) -> Int {
    let method = cls.lookupDefined("__hash__")
    if case .none? = method { throw .typeError("unhashable type: '\(cls.name)'") }
    guard let method else {
      if cls.lookupDefined("__eq__") != nil { throw .typeError("unhashable type: '\(cls.name)'") }
      return Hashing.identity(self)
    }
    guard let interpreter = cls.interpreter else { return Hashing.identity(self) }
    let result = try interpreter.callMethod(method, on: .object(self), Arguments(), at: interpreter.currentLocation)
    switch result {
    // CPython's slot_tp_hash keeps any value that fits a machine word (only -1 is taken).
    case let .int(value): return Hashing.avoidingMinusOne(value)
    case let .bool(flag): return flag ? 1 : 0
    default: throw .typeError("__hash__ method should return an integer")
    }
  }
}
