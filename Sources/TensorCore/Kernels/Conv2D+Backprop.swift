extension Conv2D {
  /// Calls `body` with each chunk of patch rows (as many as fit the patch budget, at least
  /// one) for each group, in order, with a patch buffer a chunk's rows fill.
  private static func forEachChunk<T>(
    _ g: Geometry, _ type: T.Type,
    _ body: (_ rows: Range<Int>, _ group: Int, _ patches: UnsafeMutablePointer<T>) throws(TensorError) -> Void
  ) throws(TensorError) {
    let rows = g.batch * g.outputHeight * g.outputWidth
    let columns = g.filterHeight * g.filterWidth * g.filterDepth
    let chunk = max(1, min(rows, patchBudgetBytes / MemoryLayout<T>.stride / max(columns, 1)))
    let patches = UnsafeMutablePointer<T>.allocate(capacity: chunk * columns)
    defer { patches.deallocate() }
    var start = 0
    while start < rows {
      let end = min(rows, start + chunk)
      for group in 0..<g.groups {
        try body(start..<end, group, patches)
      }
      start = end
    }
  }

  /// The gradient of a convolution's filter (`Conv2DBackpropFilter`): for each group, the
  /// im2col patch matrix of `input` transposed times the output gradient,
  /// `dW[KH * KW * C_in, C_out] = patchesᵀ · dY`, accumulated chunk by chunk over the patch rows.
  ///
  /// `input` holds `geometry.inputCount` elements, `outBackprop` `geometry.outputCount`,
  /// `filterGradient` `geometry.filterCount`; every element of `filterGradient` is written.
  /// Rounding: each filter element sums over every output pixel in the GEMM's order, which
  /// differs from TensorFlow's, so float32 results agree to a few ulp of the sum.
  ///
  /// ```swift
  /// try Conv2D.backpropFilter(input: x, outBackprop: dy, filterGradient: dw, geometry: geometry, gemm: .blas)
  /// ```
  public static func backpropFilter<T: BinaryFloatingPoint>(
    input: UnsafePointer<T>, outBackprop: UnsafePointer<T>, filterGradient: UnsafeMutablePointer<T>,
    geometry g: Geometry, gemm: GEMM<T>
  ) throws(TensorError) {
    guard g.filterCount > 0 else { return }
    filterGradient.update(repeating: 0, count: g.filterCount)
    guard g.outputCount > 0, g.inputCount > 0 else { return }
    let groupOutputs = g.outputDepth / g.groups
    let columns = g.filterHeight * g.filterWidth * g.filterDepth
    try forEachChunk(g, T.self) { rows, group, patches throws(TensorError) in
      Im2col(input: input, geometry: g, group: group).fill(rows: rows, into: patches)
      // dW_group[columns, groupOutputs] += patchesᵀ[columns, rows] · dY[rows, groupOutputs]
      try gemm.multiply(
        true, false, columns, groupOutputs, rows.count, 1, UnsafePointer(patches), columns,
        outBackprop + rows.lowerBound * g.outputDepth + group * groupOutputs, g.outputDepth, 1,
        filterGradient + group * groupOutputs, g.outputDepth)
    }
  }

  /// The gradient of a convolution's input (`Conv2DBackpropInput`): for each group, the
  /// output gradient times the filter transposed, `cols[N * OH * OW, KH * KW * C_in] = dY · Wᵀ`,
  /// then each patch row scatter-added back to the input positions its window read (col2im);
  /// positions in the padding are dropped.
  ///
  /// `filter` holds `geometry.filterCount` elements, `outBackprop` `geometry.outputCount`,
  /// `inputGradient` `geometry.inputCount`; every element of `inputGradient` is written.
  public static func backpropInput<T: BinaryFloatingPoint>(
    filter: UnsafePointer<T>, outBackprop: UnsafePointer<T>, inputGradient: UnsafeMutablePointer<T>,
    geometry g: Geometry, gemm: GEMM<T>
  ) throws(TensorError) {
    guard g.inputCount > 0 else { return }
    inputGradient.update(repeating: 0, count: g.inputCount)
    guard g.outputCount > 0, g.filterCount > 0 else { return }
    let groupOutputs = g.outputDepth / g.groups
    let columns = g.filterHeight * g.filterWidth * g.filterDepth
    try forEachChunk(g, T.self) { rows, group, patches throws(TensorError) in
      // cols[rows, columns] = dY[rows, groupOutputs] · W_groupᵀ[groupOutputs, columns]
      try gemm.multiply(
        false, true, rows.count, columns, groupOutputs, 1,
        outBackprop + rows.lowerBound * g.outputDepth + group * groupOutputs, g.outputDepth,
        filter + group * groupOutputs, g.outputDepth, 0, patches, columns)
      Col2im(gradient: inputGradient, geometry: g, group: group).add(rows: rows, from: patches)
    }
  }

  /// The inverse of `Im2col`: adds each patch row's values into the input positions its
  /// window covers (in `(kh, kw, c)` order), skipping taps in the padding. Serial, as windows
  /// overlap; rows are added in order, so the result does not depend on the cores.
  struct Col2im<T: BinaryFloatingPoint> {
    /// The whole NHWC input gradient, accumulated into.
    let gradient: UnsafeMutablePointer<T>
    /// The convolution being differentiated.
    let geometry: Geometry
    /// The group whose channels the patches hold.
    let group: Int

    /// Adds patch rows `rows` (global row indices) from `patches`, row `rows.lowerBound` first.
    func add(rows: Range<Int>, from patches: UnsafePointer<T>) {
      let g = geometry
      let depth = g.filterDepth
      let tapRun = g.filterWidth * depth
      let columns = g.filterHeight * tapRun
      let imageSize = g.inputHeight * g.inputWidth * g.inputDepth
      let channelBase = gradient + group * depth
      var source = patches
      for row in rows {
        let ow = row % g.outputWidth
        let oh = row / g.outputWidth % g.outputHeight
        let n = row / (g.outputWidth * g.outputHeight)
        let image = channelBase + n * imageSize
        let rowBase = oh * g.strideHeight - g.padTop
        let columnBase = ow * g.strideWidth - g.padLeft
        let (first, end) = Conv2D.validTaps(
          base: columnBase, count: g.filterWidth, dilation: g.dilationWidth, size: g.inputWidth)
        for kh in 0..<g.filterHeight {
          let ih = rowBase + kh * g.dilationHeight
          guard ih >= 0, ih < g.inputHeight, first < end else { continue }
          let tapSource = source + kh * tapRun
          for kw in first..<end {
            let target = image + (ih * g.inputWidth + columnBase + kw * g.dilationWidth) * g.inputDepth
            let values = tapSource + kw * depth
            for c in 0..<depth {
              target[c] += values[c]
            }
          }
        }
        source += columns
      }
    }
  }
}
