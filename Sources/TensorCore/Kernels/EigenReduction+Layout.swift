extension EigenReduction {
  /// What TensorFlow's `ReductionOp` hands Eigen for a reduction of `shape` over some axes, after
  /// `ReductionHelper::Simplify` (tensorflow/core/kernels/reduction_ops_common.cc) has dropped
  /// leading size-1 dimensions, folded other size-1 dimensions into their neighbour's run, and
  /// merged adjacent runs of reduced and of kept dimensions (`ReductionLayout`, which every
  /// reduction shares).
  ///
  /// ```swift
  /// let layout = try EigenReduction.Layout(shape: [2, 1, 3, 1, 5], axes: [1, 4])
  /// // layout.kind == .inner(rows: 6, columns: 5)
  /// ```
  public struct Layout: Equatable, Sendable {
    /// The Eigen expression `ReductionOp::Compute` evaluates for this layout.
    public enum Kind: Equatable, Sendable {
      /// Nothing is reduced (only size-1 dimensions, or no axes): the input is copied unchanged.
      case copy
      /// The output has no elements.
      case empty
      /// The input has no elements but the output has: it is filled with the reduction's identity
      /// (0 for sums and integer means, NaN for floating-point means).
      case identity
      /// All `count` elements reduce to one: `FullReducer`, the only case the intra-op thread
      /// count changes.
      case full(count: Int)
      /// A row-major `[rows, columns]` matrix reduced over its columns: one tree per row.
      case inner(rows: Int, columns: Int)
      /// A row-major `[rows, columns]` matrix reduced over its rows.
      case outer(rows: Int, columns: Int)
      /// A row-major `[outer, reduced, inner]` tensor reduced over its middle axis.
      case middle(outer: Int, reduced: Int, inner: Int)
      /// A row-major `[outer, kept, inner]` tensor reduced over its first and last axes.
      case outerAndInner(outer: Int, kept: Int, inner: Int)
      /// Four or more alternating runs: the input is transposed so the reduced runs come last, then
      /// reduced as `.inner`. `dims` alternate between reduced and kept runs, starting with a
      /// reduced run when `reduceFirst`.
      case transposed(dims: [Int], reduceFirst: Bool)
    }

    /// The input's shape.
    public let inputShape: [Int]
    /// For each input axis, whether it is reduced.
    public let reducedAxes: [Bool]
    /// How the reduction is computed.
    public let kind: Kind

    /// Plans the reduction of `shape` over `axes`, which may be negative, as TensorFlow does.
    ///
    /// - Throws: `TensorError.invalidArgument` with TensorFlow's message for an axis out of range
    ///   or an axis named twice.
    public init(shape: [Int], axes: [Int]) throws(TensorError) {
      self.init(try ReductionLayout(shape: shape, axes: axes, keepDims: false), inputShape: shape)
    }

    /// Plans the reduction of `shape` over the axes flagged in `reducedAxes` (one flag per axis).
    public init(shape: [Int], reducedAxes: [Bool]) {
      self.init(ReductionLayout(shape: shape, reducedAxes: reducedAxes, keepDims: false), inputShape: shape)
    }

    /// The plan for `reduction`, the simplified reduction of `inputShape`.
    public init(_ reduction: ReductionLayout, inputShape: [Int]) {
      precondition(inputShape.count == reduction.reducedAxes.count, "the layout is for another rank")
      self.inputShape = inputShape
      reducedAxes = reduction.reducedAxes
      kind = Self.kind(dims: reduction.dims, reduceFirst: reduction.reduceFirst)
    }

    /// Number of output elements: the product of the kept dimensions.
    public var outputCount: Int {
      zip(inputShape, reducedAxes).reduce(1) { $0 * ($1.1 ? 1 : $1.0) }
    }

    /// The output's shape; reduced axes stay as size 1 when `keepDims`.
    public func outputShape(keepDims: Bool) -> [Int] {
      zip(inputShape, reducedAxes).compactMap { size, isReduced in isReduced ? (keepDims ? 1 : nil) : size }
    }

    /// The case analysis of `ReductionOp::Compute` on the dimensions `ReductionHelper::Simplify`
    /// leaves (`ReductionLayout.dims`, which is `[1]` when they are all size 1).
    static func kind(dims: [Int], reduceFirst: Bool) -> Kind {
      if dims.count == 1 && (dims[0] == 1 || !reduceFirst) { return .copy }
      let kept = stride(from: reduceFirst ? 1 : 0, to: dims.count, by: 2).reduce(1) { $0 * dims[$1] }
      if kept == 0 { return .empty }
      if dims.contains(0) { return .identity }
      switch (dims.count, reduceFirst) {
      case (1, _): return .full(count: dims[0])
      case (2, true): return .outer(rows: dims[0], columns: dims[1])
      case (2, false): return .inner(rows: dims[0], columns: dims[1])
      case (3, true): return .outerAndInner(outer: dims[0], kept: dims[1], inner: dims[2])
      case (3, false): return .middle(outer: dims[0], reduced: dims[1], inner: dims[2])
      default: return .transposed(dims: dims, reduceFirst: reduceFirst)
      }
    }
  }
}
