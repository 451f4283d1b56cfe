/// The reductions over axes.
public enum ReductionOp: String, Sendable {
  case sum = "Sum"
  case mean = "Mean"
  case max = "Max"
  case min = "Min"

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
    func floats<T: BinaryFloatingPoint>(_ values: [T]) -> [T] {
      switch op {
      case .sum, .mean:
        // Accumulate in double and round once: closer to TF's tree reduction than a naive
        // float running sum.
        var sums = accumulate(values.map { Double($0) }, zero: 0, +)
        if op == .mean { sums = sums.map { $0 / Double(reducedCount) } }
        return sums.map { T($0) }
      case .max:
        return accumulate(values, zero: -T.infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
      case .min:
        return accumulate(values, zero: T.infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
      }
    }
    func integers<T: FixedWidthInteger & SignedInteger>(_ values: [T]) -> [T] {
      switch op {
      case .sum: return accumulate(values, zero: 0, &+)
      // Integer mean truncates, as TensorFlow's does.
      case .mean: return accumulate(values, zero: 0, &+).map { reducedCount == 0 ? 0 : $0 / T(truncatingIfNeeded: reducedCount) }
      case .max: return accumulate(values, zero: T.min, Swift.max)
      case .min: return accumulate(values, zero: T.max, Swift.min)
      }
    }
    let storage: TensorStorage
    switch self.storage {
    case let .float32(v): storage = .float32(floats(v))
    case let .float64(v): storage = .float64(floats(v))
    case let .int32(v): storage = .int32(integers(v))
    case let .int64(v): storage = .int64(integers(v))
    case .bool:
      throw .unsupportedDType(op: op.opName, dtype: .bool)
    }
    return Tensor(shape: outShape, storage: storage)
  }
}
