/// CPython's random generator, bit for bit: MT19937 seeded by `init_by_array` with the 32-bit
/// words of the seed, `random()` from 53 bits of two outputs, `getrandbits` and `_randbelow`.
final class MersenneTwister {
  private var state = [UInt32](repeating: 0, count: 624)
  private var index = 624
  /// The second value of `gauss`'s last pair, returned by its next call.
  var gaussNext: Double?

  /// A generator seeded with a non-negative integer, as `random.seed(n)` seeds it.
  init(seed: UInt64) {
    reseed(seed)
  }

  /// `random.seed(n)` with `n`'s magnitude: the key is its little-endian 32-bit words.
  func reseed(_ seed: UInt64) {
    let high = UInt32(truncatingIfNeeded: seed >> 32)
    let low = UInt32(truncatingIfNeeded: seed)
    initialize(byArray: high == 0 ? [low] : [low, high])
    gaussNext = nil
  }

  private func initialize(seed: UInt32) {
    state[0] = seed
    for i in 1..<624 {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
    index = 624
  }

  private func initialize(byArray key: [UInt32]) {
    initialize(seed: 19_650_218)
    var i = 1
    var j = 0
    for _ in 0..<Swift.max(624, key.count) {
      state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
      i += 1
      j += 1
      if i >= 624 {
        state[0] = state[623]
        i = 1
      }
      if j >= key.count { j = 0 }
    }
    for _ in 0..<623 {
      state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
      i += 1
      if i >= 624 {
        state[0] = state[623]
        i = 1
      }
    }
    state[0] = 0x8000_0000
  }

  /// The next 32 random bits (`genrand_uint32`).
  func next() -> UInt32 {
    if index >= 624 { twist() }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return y
  }

  private func twist() {
    for k in 0..<624 {
      let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
      state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
    }
    index = 0
  }

  /// `random()`: a float in [0, 1) from 53 random bits.
  func random() -> Double {
    let a = Double(next() >> 5)
    let b = Double(next() >> 6)
    return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// `getrandbits(k)` for 0 <= k <= 63: whole words, least significant first, the last one
  /// shifted down to its top bits.
  func bits(_ k: Int) -> Int {
    guard k > 0 else { return 0 }
    if k <= 32 { return Int(next() >> (32 - k)) }
    let low = UInt64(next())
    let high = UInt64(next() >> (64 - k))
    return Int(high << 32 | low)
  }

  /// `_randbelow(n)` for n > 0: `k = n.bit_length()` bits, drawn until below `n`.
  func below(_ n: Int) -> Int {
    let k = Int.bitWidth - n.leadingZeroBitCount
    var r = bits(k)
    while r >= n { r = bits(k) }
    return r
  }
}
