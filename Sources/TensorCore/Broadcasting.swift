/// Element-wise application of a function to two broadcast operands.
///
/// This is the one place that walks broadcast indices; every binary kernel goes through it.
enum Broadcasting {
  /// Applies `f` to each pair of elements of `lhs` (shape `lhsShape`) and `rhs` (shape
  /// `rhsShape`) broadcast to `outShape`, in row-major order of the output.
  @inline(__always)
  static func apply<T, R>(
    _ lhs: [T], _ lhsShape: [Int], _ rhs: [T], _ rhsShape: [Int], outShape: [Int],
    _ f: (T, T) -> R
  ) -> [R] {
    if lhsShape == rhsShape {
      return (0..<lhs.count).map { f(lhs[$0], rhs[$0]) }
    }
    if rhs.count == 1 {
      let r = rhs[0]
      if lhs.count == Shape.elementCount(outShape) { return lhs.map { f($0, r) } }
    }
    if lhs.count == 1 {
      let l = lhs[0]
      if rhs.count == Shape.elementCount(outShape) { return rhs.map { f(l, $0) } }
    }
    let lhsStrides = broadcastStrides(lhsShape, rank: outShape.count)
    let rhsStrides = broadcastStrides(rhsShape, rank: outShape.count)
    let total = Shape.elementCount(outShape)
    var result = [R]()
    result.reserveCapacity(total)
    var index = [Int](repeating: 0, count: outShape.count)
    var lhsOffset = 0
    var rhsOffset = 0
    for _ in 0..<total {
      result.append(f(lhs[lhsOffset], rhs[rhsOffset]))
      // Advance the output index like an odometer, keeping both input offsets in step.
      var axis = outShape.count - 1
      while axis >= 0 {
        index[axis] += 1
        lhsOffset += lhsStrides[axis]
        rhsOffset += rhsStrides[axis]
        if index[axis] < outShape[axis] { break }
        lhsOffset -= lhsStrides[axis] * index[axis]
        rhsOffset -= rhsStrides[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  /// Strides of `shape` right-aligned to `rank` dimensions, zero on broadcast dimensions.
  static func broadcastStrides(_ shape: [Int], rank: Int) -> [Int] {
    let own = Shape.strides(shape)
    var result = [Int](repeating: 0, count: rank)
    let offset = rank - shape.count
    for axis in 0..<shape.count where shape[axis] != 1 {
      result[axis + offset] = own[axis]
    }
    return result
  }
}
