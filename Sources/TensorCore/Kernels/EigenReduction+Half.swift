extension EigenReduction {
  /// Sum of all bfloat16 elements, given and returned as raw bits: each element widened to float,
  /// summed in TF's float32 order, and the sum rounded to nearest even once.
  public static func sum(bfloat16Bits x: UnsafeBufferPointer<UInt16>, intraOpThreads: Int = 1) -> UInt16 {
    var result: UInt16 = 0
    withUnsafeMutablePointer(to: &result) { pointer in
      bfloat16(
        x, Layout(shape: [x.count], reducedAxes: [true]), mean: false, into: .init(start: pointer, count: 1),
        intraOpThreads)
    }
    return result
  }

  /// Mean of all bfloat16 elements as raw bits: the float sum divided by `Float(count)`, rounded
  /// once; NaN (`0x7FC0`) if empty.
  public static func mean(bfloat16Bits x: UnsafeBufferPointer<UInt16>, intraOpThreads: Int = 1) -> UInt16 {
    var result: UInt16 = 0
    withUnsafeMutablePointer(to: &result) { pointer in
      bfloat16(
        x, Layout(shape: [x.count], reducedAxes: [true]), mean: true, into: .init(start: pointer, count: 1),
        intraOpThreads)
    }
    return result
  }

  /// Sums the bfloat16 bits `x`, as `layout` plans it, into `out`, as TF does.
  public static func sum(
    bfloat16Bits x: UnsafeBufferPointer<UInt16>, over layout: Layout,
    into out: UnsafeMutableBufferPointer<UInt16>,
    intraOpThreads: Int = 1
  ) {
    bfloat16(x, layout, mean: false, into: out, intraOpThreads)
  }

  /// Means the bfloat16 bits `x`, as `layout` plans it, into `out`, as TF does.
  public static func mean(
    bfloat16Bits x: UnsafeBufferPointer<UInt16>, over layout: Layout,
    into out: UnsafeMutableBufferPointer<UInt16>,
    intraOpThreads: Int = 1
  ) {
    bfloat16(x, layout, mean: true, into: out, intraOpThreads)
  }

  /// bfloat16 through `BFloat16Sum`: a copy keeps the bits; everything else is computed in float
  /// and rounded, outputs in whole 8-wide packets on the packet path, the rest on the scalar path.
  static func bfloat16(
    _ x: UnsafeBufferPointer<UInt16>, _ layout: Layout, mean: Bool, into out: UnsafeMutableBufferPointer<UInt16>,
    _ intraOpThreads: Int
  ) {
    if layout.kind == .copy {
      precondition(out.count == x.count, "output buffer does not match the layout's output")
      _ = out.initialize(from: x)
      return
    }
    let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: out.count)
    defer { floats.deallocate() }
    reduce(BFloat16Sum.self, x, layout, mean: mean, into: floats, intraOpThreads: intraOpThreads)
    let packetEnd = out.count / 8 * 8
    for index in 0..<out.count { out[index] = bfloat16Bits(floats[index], packetPath: index < packetEnd) }
  }
}

#if !(os(macOS) && arch(x86_64))
  extension EigenReduction {
    /// Sum of all float16 elements in TF's order: half-precision packets and adds, leaves of 200
    /// packets (TF does not widen float16 sums).
    public static func sum(_ x: UnsafeBufferPointer<Float16>, intraOpThreads: Int = 1) -> Float16 {
      whole(HalfSum.self, x, mean: false, intraOpThreads: intraOpThreads)
    }

    /// Mean of all float16 elements as TF computes it: the half sum divided by the count converted
    /// to half, which is infinite past 65,519 elements (so the mean is 0); NaN if empty.
    public static func mean(_ x: UnsafeBufferPointer<Float16>, intraOpThreads: Int = 1) -> Float16 {
      whole(HalfSum.self, x, mean: true, intraOpThreads: intraOpThreads)
    }

    /// Sums `x`, a float16 tensor, as `layout` plans it, into `out`, in TF's order.
    public static func sum(
      _ x: UnsafeBufferPointer<Float16>, over layout: Layout, into out: UnsafeMutableBufferPointer<Float16>,
      intraOpThreads: Int = 1
    ) {
      reduce(HalfSum.self, x, layout, mean: false, into: out, intraOpThreads: intraOpThreads)
    }

    /// Means `x`, a float16 tensor, as `layout` plans it, into `out`, as TF does.
    public static func mean(
      _ x: UnsafeBufferPointer<Float16>, over layout: Layout, into out: UnsafeMutableBufferPointer<Float16>,
      intraOpThreads: Int = 1
    ) {
      reduce(HalfSum.self, x, layout, mean: true, into: out, intraOpThreads: intraOpThreads)
    }
  }
#endif
