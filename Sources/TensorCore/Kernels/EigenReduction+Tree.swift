import Dispatch

extension EigenReduction {
  /// A run `[first, first + count)` of the flat input that Eigen sums as one (sub)tree. `first` is
  /// the absolute index: the tree's split points are aligned to packets of the whole buffer.
  struct Span: Sendable {
    /// Index of the run's first element in the flat input.
    var first: Int
    /// Number of elements in the run.
    var count: Int
  }

  /// Subtrees are split for parallel work until they hold at most twice this many elements.
  static let taskElements = 32_768
  /// Work below this many elements in all runs on the calling thread.
  static let parallelThreshold = 65_536
  /// Most chunks a parallel loop is cut into; the results never depend on it.
  static let maxChunks = 32

  /// `InnerMostDimReducer<Self, Op, true, false>::reduce`: one leaf of the tree.
  ///
  /// Four packet accumulators over blocks of `4 * packetSize` elements, folded as
  /// `((p0 + p1) + p2) + p3`; then whole packets into `p0`; then the scalar tail into a scalar
  /// that starts at zero; the result is `tail + predux(p0)`.
  @inline(__always)
  static func leafSum<K: EigenSumKind>(_: K.Type, _ base: UnsafePointer<K.Stored>, _ span: Span) -> K.Scalar {
    let size = K.packetSize
    let first = span.first
    let count = span.count
    var start = 0
    var p0 = K.Packet()
    if count >= 4 * size {
      let blocked = count / (4 * size) * (4 * size)
      var p1 = K.Packet()
      var p2 = K.Packet()
      var p3 = K.Packet()
      var j = 0
      while j < blocked {
        p0 += K.packet(base, first + j)
        p1 += K.packet(base, first + j + size)
        p2 += K.packet(base, first + j + 2 * size)
        p3 += K.packet(base, first + j + 3 * size)
        j += 4 * size
      }
      p0 += p1
      p0 += p2
      p0 += p3
      start = blocked
    }
    if start <= count - size {
      let vectorized = count / size * size
      while start < vectorized {
        p0 += K.packet(base, first + start)
        start += size
      }
    }
    var tail: K.Scalar = 0
    while start < count {
      tail += K.scalar(base, first + start)
      start += 1
    }
    return tail + K.predux(p0)
  }

  /// The halves `InnerMostDimReducer<Self, Op, true, true>` splits `span` into, or nil for a leaf:
  /// the split point is `packetSize * ceil((first + ceil(count / 2)) / packetSize)`.
  @inline(__always)
  static func children<K: EigenSumKind>(_: K.Type, _ span: Span) -> (left: Span, right: Span?)? {
    let size = K.packetSize
    guard span.count > size * K.leafSize else { return nil }
    let half = (span.count + 1) / 2
    let split = size * ((span.first + half + size - 1) / size)
    let left = min(split - span.first, span.count)
    let right = left < span.count ? Span(first: split, count: span.count - left) : nil
    return (Span(first: span.first, count: left), right)
  }

  /// `InnerMostDimReducer<Self, Op, true, true>::reduce`: the tree sum `(0 + left) + right`.
  static func treeSum<K: EigenSumKind>(_ kind: K.Type, _ base: UnsafePointer<K.Stored>, _ span: Span) -> K.Scalar {
    guard let (left, right) = children(kind, span) else { return leafSum(kind, base, span) }
    var sum: K.Scalar = 0
    sum += treeSum(kind, base, left)
    if let right { sum += treeSum(kind, base, right) }
    return sum
  }

  /// Whether `span` is cut into its subtrees for parallel work.
  @inline(__always)
  static func splitsForTasks<K: EigenSumKind>(_ kind: K.Type, _ span: Span) -> (left: Span, right: Span?)? {
    span.count > 2 * taskElements ? children(kind, span) : nil
  }

