/// The reductions over axes.
public enum ReductionOp: String, Sendable {
  case sum = "Sum"
  case mean = "Mean"

  /// The TensorFlow op name used in error messages.
  public var opName: String { rawValue }
}

extension Tensor {
  /// Reduces over `axes` (all axes when nil), keeping reduced dimensions as size 1 when
  /// `keepDims`. Axes may be negative; a repeated axis counts once, as in TensorFlow.
  public func reduced(
    _ op: ReductionOp, axes: [Int]?, keepDims: Bool
  ) throws(TensorError) -> Tensor {
    var reduce = [Bool](repeating: axes == nil, count: rank)
    for axis in axes ?? [] {
      guard let normalized = Shape.normalizedAxis(axis, rank: rank), rank > 0 else {
        throw .invalidArgument(
          "Invalid reduction dimension (\(axis) for input with \(rank) dimension(s)")
      }
      reduce[normalized] = true
    }
    var outShape: [Int] = []
    var keptShape: [Int] = []
    for axis in 0..<rank {
      if reduce[axis] {
        keptShape.append(1)
        if keepDims { outShape.append(1) }
      } else {
        keptShape.append(shape[axis])
        outShape.append(shape[axis])
      }
    }
    let reducedCount = zip(shape, reduce).reduce(1) { $0 * ($1.1 ? $1.0 : 1) }
    // Walks the input once; each element is added into the output slot it reduces into.
    let outStrides = Broadcasting.broadcastStrides(keptShape, rank: rank)
    func accumulate<T>(_ values: [T], zero: T, _ add: (T, T) -> T) -> [T] {
      var result = [T](repeating: zero, count: Shape.elementCount(keptShape))
      var index = [Int](repeating: 0, count: rank)
      var offset = 0
      for value in values {
        result[offset] = add(result[offset], value)
        var axis = rank - 1
        while axis >= 0 {
          index[axis] += 1
          offset += outStrides[axis]
          if index[axis] < shape[axis] { break }
          offset -= outStrides[axis] * index[axis]
          index[axis] = 0
          axis -= 1
        }
      }
      return result
    }
    let storage: TensorStorage
    switch self.storage {
    case let .float32(v):
      // Accumulate float32 in double and round once: closer to TF's tree reduction than a
      // naive float running sum.
      var sums = accumulate(v.map(Double.init), zero: 0, +)
      if op == .mean { sums = sums.map { $0 / Double(reducedCount) } }
      storage = .float32(sums.map(Float.init))
    case let .float64(v):
      var sums = accumulate(v, zero: 0, +)
      if op == .mean { sums = sums.map { $0 / Double(reducedCount) } }
      storage = .float64(sums)
    case let .int32(v):
      var sums = accumulate(v, zero: 0, &+)
      if op == .mean { sums = sums.map { reducedCount == 0 ? 0 : $0 / Int32(truncatingIfNeeded: reducedCount) } }
      storage = .int32(sums)
    case let .int64(v):
      var sums = accumulate(v, zero: 0, &+)
      if op == .mean { sums = sums.map { reducedCount == 0 ? 0 : $0 / Int64(reducedCount) } }
      storage = .int64(sums)
    case .bool:
      throw .unsupportedDType(op: op.opName, dtype: .bool)
    }
    return Tensor(shape: outShape, storage: storage)
  }
}
