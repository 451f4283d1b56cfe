/// Helpers on shapes, which are plain `[Int]` arrays of dimension sizes.
public enum Shape {
  /// The number of elements of a tensor with these dimensions.
  public static func elementCount(_ dims: [Int]) -> Int { dims.reduce(1, *) }

  /// The element count of a tensor of `dtype` about to be allocated, or `limitExceeded` when
  /// it overflows (a negative dimension is an internal error).
  public static func checkedElementCount(_ dims: [Int], dtype: DType) throws(TensorError) -> Int {
    var count = 1
    for dim in dims {
      precondition(dim >= 0, "negative dimension in \(dims)")
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow else {
        throw .limitExceeded(
          "a \(dtype.name) tensor of shape \(describe(dims)) is beyond Lockstep's memory budget of "
            + "\(MemoryBudget.describe(MemoryBudget.current.limit)) per program"
        )
      }
      count = product
    }
    return count
  }

  /// Row-major strides for these dimensions.
  public static func strides(_ dims: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: dims.count)
    var running = 1
    for axis in stride(from: dims.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running *= dims[axis]
    }
    return strides
  }

  /// TensorFlow's broadcasting rule: dimensions are aligned on the right and each pair must be
  /// equal or contain a 1. Returns nil when the shapes are incompatible.
  public static func broadcast(_ lhs: [Int], _ rhs: [Int]) -> [Int]? {
    let rank = max(lhs.count, rhs.count)
    var result = [Int](repeating: 1, count: rank)
    for index in 0..<rank {
      let l = index < rank - lhs.count ? 1 : lhs[index - (rank - lhs.count)]
      let r = index < rank - rhs.count ? 1 : rhs[index - (rank - rhs.count)]
      if l == r || r == 1 {
        result[index] = l
      } else if l == 1 {
        result[index] = r
      } else {
        return nil
      }
    }
    return result
  }

  /// `[2,3]` as TensorFlow writes it in error messages.
  public static func describe(_ dims: [Int]) -> String {
    "[" + dims.map(String.init).joined(separator: ",") + "]"
  }

  /// `(2, 3)` as Python writes a shape tuple, with `(3,)` for rank one.
  public static func pythonTuple(_ dims: [Int?]) -> String {
    let parts = dims.map { $0.map(String.init) ?? "None" }
    return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
  }

  /// Normalizes a possibly negative axis against a rank, or nil when it is out of range
  /// (always for a scalar, which has no axes).
  public static func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
    let result = axis < 0 ? axis + rank : axis
    return (0..<rank).contains(result) ? result : nil
  }
}
