import Dispatch

/// Splits element-wise work across the threads the current `KernelContext` allows, polling its
/// cancellation token between chunks.
public enum Parallel {
  /// The machine's cores: the default kernel thread count.
  public static let coreCount = max(1, sysconfCoreCount())

  /// Below this many elements a kernel runs on the calling thread.
  public static let threshold = 1 << 16

  /// Units of work (elements × cost) a kernel does between two polls of the cancellation
  /// token; about a millisecond of simple element-wise work.
  public static let pollInterval = 1 << 20

  /// Calls `body` on disjoint ranges covering `0..<count`, concurrently (on up to the current
  /// context's threads) when `count` is at least `threshold` (scaled by `cost`, the relative
  /// work per element), else inline. Each range is a multiple of `granule` long except the
  /// last. With a cancellation token, the work is cut into pieces of about `pollInterval`
  /// and the token is polled before each: once cancelled, the remaining pieces are skipped
  /// (the output is then garbage, and the program's next allocation or step throws).
  @inline(__always)
  public static func forEachRange(
    _ count: Int, cost: Int = 1, granule: Int = 64, _ body: (Range<Int>) -> Void
  ) {
    let context = KernelContext.current
    let work = count * cost
    let chunks = min(context.threads, work / threshold)
    guard chunks > 1 || (context.cancellation != nil && work > pollInterval) else {
      if count > 0 { body(0..<count) }
      return
    }
    var per = (count / max(1, chunks) + granule - 1) / granule * granule
    if context.cancellation != nil {
      per = min(per, max(granule, pollInterval / max(1, cost) / granule * granule))
    }
    forEachIndex((count + per - 1) / per, threads: max(1, chunks), polling: context.cancellation) { piece in
      body(piece * per..<min(count, (piece + 1) * per))
    }
  }

  /// Calls `body` for each index of `0..<count` on up to `threads` threads (each takes every
  /// `threads`-th index), polling `token` before each call and skipping the rest once it is
  /// cancelled. With one thread, runs inline on the calling thread.
  public static func forEachIndex(
    _ count: Int, threads: Int, polling token: CancellationToken?, _ body: (Int) -> Void
  ) {
    let workers = min(max(1, threads), count)
    guard workers > 1 else {
      for index in 0..<count {
        if let token, token.isCancelled { return }
        body(index)
      }
      return
    }
    withoutActuallyEscaping(body) { body in
      // Each index writes only its own elements.
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: count, by: workers) {
          if let token, token.isCancelled { return }
          body(index)
        }
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
