#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Copies elements of any dtype from one tensor into a new one by byte size: the one
/// driver behind broadcasting, slicing, gathering and splitting.
public struct ElementCopier {
  private let source: UnsafeRawPointer
  private let target: UnsafeMutableRawPointer
  private let size: Int
  private let sourceStrings: [String]
  private var targetStrings: [String]

  /// Copies `count` elements starting at source element `from` (stepping by `step`, which
  /// is 0 to repeat one element or 1) to target elements from `to` on.
  public mutating func copy(from: Int, step: Int = 1, to: Int, count: Int) {
    guard count > 0 else { return }
    if size == 0 {
      for i in 0..<count { targetStrings[to + i] = sourceStrings[from + i * step] }
      return
    }
    let destination = target + to * size
    let origin = source + from * size
    if step == 1 {
      memcpy(destination, origin, count * size)
      return
    }
    // Repeat one element by doubling the copied region.
    memcpy(destination, origin, size)
    var done = 1
    while done < count {
      let chunk = Swift.min(done, count - done)
      memcpy(destination + done * size, destination, chunk * size)
      done += chunk
    }
  }

  /// A tensor of `shape` and `source`'s dtype, whose elements `fill` copies from `source`
  /// (every element must be written).
  public static func assemble(
    from source: Tensor, shape: [Int], _ fill: (inout ElementCopier) -> Void
  ) throws(TensorError) -> Tensor {
    let dtype = source.dtype
    let count = try Shape.checkedElementCount(shape, dtype: dtype)
    if dtype == .string {
      var copier = ElementCopier(
        source: UnsafeRawPointer(source.buffer.base), target: source.buffer.base, size: 0,
        sourceStrings: source.strings, targetStrings: [String](repeating: "", count: count))
      fill(&copier)
      return Tensor(shape: shape, strings: copier.targetStrings)
    }
    let buffer = try TensorBuffer(dtype: dtype, count: count, shape: shape)
    var copier = ElementCopier(
      source: UnsafeRawPointer(source.buffer.base), target: buffer.base, size: dtype.byteSize,
      sourceStrings: [], targetStrings: [])
    fill(&copier)
    return Tensor(shape: shape, buffer: buffer)
  }
}
