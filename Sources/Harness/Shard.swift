/// A deterministic slice of a suite for CI parallelism: shard `index` of `count` (1-based)
/// keeps the scenarios whose id's FNV-1a hash is `index - 1` modulo `count`, so shards
/// 1/N … N/N together hold every scenario exactly once, on every machine and run.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  /// Which slice, from 1.
  public var index: Int
  /// How many slices.
  public var count: Int

  /// Parses `I/N` with 1 ≤ I ≤ N.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      (1...count).contains(index)
    else { return nil }
    self.index = index
    self.count = count
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether the scenario `id` falls in this shard.
  public func contains(_ id: String) -> Bool {
    Self.fnv1a(id) % UInt64(count) == UInt64(index - 1)
  }

  /// The 64-bit FNV-1a hash of the UTF-8 bytes (stable, unlike Swift's seeded `Hasher`).
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}
