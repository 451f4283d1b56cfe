extension EigenReduction {
  /// Sum of all integer elements, wrapping on overflow as TF's `SumReducer<T>` does (integer sums
  /// are exactly associative, so the order does not matter).
  public static func sum<T: FixedWidthInteger>(_ x: UnsafeBufferPointer<T>) -> T {
    x.reduce(0, &+)
  }

  /// Mean of all integer elements as TF computes it: summed (wrapping) in `Int64`/`UInt64`, divided
  /// by the count with truncation toward zero, then truncated to `T`; 0 if empty.
  public static func mean<T: FixedWidthInteger>(_ x: UnsafeBufferPointer<T>) -> T {
    var result: T = 0
    withUnsafeMutablePointer(to: &result) { pointer in
      integers(x, Layout(shape: [x.count], reducedAxes: [true]), mean: true, into: .init(start: pointer, count: 1))
    }
    return result
  }

  /// Sums the integers `x`, as `layout` plans it, into `out`, wrapping.
  public static func sum<T: FixedWidthInteger>(
    _ x: UnsafeBufferPointer<T>, over layout: Layout, into out: UnsafeMutableBufferPointer<T>
  ) {
    integers(x, layout, mean: false, into: out)
  }

  /// Means the integers `x`, as `layout` plans it, into `out`, as TF does
  /// (`CASTING_SPECIALIZATION(int32_t, int64_t)` and friends in reduction_ops.h).
  public static func mean<T: FixedWidthInteger>(
    _ x: UnsafeBufferPointer<T>, over layout: Layout, into out: UnsafeMutableBufferPointer<T>
  ) {
    integers(x, layout, mean: true, into: out)
  }

  /// Integer reductions: sums wrap in `T`; means sum in the 64-bit type of `T`'s signedness.
  static func integers<T: FixedWidthInteger>(
    _ x: UnsafeBufferPointer<T>, _ layout: Layout, mean: Bool, into out: UnsafeMutableBufferPointer<T>
  ) {
    precondition(x.count == layout.inputShape.reduce(1, *), "input buffer does not match the layout's shape")
    precondition(out.count == layout.outputCount, "output buffer does not match the layout's output")
    if layout.kind == .copy {
      _ = out.initialize(from: x)
      return
    }
    guard mean else {
      accumulate(x, layout, into: out) { $0 }
      return
    }
    if T.isSigned {
      widenedMean(x, layout, Int64.self, into: out)
    } else {
      widenedMean(x, layout, UInt64.self, into: out)
    }
  }

  /// Sums `x` in `Wide`, divides each sum by `in.size / out.size`, and truncates back to `T`.
  static func widenedMean<T: FixedWidthInteger, Wide: FixedWidthInteger>(
    _ x: UnsafeBufferPointer<T>, _ layout: Layout, _: Wide.Type, into out: UnsafeMutableBufferPointer<T>
  ) {
    let sums = UnsafeMutableBufferPointer<Wide>.allocate(capacity: out.count)
    defer { sums.deallocate() }
    accumulate(x, layout, into: sums) { Wide(truncatingIfNeeded: $0) }
    let divisor = out.isEmpty || x.isEmpty ? 1 : Wide(x.count / out.count)
    for index in 0..<out.count { out[index] = T(truncatingIfNeeded: sums[index] / divisor) }
  }

  /// Adds every element of `x`, converted by `widen`, into the output element it reduces into.
  /// The order is memory order: integer sums do not depend on it.
  static func accumulate<T, Wide: FixedWidthInteger>(
    _ x: UnsafeBufferPointer<T>, _ layout: Layout, into out: UnsafeMutableBufferPointer<Wide>, _ widen: (T) -> Wide
  ) {
    out.initialize(repeating: 0)
    guard !x.isEmpty, !out.isEmpty else { return }
    // Output stride of each input axis: 0 when reduced.
    var strides = [Int](repeating: 0, count: layout.inputShape.count)
    var stride = 1
    for axis in layout.inputShape.indices.reversed() where !layout.reducedAxes[axis] {
      strides[axis] = stride
      stride *= layout.inputShape[axis]
    }
    let shape = layout.inputShape
    var index = 0
    func walk(axis: Int, offset: Int) {
      if axis == shape.count {
        out[offset] &+= widen(x[index])
        index += 1
        return
      }
      if axis == shape.count - 1 {
        let step = strides[axis]
        for i in 0..<shape[axis] { out[offset + i * step] &+= widen(x[index + i]) }
        index += shape[axis]
        return
      }
      for i in 0..<shape[axis] { walk(axis: axis + 1, offset: offset + i * strides[axis]) }
    }
    walk(axis: 0, offset: 0)
  }
}
