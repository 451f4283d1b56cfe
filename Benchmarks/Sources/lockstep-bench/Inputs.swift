import TensorCore

/// Float32 inputs filled with pseudo-random values, the same on every run.
enum Inputs {
  /// A float32 tensor of `shape` with values in [-1, 1), and its elements (valid while the
  /// tensor lives). `seed` picks the sequence.
  static func random(_ shape: [Int], seed: UInt64) throws -> (Tensor, UnsafeMutablePointer<Float>) {
    let (tensor, elements) = try Tensor.uninitialized(Float.self, shape: shape)
    // xorshift64*: cheap enough for tens of millions of values.
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    for index in 0..<tensor.scalarCount {
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      let bits = (state &* 0x2545_F491_4F6C_DD1D) >> 40
      elements[index] = Float(bits) / Float(1 << 23) - 1
    }
    return (tensor, elements)
  }
}
