import Dispatch

/// Splits element-wise work across the machine's cores.
public enum Parallel {
  /// The cores kernels use.
  public static let coreCount = max(1, sysconfCoreCount())

  /// Below this many elements a kernel runs on the calling thread.
  public static let threshold = 1 << 16

  /// Calls `body` on disjoint ranges covering `0..<count`, concurrently when `count` is at
  /// least `threshold` (scaled by `cost`, the relative work per element), else once inline.
  /// Each range is a multiple of `granule` long except the last.
  @inline(__always)
  public static func forEachRange(
    _ count: Int, cost: Int = 1, granule: Int = 64, _ body: (Range<Int>) -> Void
  ) {
    let chunks = min(coreCount, count * cost / threshold)
    guard chunks > 1 else {
      if count > 0 { body(0..<count) }
      return
    }
    let per = (count / chunks + granule - 1) / granule * granule
    withoutActuallyEscaping(body) { body in
      // The ranges are disjoint: each chunk writes only its own elements.
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * per
        let end = min(count, start + per)
        if start < end { body(start..<end) }
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private func sysconfCoreCount() -> Int {
  Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
