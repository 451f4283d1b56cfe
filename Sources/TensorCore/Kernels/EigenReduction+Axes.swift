extension EigenReduction {
  /// Sums (or means) `x` as `layout` says, writing `layout.outputCount` values into `out`.
  ///
  /// A mean is the sum divided by `divisor(in.size / out.size)`, element by element
  /// (`ReduceEigenImpl<…, MeanReducer<Scalar>>` in reduction_ops.h); the copy case is never divided.
  static func reduce<K: EigenSumKind>(
    _ kind: K.Type, _ x: UnsafeBufferPointer<K.Stored>, _ layout: Layout, mean: Bool,
    into out: UnsafeMutableBufferPointer<K.Scalar>, intraOpThreads: Int
  ) {
    precondition(x.count == layout.inputShape.reduce(1, *), "input buffer does not match the layout's shape")
    precondition(out.count == layout.outputCount, "output buffer does not match the layout's output")
    guard let base = x.baseAddress, let target = out.baseAddress else {
      if layout.kind == .identity { out.initialize(repeating: mean ? .nan : 0) }
      return
    }
    switch layout.kind {
    case .copy:
      for index in 0..<x.count { target[index] = K.scalar(base, index) }
      return
    case .empty:
      return
    case .identity:
      out.initialize(repeating: mean ? .nan : 0)
      return
    case let .full(count):
      target[0] = fullSum(kind, base, count: count, intraOpThreads: intraOpThreads)
    case let .inner(rows, columns):
      innerSums(kind, base, rows: rows, columns: columns, into: out)
    case let .outer(rows, columns):
      preservedSums(kind, base, outer: 1, reduced: rows, inner: columns, into: target)
    case let .middle(outer, reduced, inner):
      preservedSums(kind, base, outer: outer, reduced: reduced, inner: inner, into: target)
    case let .outerAndInner(outer, kept, inner):
      outerAndInnerSums(kind, base, outer: outer, kept: kept, inner: inner, into: target)
    case let .transposed(dims, reduceFirst):
      let shuffled = UnsafeMutablePointer<K.Stored>.allocate(capacity: x.count)
      defer { shuffled.deallocate() }
      let permutation = transposition(rank: dims.count, reduceFirst: reduceFirst)
      transpose(base, dims: dims, permutation: permutation, into: shuffled)
      innerSums(kind, shuffled, rows: out.count, columns: x.count / out.count, into: out)
    }
    if mean {
      let divisor = K.divisor(x.count / out.count)
      for index in 0..<out.count { target[index] /= divisor }
    }
  }

  /// `FullReducer<Self, Op, ThreadPoolDevice>::run`: the cost model picks `shards` of the intra-op
  /// pool; with one shard the whole buffer is one tree. Otherwise `count / shards` elements per
  /// block, each block its own tree starting at its absolute index; the leftover tail's tree
  /// starts the sum (or 0 without a tail) and the blocks are added to it in order.
  static func fullSum<K: EigenSumKind>(
    _ kind: K.Type, _ base: UnsafePointer<K.Stored>, count: Int, intraOpThreads: Int
  ) -> K.Scalar {
    guard count > 0 else { return 0 }
    let shards = fullReducerShards(count: count, cost: K.fullReducerCost, intraOpThreads: intraOpThreads)
    // One tree small enough for the calling thread: no task lists to build.
    if shards == 1 && count < parallelThreshold { return treeSum(kind, base, Span(first: 0, count: count)) }
    let blockSize = shards == 1 ? count : count / shards
    let blocks = count / blockSize
    var roots = (0..<blocks).map { Span(first: $0 * blockSize, count: blockSize) }
    let tail = count - blocks * blockSize
    if tail > 0 { roots.append(Span(first: blocks * blockSize, count: tail)) }
    var sums = [K.Scalar](repeating: 0, count: roots.count)
    sums.withUnsafeMutableBufferPointer { treeSums(kind, base, roots: roots, into: $0) }
    if shards == 1 { return sums[0] }
    var sum: K.Scalar = tail > 0 ? sums[blocks] : 0
    for block in 0..<blocks { sum += sums[block] }
    return sum
  }

  /// Row `r` of a `[rows, columns]` matrix is the tree `InnerMostDimReducer` builds over
  /// `[r * columns, (r + 1) * columns)`, split at packets of the whole buffer.
  static func innerSums<K: EigenSumKind>(
    _ kind: K.Type, _ base: UnsafePointer<K.Stored>, rows: Int, columns: Int,
    into out: UnsafeMutableBufferPointer<K.Scalar>
  ) {
    let roots = (0..<rows).map { Span(first: $0 * columns, count: columns) }
    treeSums(kind, base, roots: roots, into: out)
  }

  /// Columns of output handled together by the packet path, in packets.
  static let tilePackets = 8

  /// `out[a, c] = Σ_b x[a, b, c]` as the thread-pool executor evaluates a reduction that keeps the
  /// innermost dimension. The flat output is cut into packets at multiples of `packetSize`; a
  /// packet that lies within one row `a` goes through `InnerMostDimPreserver<0>` (over `b`: four
  /// packet accumulators for rows `b ≡ 0, 1, 2, 3 (mod 4)` when `reduced >= 16`, folded as
  /// `((a0 + a1) + a2) + a3`, then the leftover rows into `a0`; one accumulator otherwise). Every
  /// other output — packets that straddle two rows, and the tail — is a plain running sum over `b`
  /// (`GenericDimReducer<0>`).
  static func preservedSums<K: EigenSumKind>(
    _ kind: K.Type, _ base: UnsafePointer<K.Stored>, outer: Int, reduced: Int, inner: Int,
    into out: UnsafeMutablePointer<K.Scalar>
  ) {
    let size = K.packetSize
    // (row a, first column, end column, packet path)
    var pieces: [(row: Int, start: Int, end: Int, packets: Bool)] = []
    for row in 0..<outer {
      let firstPacket = (size - row * inner % size) % size
      let packets = firstPacket + size <= inner ? (inner - firstPacket) / size : 0
      guard packets > 0 else {
        pieces.append((row, 0, inner, false))
        continue
      }
      if firstPacket > 0 { pieces.append((row, 0, firstPacket, false)) }
      let packetEnd = firstPacket + packets * size
      for start in stride(from: firstPacket, to: packetEnd, by: tilePackets * size) {
        pieces.append((row, start, min(start + tilePackets * size, packetEnd), true))
      }
      if packetEnd < inner { pieces.append((row, packetEnd, inner, false)) }
    }
    let input = SendablePointer(base)
    let output = SendablePointer(UnsafePointer(out))
    let work = pieces
    parallelChunks(count: work.count, weight: { (work[$0].end - work[$0].start) * reduced }) { range in
      for piece in work[range] {
        let source = piece.row * reduced * inner + piece.start
        let target = output.mutable + piece.row * inner + piece.start
        if piece.packets {
          preservedTile(
            K.self, input.pointer + source, reduced: reduced, stride: inner,
            packets: (piece.end - piece.start) / size, into: target)
        } else {
          for column in 0..<(piece.end - piece.start) {
            var sum: K.Scalar = 0
            for b in 0..<reduced { sum += K.scalar(input.pointer, source + b * inner + column) }
            target[column] = sum
          }
        }
      }
    }
  }

  /// `InnerMostDimPreserver<0>` for `packets` adjacent output packets at once (each lane's order is
  /// unchanged): rows `b` of `reduced` start `stride` elements apart from `base`.
  static func preservedTile<K: EigenSumKind>(
    _: K.Type, _ base: UnsafePointer<K.Stored>, reduced: Int, stride: Int, packets: Int,
    into out: UnsafeMutablePointer<K.Scalar>
  ) {
    let size = K.packetSize
    withUnsafeTemporaryAllocation(of: K.Packet.self, capacity: 4 * packets) { accumulators in
      accumulators.initialize(repeating: K.Packet())
      var b = 0
      if reduced >= 16 {
        let unrolled = reduced / 4 * 4
        while b < unrolled {
          for lane in 0..<4 {
            let row = base + (b + lane) * stride
            for packet in 0..<packets {
              accumulators[lane * packets + packet] += K.packet(row, packet * size)
            }
          }
          b += 4
        }
        for packet in 0..<packets {
          accumulators[packet] += accumulators[packets + packet]
          accumulators[packet] += accumulators[2 * packets + packet]
          accumulators[packet] += accumulators[3 * packets + packet]
        }
      }
      while b < reduced {
        let row = base + b * stride
        for packet in 0..<packets { accumulators[packet] += K.packet(row, packet * size) }
        b += 1
      }
      for packet in 0..<packets {
        UnsafeMutableRawPointer(out + packet * size).storeBytes(of: accumulators[packet], as: K.Packet.self)
      }
    }
  }

  /// `out[k] = Σ x[a, k, c]` with `c` outermost and `a` innermost, one running sum per output
  /// (`GenericDimReducer<1>` over the last axis, `<0>` over the first; no packets).
  static func outerAndInnerSums<K: EigenSumKind>(
    _ kind: K.Type, _ base: UnsafePointer<K.Stored>, outer: Int, kept: Int, inner: Int,
    into out: UnsafeMutablePointer<K.Scalar>
  ) {
    let input = SendablePointer(base)
    let output = SendablePointer(UnsafePointer(out))
    parallelChunks(count: kept, weight: { _ in outer * inner }) { range in
      for k in range {
        var sum: K.Scalar = 0
        for c in 0..<inner {
          for a in 0..<outer { sum += K.scalar(input.pointer, (a * kept + k) * inner + c) }
        }
        output.mutable[k] = sum
      }
    }
  }

  /// `ReductionHelper::permutation`: the kept runs in order, then the reduced runs in order.
  static func transposition(rank: Int, reduceFirst: Bool) -> [Int] {
    let keptStart = reduceFirst ? 1 : 0
    return Array(stride(from: keptStart, to: rank, by: 2)) + Array(stride(from: 1 - keptStart, to: rank, by: 2))
  }

  /// Copies the row-major `dims` tensor at `source` into `target` with its axes permuted:
  /// target axis `i` is source axis `permutation[i]`.
  static func transpose<T>(
    _ source: UnsafePointer<T>, dims: [Int], permutation: [Int], into target: UnsafeMutablePointer<T>
  ) {
    var strides = [Int](repeating: 1, count: dims.count)
    for axis in stride(from: dims.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * dims[axis + 1] }
    let outDims = permutation.map { dims[$0] }
    let inStrides = permutation.map { strides[$0] }
    var written = 0
    func copy(axis: Int, offset: Int) {
      if axis == outDims.count - 1 {
        for i in 0..<outDims[axis] { target[written + i] = source[offset + i * inStrides[axis]] }
        written += outDims[axis]
        return
      }
      for i in 0..<outDims[axis] { copy(axis: axis + 1, offset: offset + i * inStrides[axis]) }
    }
    copy(axis: 0, offset: 0)
  }
}
