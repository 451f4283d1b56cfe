/// `tf.reduce_sum` and `tf.reduce_mean` in exactly TensorFlow 2.21 CPU's summation order, so the
/// results are bit-identical to TF's.
///
/// TF's `ReductionOp` (tensorflow/core/kernels/reduction_ops_common.h) first simplifies the axes
/// (`ReductionLayout`), picks an Eigen expression for the result (`Layout`), then evaluates it on
/// its thread pool. The TF wheel is built for AVX
/// (not AVX2/FMA), so Eigen's packets are 8 floats (`Packet8f`), 4 doubles (`Packet4d`) and 8
/// halves (`Packet8h`). The orders, all from unsupported/Eigen/CXX11/src/Tensor/TensorReduction.h:
///
/// - **Whole buffer** (`Layout.Kind.full`): `FullReducer<…, ThreadPoolDevice>`. Eigen's cost model
///   (`TensorCostModel::numThreads`) cuts the buffer into as many blocks as the intra-op pool allows
///   once it is big enough — from 108,388 float32, 54,194 float64, 131,765 float16 and 148,100
///   bfloat16 elements with two threads — and sums each block as a tree; the sum is
///   `((tail + b0) + b1) + …`. With one thread, or below those sizes, the buffer is one tree.
/// - **A tree** (`InnerMostDimReducer`, vectorised, tree reduction): a run of more than
///   `packetSize * leafSize` elements (leaf size 1024; 200 for float16) is split in two at
///   `packetSize * ceil((first + ceil(count / 2)) / packetSize)` — aligned to packets of the whole
///   buffer — and summed as `(0 + left) + right`. A leaf keeps four packet accumulators over blocks
///   of four packets, folds them `((p0 + p1) + p2) + p3`, adds the remaining whole packets to `p0`,
///   sums the scalar tail from 0, and returns `tail + predux(p0)`, where `predux` of `Packet8f` is
///   `((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7))`.
/// - **Rows of a matrix** (`.inner`): each row is such a tree starting at its absolute index.
/// - **Columns, and the middle axis** (`.outer`, `.middle`): the output is cut into packets at
///   multiples of the packet size; a packet within one output row sums the reduced axis in four
///   accumulators (rows ≡ 0, 1, 2, 3 mod 4, folded `((a0 + a1) + a2) + a3`, then the leftover
///   rows) when that axis has 16 or more entries (`InnerMostDimPreserver`); every other output is
///   a running sum from 0 (`GenericDimReducer`). `.outerAndInner` is always a running sum, last
///   axis outermost; `.transposed` moves the reduced axes last and reduces rows.
/// - **Mean**: the sum divided by `static_cast<T>(count)` (`ReduceEigenImpl` for `MeanReducer` in
///   tensorflow/core/kernels/reduction_ops.h). float16 sums and divides in half precision, so a
///   mean over more than 65,519 halves divides by infinity. bfloat16 sums and divides in float and
///   rounds once. Integer means sum in 64 bits and divide with truncation.
///
/// Only the whole-buffer case depends on `intraOpThreads` (checked against TF with 1, 2 and 4
/// threads, eager and `tf.compat.v1.Session`). In a `Session`, a reduction of a constant is folded
/// by the graph optimizer before the run, in the 1-thread order whatever the setting (eager mode
/// and `tf.function` use the configured threads).
/// Large inputs are summed here on all cores by splitting the same trees into independent
/// subtrees, which never changes the bits. NaN results are NaN, but their sign and payload may
/// differ from TF's.
public enum EigenReduction {
  /// Sum of all elements, in TF's order for a full reduction with `intraOpThreads` intra-op threads.
  ///
  /// ```swift
  /// let values = [Float](repeating: 0.1, count: 3_000_000)
  /// values.withUnsafeBufferPointer { EigenReduction.sum($0) }  // 300000.5625, as in TF
  /// ```
  public static func sum(_ x: UnsafeBufferPointer<Float>, intraOpThreads: Int = 1) -> Float {
    whole(FloatSum.self, x, mean: false, intraOpThreads: intraOpThreads)
  }

  /// Mean of all elements as TF computes it: the full sum divided by `Float(count)`; NaN if empty.
  public static func mean(_ x: UnsafeBufferPointer<Float>, intraOpThreads: Int = 1) -> Float {
    whole(FloatSum.self, x, mean: true, intraOpThreads: intraOpThreads)
  }

  /// Sums `x`, a row-major tensor, as `layout` plans it, into `out`, which holds the kept
  /// dimensions in order, in TF's order.
  public static func sum(
    _ x: UnsafeBufferPointer<Float>, over layout: Layout, into out: UnsafeMutableBufferPointer<Float>,
    intraOpThreads: Int = 1
  ) {
    reduce(FloatSum.self, x, layout, mean: false, into: out, intraOpThreads: intraOpThreads)
  }

