/// TensorFlow's `Conv2D` forward kernel on the CPU: NHWC input, HWIO filter, NHWC output,
/// computed as one matrix product per group over im2col patches.
///
/// Each output pixel `(n, oh, ow)` is one row of a patch matrix holding its receptive field in
/// `(kh, kw, c)` order (zeros where the window hangs over the padding); the filter, read as
/// the matrix `[KH * KW * C_in, C_out]`, multiplies it into the `[N * OH * OW, C_out]` output.
/// Patch rows are built and multiplied in chunks so the patch buffer stays bounded.
///
/// Rounding: float64 and float32 sum each window in the GEMM's order, which differs from
/// TensorFlow's (Eigen for float64, oneDNN for float32), so results agree to a few ulp, not
/// bit for bit. Float16 is computed in float32 and rounded once, as TensorFlow's CPU kernel does.
public enum Conv2D {
  /// The most bytes the patch matrix of one chunk may take. Small enough that a chunk's
  /// patches are still in cache when the GEMM reads them: for an 8x64x64x32 input and a
  /// 3x3x32x64 filter, 1-2 MB chunks ran faster than one sgemm over the whole patch matrix,
  /// 32 MB chunks at half its speed.
  static let patchBudgetBytes = 2 << 20

  /// Convolves a float32 NHWC `input` with an HWIO `filter` into `output`.
  ///
  /// The buffers hold `geometry.inputCount`, `geometry.filterCount` and
  /// `geometry.outputCount` elements; every element of `output` is written.
  ///
  /// ```swift
  /// let geometry = try Conv2D.Geometry(
  ///   inputShape: [1, 5, 5, 3], filterShape: [3, 3, 3, 8], strides: [1, 2, 2, 1], padding: .same)
  /// try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry)  // y: [1, 3, 3, 8]
  /// ```
  public static func conv2d(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    geometry: Geometry, gemm: GEMM<Float> = .blas
  ) throws(TensorError) {
    try forward(input: input, filter: filter, output: output, geometry: geometry, gemm: gemm)
  }

  /// Convolves a float64 NHWC `input` with an HWIO `filter` into `output`; see the float32
  /// overload.
  public static func conv2d(
    input: UnsafePointer<Double>, filter: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
    geometry: Geometry, gemm: GEMM<Double> = .blas
  ) throws(TensorError) {
    try forward(input: input, filter: filter, output: output, geometry: geometry, gemm: gemm)
  }

  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Convolves a float16 NHWC `input` with an HWIO `filter` into `output`, as TensorFlow's
    /// CPU kernel does: widened to float32, convolved in float32, each output rounded once to
    /// float16 (round to nearest even).
    public static func conv2d(
      input: UnsafePointer<Float16>, filter: UnsafePointer<Float16>,
      output: UnsafeMutablePointer<Float16>, geometry: Geometry, gemm: GEMM<Float> = .blas
    ) throws(TensorError) {
      let outputCount = geometry.outputCount
      guard outputCount > 0 else { return }
      let wideInput = widened(input, count: geometry.inputCount)
      let wideFilter = widened(filter, count: geometry.filterCount)
      let wideOutput = UnsafeMutablePointer<Float>.allocate(capacity: outputCount)
      defer {
        wideInput.deallocate()
        wideFilter.deallocate()
        wideOutput.deallocate()
      }
      try forward(
        input: wideInput, filter: wideFilter, output: wideOutput, geometry: geometry, gemm: gemm)
      for index in 0..<outputCount {
        output[index] = Float16(wideOutput[index])
      }
    }

    /// A new float32 copy of `count` float16 values; the caller deallocates it.
    private static func widened(_ values: UnsafePointer<Float16>, count: Int) -> UnsafeMutablePointer<Float> {
      let wide = UnsafeMutablePointer<Float>.allocate(capacity: count)
      for index in 0..<count {
        wide[index] = Float(values[index])
      }
      return wide
    }
  #endif

  /// The kernel for every element type: the trivial cases, the two shapes whose patch matrix
  /// is the input itself, then im2col + GEMM chunk by chunk.
  static func forward<T: BinaryFloatingPoint>(
    input: UnsafePointer<T>, filter: UnsafePointer<T>, output: UnsafeMutablePointer<T>,
    geometry g: Geometry, gemm: GEMM<T>
  ) throws(TensorError) {
    guard g.outputCount > 0 else { return }
    guard g.inputCount > 0 else {
      // Only padding is left to convolve, as in TensorFlow.
      output.update(repeating: 0, count: g.outputCount)
      return
    }
    let groups = g.groups
    let groupOutputs = g.outputDepth / groups
    let rows = g.batch * g.outputHeight * g.outputWidth
    let columns = g.filterHeight * g.filterWidth * g.filterDepth

    if g.isPointwise {
      // 1x1, stride 1, no padding: the input is already the [N*H*W, C] patch matrix.
      for group in 0..<groups {
        try gemm.multiply(
          false, false, rows, groupOutputs, g.filterDepth, 1,
          input + group * g.filterDepth, g.inputDepth,
          filter + group * groupOutputs, g.outputDepth, 0,
          output + group * groupOutputs, g.outputDepth)
      }
      return
    }
    if g.isFullWindow {
      // The window covers each whole image: the input is the [N, H*W*C] patch matrix.
      try gemm.multiply(
        false, false, g.batch, g.outputDepth, columns, 1, input, columns,
        filter, g.outputDepth, 0, output, g.outputDepth)
      return
    }

    let chunkRows = max(1, min(rows, patchBudgetBytes / MemoryLayout<T>.stride / columns))
    let patches = UnsafeMutablePointer<T>.allocate(capacity: chunkRows * columns)
    defer { patches.deallocate() }
    var start = 0
    while start < rows {
      let end = min(rows, start + chunkRows)
      for group in 0..<groups {
        let im2col = Im2col(input: input, geometry: g, group: group)
        im2col.fill(rows: start..<end, into: patches)
        try gemm.multiply(
          false, false, end - start, groupOutputs, columns, 1, UnsafePointer(patches), columns,
          filter + group * groupOutputs, g.outputDepth, 0,
          output + start * g.outputDepth + group * groupOutputs, g.outputDepth)
      }
      start = end
    }
  }
}

extension Conv2D.Geometry {
  /// Whether the convolution is a plain matrix product of the input: a 1x1 filter with stride 1
  /// and no padding (TensorFlow's own 1x1 shortcut).
  var isPointwise: Bool {
    filterHeight == 1 && filterWidth == 1 && strideHeight == 1 && strideWidth == 1
      && padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0
  }

  /// Whether one undilated, unpadded window covers each whole image of an ungrouped
  /// convolution (TensorFlow's other matrix-product shortcut).
  var isFullWindow: Bool {
    filterHeight == inputHeight && filterWidth == inputWidth && dilationHeight == 1
      && dilationWidth == 1 && padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0
      && filterDepth == inputDepth
  }
}