  /// Appends the subtrees of `span` that become parallel tasks, in tree order.
  static func collectTasks<K: EigenSumKind>(_ kind: K.Type, _ span: Span, into tasks: inout [Span]) {
    guard let (left, right) = splitsForTasks(kind, span) else {
      tasks.append(span)
      return
    }
    collectTasks(kind, left, into: &tasks)
    if let right { collectTasks(kind, right, into: &tasks) }
  }

  /// Rebuilds the tree sum of `span` from its tasks' sums, adding exactly as `treeSum` does.
  static func combineTasks<K: EigenSumKind>(
    _ kind: K.Type, _ span: Span, _ sums: UnsafeBufferPointer<K.Scalar>, next: inout Int
  ) -> K.Scalar {
    guard let (left, right) = splitsForTasks(kind, span) else {
      defer { next += 1 }
      return sums[next]
    }
    var sum: K.Scalar = 0
    sum += combineTasks(kind, left, sums, next: &next)
    if let right { sum += combineTasks(kind, right, sums, next: &next) }
    return sum
  }

  /// Writes the tree sum of each root into `results`, splitting large trees into independent
  /// subtrees and running them on all cores; the sums are the same bits as a sequential `treeSum`.
  static func treeSums<K: EigenSumKind>(
    _ kind: K.Type, _ base: UnsafePointer<K.Stored>, roots: [Span], into results: UnsafeMutableBufferPointer<K.Scalar>
  ) {
    let total = roots.reduce(0) { $0 + $1.count }
    guard total >= parallelThreshold else {
      for (index, root) in roots.enumerated() { results[index] = treeSum(kind, base, root) }
      return
    }
    var tasks: [Span] = []
    tasks.reserveCapacity(roots.count)
    for root in roots { collectTasks(kind, root, into: &tasks) }
    let sums = UnsafeMutablePointer<K.Scalar>.allocate(capacity: tasks.count)
    defer { sums.deallocate() }
    let input = SendablePointer(base)
    let output = SendablePointer(UnsafePointer(sums))
    let taskList = tasks
    parallelChunks(count: taskList.count, weight: { taskList[$0].count }) { range in
      for index in range {
        output.mutable[index] = treeSum(K.self, input.pointer, taskList[index])
      }
    }
    var next = 0
    for (index, root) in roots.enumerated() {
      results[index] = combineTasks(kind, root, UnsafeBufferPointer(start: sums, count: tasks.count), next: &next)
    }
  }

  /// Runs `body` over consecutive ranges of `0..<count` of about equal total `weight`, on the
  /// kernel threads when the total weight reaches `parallelThreshold` (polling the cancellation
  /// token between ranges), else once on the calling thread.
  static func parallelChunks(count: Int, weight: (Int) -> Int, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    var bounds = [0]
    var prefix: [Int] = []
    prefix.reserveCapacity(count)
    var total = 0
    for index in 0..<count {
      total += weight(index)
      prefix.append(total)
    }
    let chunks = min(count, maxChunks, max(1, total / (parallelThreshold / 4)))
    guard total >= parallelThreshold, chunks > 1 else {
      body(0..<count)
      return
    }
    var index = 0
    for chunk in 1..<chunks {
      let target = total / chunks * chunk
      while index < count && prefix[index] <= target { index += 1 }
      if index > bounds[bounds.count - 1] { bounds.append(index) }
    }
    if bounds[bounds.count - 1] < count { bounds.append(count) }
    let ranges = (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
    let context = KernelContext.current
    Parallel.forEachIndex(ranges.count, threads: context.threads, polling: context.cancellation) { body(ranges[$0]) }
  }
}

/// A pointer handed to the worker threads of `parallelChunks`; each worker writes only its own
/// indices, so sharing it is safe.
struct SendablePointer<Pointee>: @unchecked Sendable {
  /// The shared address.
  let pointer: UnsafePointer<Pointee>

  /// Wraps `pointer`.
  init(_ pointer: UnsafePointer<Pointee>) { self.pointer = pointer }

  /// The same address, for writing.
  var mutable: UnsafeMutablePointer<Pointee> { UnsafeMutablePointer(mutating: pointer) }
}