  /// Means `x`, as `layout` plans it, into `out`, as TF does.
  public static func mean(
    _ x: UnsafeBufferPointer<Float>, over layout: Layout, into out: UnsafeMutableBufferPointer<Float>,
    intraOpThreads: Int = 1
  ) {
    reduce(FloatSum.self, x, layout, mean: true, into: out, intraOpThreads: intraOpThreads)
  }

  /// For a row-major `[outer, reduced, inner]` view, `out[o, i]` = the sum over `r` of
  /// `x[o, r, i]`, in TF's order for reducing the middle axis of that shape.
  public static func sum(
    _ x: UnsafeBufferPointer<Float>, outer: Int, reduced: Int, inner: Int, into out: UnsafeMutableBufferPointer<Float>,
    intraOpThreads: Int = 1
  ) {
    reduce(FloatSum.self, x, middle(outer, reduced, inner), mean: false, into: out, intraOpThreads: intraOpThreads)
  }

  /// For a row-major `[outer, reduced, inner]` view, `out[o, i]` = the mean over `r` of
  /// `x[o, r, i]`, as TF computes it.
  public static func mean(
    _ x: UnsafeBufferPointer<Float>, outer: Int, reduced: Int, inner: Int, into out: UnsafeMutableBufferPointer<Float>,
    intraOpThreads: Int = 1
  ) {
    reduce(FloatSum.self, x, middle(outer, reduced, inner), mean: true, into: out, intraOpThreads: intraOpThreads)
  }

  /// Sum of all elements, in TF's order for a full float64 reduction.
  public static func sum(_ x: UnsafeBufferPointer<Double>, intraOpThreads: Int = 1) -> Double {
    whole(DoubleSum.self, x, mean: false, intraOpThreads: intraOpThreads)
  }

  /// Mean of all elements as TF computes it: the full sum divided by `Double(count)`; NaN if empty.
  public static func mean(_ x: UnsafeBufferPointer<Double>, intraOpThreads: Int = 1) -> Double {
    whole(DoubleSum.self, x, mean: true, intraOpThreads: intraOpThreads)
  }

  /// Sums `x`, a float64 tensor, as `layout` plans it, into `out`, in TF's order.
  public static func sum(
    _ x: UnsafeBufferPointer<Double>, over layout: Layout, into out: UnsafeMutableBufferPointer<Double>,
    intraOpThreads: Int = 1
  ) {
    reduce(DoubleSum.self, x, layout, mean: false, into: out, intraOpThreads: intraOpThreads)
  }

  /// Means `x`, a float64 tensor, as `layout` plans it, into `out`, as TF does.
  public static func mean(
    _ x: UnsafeBufferPointer<Double>, over layout: Layout, into out: UnsafeMutableBufferPointer<Double>,
    intraOpThreads: Int = 1
  ) {
    reduce(DoubleSum.self, x, layout, mean: true, into: out, intraOpThreads: intraOpThreads)
  }

  /// For a row-major float64 `[outer, reduced, inner]` view, sums over the middle axis into `out`.
  public static func sum(
    _ x: UnsafeBufferPointer<Double>, outer: Int, reduced: Int, inner: Int,
    into out: UnsafeMutableBufferPointer<Double>,
    intraOpThreads: Int = 1
  ) {
    reduce(DoubleSum.self, x, middle(outer, reduced, inner), mean: false, into: out, intraOpThreads: intraOpThreads)
  }

  /// For a row-major float64 `[outer, reduced, inner]` view, means over the middle axis into `out`.
  public static func mean(
    _ x: UnsafeBufferPointer<Double>, outer: Int, reduced: Int, inner: Int,
    into out: UnsafeMutableBufferPointer<Double>,
    intraOpThreads: Int = 1
  ) {
    reduce(DoubleSum.self, x, middle(outer, reduced, inner), mean: true, into: out, intraOpThreads: intraOpThreads)
  }

  /// The layout of a reduction over the middle axis of `[outer, reduced, inner]`.
  static func middle(_ outer: Int, _ reduced: Int, _ inner: Int) -> Layout {
    Layout(shape: [outer, reduced, inner], reducedAxes: [false, true, false])
  }

  /// The full reduction (or mean) of a whole buffer, through the same path as `tf.reduce_sum(x)`.
  static func whole<K: EigenSumKind>(
    _ kind: K.Type, _ x: UnsafeBufferPointer<K.Stored>, mean: Bool, intraOpThreads: Int
  ) -> K.Scalar where K.Stored == K.Scalar {
    var result: K.Scalar = 0
    withUnsafeMutablePointer(to: &result) { pointer in
      let layout = Layout(shape: [x.count], reducedAxes: [true])
      reduce(
        kind, x, layout, mean: mean, into: UnsafeMutableBufferPointer(start: pointer, count: 1),
        intraOpThreads: intraOpThreads)
    }
    return result
  }
}
