/// Where Eigen's packet and scalar paths fall in TF's broadcasting binary kernels.
///
/// TF's `BinaryOp` collapses the two shapes as `BCast` does; at most one dimension left (same
/// shapes, or a scalar operand) it evaluates `binaryExpr` with the non-tiled executor, packets
/// over the whole output (`EigenElementwise`). With two or more dimensions it broadcasts, and
/// Eigen's tiled executor (TensorExecutor.h) cuts the output into blocks skewed toward the inner
/// dimension, of `40000 / cost-per-coefficient` elements (`GetTensorExecutorTilingContext`);
/// `TensorBlockAssignment` writes each block in runs as long as the block is contiguous in the
/// output, packets from each run's start and scalars for its last `length % packetSize`.
public enum EigenTiling {
  /// The runs of the output of a broadcasting binary op of operand shapes `lhs` and `rhs`,
  /// each evaluated packets-first; one run of the whole output when TF does not tile.
  /// `functorCost` is the functor's `functor_traits<…>::Cost`.
  public static func binaryRuns(
    _ lhs: [Int], _ rhs: [Int], scalarBytes: Int, packetSize: Int, functorCost: Double
  ) -> [Range<Int>] {
    let (out, lhsBroadcasts, rhsBroadcasts) = collapsed(lhs, rhs)
    let count = out.reduce(1, *)
    guard out.count >= 2, count > 0 else { return [0..<count] }
    // TensorCostModel::totalCost per coefficient: each broadcast operand's block loads and
    // stores one scalar at 11/64 cycles a byte; the functor costs `Cost / PacketSize`.
    let memory = Double(scalarBytes) * 11 / 64 * 2
    let broadcasts = Double((lhsBroadcasts ? 1 : 0) + (rhsBroadcasts ? 1 : 0))
    let cost = broadcasts * memory + functorCost / Double(packetSize)
    let target = Int(1.0 / (cost / 40000))
    guard count > target else { return [0..<count] }
    // TensorBlockMapper, kSkewedInnerDims.
    var block = out
    var remaining = target
    for dim in out.indices.reversed() {
      block[dim] = min(remaining, out[dim])
      remaining = (remaining + max(1, block[dim]) - 1) / max(1, block[dim])
    }
    var runs: [Range<Int>] = []
    let strides = Shape.strides(out)
    let blockCounts = out.indices.map { (out[$0] + block[$0] - 1) / block[$0] }
    for blockIndex in 0..<blockCounts.reduce(1, *) {
      // The block's origin and its extent, clipped at the tensor's edge.
      var rest = blockIndex
      var origin = [Int](repeating: 0, count: out.count)
      var extent = block
      for dim in out.indices.reversed() {
        origin[dim] = rest % blockCounts[dim] * block[dim]
        rest /= blockCounts[dim]
        extent[dim] = min(block[dim], out[dim] - origin[dim])
      }
      // TensorBlockAssignment squeezes inner dimensions while the block spans them fully.
      var inner = extent[out.count - 1]
      var squeezed = out.count - 1
      while squeezed > 0, inner == strides[squeezed - 1] {
        squeezed -= 1
        inner *= extent[squeezed]
      }
      let outerExtent = Array(extent[..<squeezed])
      for outer in 0..<outerExtent.reduce(1, *) {
        var offset = origin.indices.reduce(0) { $0 + origin[$1] * strides[$1] }
        var index = outer
        for dim in outerExtent.indices.reversed() {
          offset += index % outerExtent[dim] * strides[dim]
          index /= outerExtent[dim]
        }
        runs.append(offset..<offset + inner)
      }
    }
    return runs
  }

  /// `BCast`'s collapsed output shape (`fewer_dims_optimization`): dimensions of size 1 in both
  /// operands dropped, adjacent dimensions broadcast alike merged; and whether each operand is
  /// broadcast at all.
  static func collapsed(_ lhs: [Int], _ rhs: [Int]) -> (out: [Int], lhs: Bool, rhs: Bool) {
    let rank = max(lhs.count, rhs.count)
    let a = [Int](repeating: 1, count: rank - lhs.count) + lhs
    let b = [Int](repeating: 1, count: rank - rhs.count) + rhs
    var out: [Int] = []
    var previous = -1
    var (lhsBroadcasts, rhsBroadcasts) = (false, false)
    for dim in (0..<rank).reversed() where !(a[dim] == 1 && b[dim] == 1) {
      let state = a[dim] == b[dim] ? 0 : a[dim] == 1 ? 1 : 2
      lhsBroadcasts = lhsBroadcasts || state == 1
      rhsBroadcasts = rhsBroadcasts || state == 2
      if state == previous {
        out[out.count - 1] *= max(a[dim], b[dim])
      } else {
        out.append(max(a[dim], b[dim]))
      }
      previous = state
    }
    return (out.reversed(), lhsBroadcasts, rhsBroadcasts)
  }
}

extension EigenElementwise {
  /// `F` on two float32 or float64 tensors already broadcast to one shape, packets-first in
  /// each of `runs` (`EigenTiling.binaryRuns`).
  @inlinable
  public static func zip<F: EigenBinaryFunctor, S: EigenScalar>(
    _ a: Tensor, _ b: Tensor, _ function: F.Type, as type: S.Type, runs: [Range<Int>]
  ) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(S.self, shape: a.shape)
    a.withUnsafeBufferPointer(as: S.self) { lhs in
      b.withUnsafeBufferPointer(as: S.self) { rhs in
        guard let p = lhs.baseAddress, let q = rhs.baseAddress else { return }
        Parallel.forEachRange(runs.count, cost: max(1, lhs.count / max(1, runs.count)), granule: 1) { chunk in
          Elementwise.flushing(true) {
            for run in runs[chunk] {
              let split = run.upperBound - run.count % S.packetSize
              let start = run.lowerBound
              S.packets(F.self, p + start, q + start, o + start, count: split - start)
              for i in split..<run.upperBound { (o + i).initialize(to: S.scalar(F.self, p[i], q[i])) }
            }
          }
        }
      }
    }
    return out
  }
}
