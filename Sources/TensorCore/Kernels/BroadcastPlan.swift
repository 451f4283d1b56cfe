/// How two operands broadcast to an output, reduced to the fewest dimensions: a run of
/// `inner` elements (each operand contiguous or a repeated scalar along it) repeated over
/// the outer dimensions.
///
/// Every binary kernel walks operands through a plan; per-element index arithmetic happens
/// only once per inner run.
@usableFromInline
struct BroadcastPlan {
  /// The output's shape.
  @usableFromInline let outShape: [Int]
  /// The collapsed outer dimensions (the output's, minus the inner one).
  @usableFromInline let outer: [Int]
  /// Each operand's strides over `outer` (0 where it broadcasts).
  @usableFromInline let lhsStrides: [Int]
  @usableFromInline let rhsStrides: [Int]
  /// The length of the innermost run.
  @usableFromInline let inner: Int
  /// Each operand's stride along the run: 1 (contiguous) or 0 (one element repeated).
  @usableFromInline let lhsInner: Int
  @usableFromInline let rhsInner: Int

  /// The plan for `lhs` and `rhs` broadcast together, or nil when they do not broadcast.
  @usableFromInline
  init?(_ lhs: [Int], _ rhs: [Int]) {
    guard let out = Shape.broadcast(lhs, rhs) else { return nil }
    outShape = out
    let rank = out.count
    let a = Self.strides(lhs, rank: rank)
    let b = Self.strides(rhs, rank: rank)
    // Merge each dimension into the one after it while both operands stay contiguous (or
    // both repeat) across the pair.
    var dims: [Int] = []
    var sa: [Int] = []
    var sb: [Int] = []
    for axis in 0..<rank where out[axis] != 1 {
      if let last = dims.indices.last,
        sa[last] == a[axis] * out[axis], sb[last] == b[axis] * out[axis]
      {
        dims[last] *= out[axis]
        sa[last] = a[axis]
        sb[last] = b[axis]
      } else {
        dims.append(out[axis])
        sa.append(a[axis])
        sb.append(b[axis])
      }
    }
    if dims.isEmpty {
      dims = [1]
      sa = [0]
      sb = [0]
    }
    inner = dims.removeLast()
    lhsInner = sa.removeLast()
    rhsInner = sb.removeLast()
    outer = dims
    lhsStrides = sa
    rhsStrides = sb
  }

  /// Strides of `shape` right-aligned to `rank` dimensions, zero on broadcast dimensions.
  static func strides(_ shape: [Int], rank: Int) -> [Int] {
    let own = Shape.strides(shape)
    var result = [Int](repeating: 0, count: rank)
    let offset = rank - shape.count
    for axis in 0..<shape.count where shape[axis] != 1 {
      result[axis + offset] = own[axis]
    }
    return result
  }

  /// The number of inner runs.
  @usableFromInline var runCount: Int { outer.reduce(1, *) }

  /// Calls `body(outOffset, lhsOffset, rhsOffset)` for each run in `runs`, in order.
  @inlinable @inline(__always)
  func forEachRun(in runs: Range<Int>, _ body: (Int, Int, Int) -> Void) {
    guard !runs.isEmpty else { return }
    let rank = outer.count
    // The odometer starts at the first run's index.
    var index = [Int](repeating: 0, count: rank)
    var rest = runs.lowerBound
    var a = 0
    var b = 0
    for axis in stride(from: rank - 1, through: 0, by: -1) {
      index[axis] = rest % outer[axis]
      rest /= outer[axis]
      a += index[axis] * lhsStrides[axis]
      b += index[axis] * rhsStrides[axis]
    }
    for run in runs {
      body(run * inner, a, b)
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        a += lhsStrides[axis]
        b += rhsStrides[axis]
        if index[axis] < outer[axis] { break }
        a -= lhsStrides[axis] * index[axis]
        b -= rhsStrides[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }
}
