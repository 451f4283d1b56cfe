/// A reduction's shape arithmetic, as TensorFlow's `ReductionHelper` does it: the input's
/// dimensions collapsed into alternating runs of kept and reduced dimensions.
public struct ReductionLayout: Sendable, Equatable {
  /// The output's shape (reduced dimensions dropped, or kept as 1 with `keepDims`).
  public let outShape: [Int]
  /// For each input axis, whether it is reduced.
  public let reducedAxes: [Bool]
  /// The collapsed dimensions, alternating between reduced and kept; `[1]` when every dimension
  /// has size 1 (or there are none).
  public let dims: [Int]
  /// Whether `dims[0]` is reduced (then `dims[1]` kept, and so on).
  public let reduceFirst: Bool

  /// The layout of reducing `shape` over `axes` (all when nil; negative counts from the end), as
  /// `ReductionHelper::Simplify` checks them.
  ///
  /// - Throws: `TensorError.invalidArgument` with TensorFlow's message for an axis out of range
  ///   or an axis named twice.
  public init(shape: [Int], axes: [Int]?, keepDims: Bool) throws(TensorError) {
    let rank = shape.count
    guard let axes else {
      self.init(shape: shape, reducedAxes: [Bool](repeating: true, count: rank), keepDims: keepDims)
      return
    }
    var reduced = [Bool](repeating: false, count: rank)
    for axis in axes {
      guard let index = Shape.normalizedAxis(axis, rank: rank) else {
        throw .invalidArgument("Invalid reduction dimension (\(axis) for input with \(rank) dimension(s)")
      }
      guard !reduced[index] else {
        throw .invalidArgument("Invalid reduction arguments: Axes contains duplicate dimension: \(index)")
      }
      reduced[index] = true
    }
    self.init(shape: shape, reducedAxes: reduced, keepDims: keepDims)
  }

  /// The layout of reducing `shape` over the axes flagged in `reducedAxes` (one flag per axis).
  public init(shape: [Int], reducedAxes: [Bool], keepDims: Bool) {
    precondition(shape.count == reducedAxes.count, "one reduction flag per axis")
    self.reducedAxes = reducedAxes
    var out: [Int] = []
    for (size, reduced) in zip(shape, reducedAxes) {
      if !reduced { out.append(size) } else if keepDims { out.append(1) }
    }
    outShape = out
    // Size-1 dimensions are dropped; neighbours with the same flag merge.
    var dims: [Int] = []
    dims.reserveCapacity(shape.count)
    var first: Bool?
    var last = false
    for (size, reduced) in zip(shape, reducedAxes) where size != 1 {
      if first != nil && last == reduced {
        dims[dims.count - 1] *= size
      } else {
        dims.append(size)
        last = reduced
        if first == nil { first = last }
      }
    }
    self.dims = dims.isEmpty ? [1] : dims
    reduceFirst = first ?? true
  }

  /// The number of input elements reduced into each output element.
  public var reducedCount: Int {
    stride(from: reduceFirst ? 0 : 1, to: dims.count, by: 2).reduce(1) { $0 * dims[$1] }
  }

  /// The layout as `[outer, reduced, inner]` when it has that form (every reduced element
  /// of an output is `reduced` elements `inner` apart), else nil.
  public var threeDimensional: (outer: Int, reduced: Int, inner: Int)? {
    switch (dims.count, reduceFirst) {
    case (1, true): return (1, dims[0], 1)
    case (1, false): return (dims[0], 1, 1)
    case (2, true): return (1, dims[0], dims[1])
    case (2, false): return (dims[0], dims[1], 1)
    case (3, false): return (dims[0], dims[1], dims[2])
    default: return nil
    }
  }
}

/// The drivers of reductions: an op supplies the identity and the combining function.
public enum Reduction {
  /// Reduces `x` (of element type `T`) as `layout` says, folding each output's elements in
  /// row-major order with `combine`, starting from `identity`. Always inlined, so that each
  /// caller's `combine` is compiled into the loop rather than called once per element.
  @inlinable @inline(__always)
  public static func fold<T: TensorElement>(
    _ x: Tensor, _ type: T.Type, layout: ReductionLayout, identity: T, _ combine: (T, T) -> T
  ) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(T.self, shape: layout.outShape)
    let outCount = out.scalarCount
    o.initialize(repeating: identity, count: outCount)
    x.withUnsafeBufferPointer(as: T.self) { input in
      guard let p = input.baseAddress, input.count > 0 else { return }
      if let (outer, reduced, inner) = layout.threeDimensional {
        if inner == 1 {
          // Rows: each output folds one contiguous run, in a register.
          for a in 0..<outer {
            let row = p + a * reduced
            var value = o[a]
            for r in 0..<reduced { value = combine(value, row[r]) }
            o[a] = value
          }
          return
        }
        for a in 0..<outer {
          let row = p + a * reduced * inner
          let target = o + a * inner
          for r in 0..<reduced {
            let slice = row + r * inner
            for i in 0..<inner { target[i] = combine(target[i], slice[i]) }
          }
        }
        return
      }
      // Any other pattern: walk the input once, adding each element into its output.
      let dims = layout.dims
      var outStrides = [Int](repeating: 0, count: dims.count)
      var running = 1
      for axis in stride(from: dims.count - 1, through: 0, by: -1) where (axis % 2 == 0) != layout.reduceFirst {
        outStrides[axis] = running
        running *= dims[axis]
      }
      var index = [Int](repeating: 0, count: dims.count)
      var offset = 0
      for value in input {
        o[offset] = combine(o[offset], value)
        var axis = dims.count - 1
        while axis >= 0 {
          index[axis] += 1
          offset += outStrides[axis]
          if index[axis] < dims[axis] { break }
          offset -= outStrides[axis] * index[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
    return out
  }
}
