import Dispatch

extension Conv2D {
  /// Builds rows of the patch matrix of one group: row `r` is output pixel `r` (in NHW order),
  /// its `filterHeight * filterWidth * filterDepth` columns the input values under the window
  /// in `(kh, kw, c)` order, zero where the window lies in the padding.
  ///
  /// Copies are contiguous runs: per filter row, one run of `filterWidth * C` values when taps
  /// are adjacent and the group spans every channel, else one run of `filterDepth` values per
  /// tap. Large chunks are split across cores.
  struct Im2col<T: BinaryFloatingPoint>: @unchecked Sendable {
    /// The whole NHWC input.
    let input: UnsafePointer<T>
    /// The convolution being computed.
    let geometry: Geometry
    /// The group whose channels the patches hold.
    let group: Int

    /// Patch elements below which one core fills the chunk alone.
    static var parallelThreshold: Int { 1 << 16 }

    /// Pieces a large chunk is cut into, spread over the kernel threads (polling between pieces).
    static var pieces: Int { 16 }

    /// Fills patch rows `rows` (global row indices) into `patches`, row `rows.lowerBound` first.
    func fill(rows: Range<Int>, into patches: UnsafeMutablePointer<T>) {
      let columns = geometry.filterHeight * geometry.filterWidth * geometry.filterDepth
      guard rows.count > 1, rows.count * columns >= Self.parallelThreshold else {
        fillSerially(rows: rows, into: patches)
        return
      }
      let pieces = min(rows.count, Self.pieces)
      let target = SendablePointer(patches)
      let context = KernelContext.current
      Parallel.forEachIndex(pieces, threads: context.threads, polling: context.cancellation) { piece in
        let lower = rows.lowerBound + rows.count * piece / pieces
        let upper = rows.lowerBound + rows.count * (piece + 1) / pieces
        fillSerially(rows: lower..<upper, into: target.pointer + (lower - rows.lowerBound) * columns)
      }
    }

    /// Fills patch rows `rows` on the calling thread.
    func fillSerially(rows: Range<Int>, into patches: UnsafeMutablePointer<T>) {
      guard !rows.isEmpty else { return }
      let g = geometry
      let depth = g.filterDepth
      let tapRun = g.filterWidth * depth
      let columns = g.filterHeight * tapRun
      // With adjacent taps and all channels, a filter row's taps are one run of the input.
      let wholeRows = g.dilationWidth == 1 && depth == g.inputDepth
      let imageSize = g.inputHeight * g.inputWidth * g.inputDepth
      let channelBase = input + group * depth

      var ow = rows.lowerBound % g.outputWidth
      var oh = rows.lowerBound / g.outputWidth % g.outputHeight
      var n = rows.lowerBound / (g.outputWidth * g.outputHeight)
      var destination = patches
      for _ in rows {
        let image = channelBase + n * imageSize
        let rowBase = oh * g.strideHeight - g.padTop
        let columnBase = ow * g.strideWidth - g.padLeft
        let (first, end) = validTaps(
          base: columnBase, count: g.filterWidth, dilation: g.dilationWidth, size: g.inputWidth)
        for kh in 0..<g.filterHeight {
          let ih = rowBase + kh * g.dilationHeight
          let target = destination + kh * tapRun
          guard ih >= 0, ih < g.inputHeight, first < end else {
            target.update(repeating: 0, count: tapRun)
            continue
          }
          if first > 0 {
            target.update(repeating: 0, count: first * depth)
          }
          let source = image + (ih * g.inputWidth + columnBase) * g.inputDepth
          if wholeRows {
            (target + first * depth).update(from: source + first * depth, count: (end - first) * depth)
          } else {
            for kw in first..<end {
              (target + kw * depth).update(from: source + kw * g.dilationWidth * g.inputDepth, count: depth)
            }
          }
          if end < g.filterWidth {
            (target + end * depth).update(repeating: 0, count: (g.filterWidth - end) * depth)
          }
        }
        destination += columns
        ow += 1
        if ow == g.outputWidth {
          ow = 0
          oh += 1
          if oh == g.outputHeight {
            oh = 0
            n += 1
          }
        }
      }
    }

    /// The taps `first..<end` of a window starting at `base` whose positions
    /// `base + k * dilation` fall inside `0..<size`; empty when none do.
    func validTaps(base: Int, count: Int, dilation: Int, size: Int) -> (first: Int, end: Int) {
      Conv2D.validTaps(base: base, count: count, dilation: dilation, size: size)
    }
  }

  /// The taps `first..<end` of a window starting at `base` whose positions
  /// `base + k * dilation` fall inside `0..<size`; empty when none do.
  static func validTaps(base: Int, count: Int, dilation: Int, size: Int) -> (first: Int, end: Int) {
    let first = base >= 0 ? 0 : min(count, (-base + dilation - 1) / dilation)
    let end = base >= size ? 0 : min(count, (size - 1 - base) / dilation + 1)
    return end > first ? (first, end) : (0, 0)
  }

  /// A pointer handed to the workers of `concurrentPerform`, which write disjoint rows.
  struct SendablePointer<T>: @unchecked Sendable {
    /// The start of the buffer.
    let pointer: UnsafeMutablePointer<T>

    /// Wraps `pointer`.
    init(_ pointer: UnsafeMutablePointer<T>) {
      self.pointer = pointer
    }
  }
}
