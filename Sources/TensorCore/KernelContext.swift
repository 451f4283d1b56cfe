import Dispatch
import Synchronization

/// Stops one program run: a deadline, and a flag set once the deadline has passed or `cancel()`
/// was called. Kernels poll it between chunks of work and the interpreter every few thousand
/// steps, so a runaway program ends with `message` instead of running on.
///
/// Polling is cheap: a relaxed atomic load, then a monotonic clock read while the deadline is
/// still ahead. A kernel that is not split into chunks (one OpenBLAS GEMM) finishes first.
public final class CancellationToken: Sendable {
  /// The error message once cancelled (names the limit and how to raise it).
  public let message: String
  /// The deadline in `DispatchTime` uptime nanoseconds; `UInt64.max` for none.
  private let deadline: UInt64
  private let cancelled = Atomic<Bool>(false)

  /// A token that cancels itself `seconds` from now (at once for 0 or less; never for nil).
  public init(seconds: Double?, message: String) {
    self.message = message
    guard let seconds else {
      deadline = .max
      return
    }
    let nanoseconds = seconds <= 0 ? 0 : min(seconds * 1e9, Double(UInt64.max / 2))
    deadline = DispatchTime.now().uptimeNanoseconds + UInt64(nanoseconds)
  }

  /// Whether the run must stop: `cancel()` was called or the deadline has passed.
  public var isCancelled: Bool {
    if cancelled.load(ordering: .relaxed) { return true }
    guard deadline != .max, DispatchTime.now().uptimeNanoseconds >= deadline else { return false }
    cancelled.store(true, ordering: .relaxed)
    return true
  }

  /// Stops the run at the next poll.
  public func cancel() { cancelled.store(true, ordering: .relaxed) }

  /// Throws `limitExceeded(message)` once cancelled.
  @inline(__always)
  public func check() throws(TensorError) {
    if isCancelled { throw .limitExceeded(message) }
  }
}

/// What the kernels of one program run under: how many threads a kernel may split its work
/// across, and the cancellation token they poll between chunks. Installed per program thread
/// with `withCurrent`; kernels read `current`.
public final class KernelContext: Sendable {
  /// The most threads one kernel uses (at least 1).
  public let threads: Int
  /// Polled between chunks; nil runs kernels without polling.
  public let cancellation: CancellationToken?

  /// A context of `threads` kernel threads (default: every core) and an optional token.
  public init(threads: Int = Parallel.coreCount, cancellation: CancellationToken? = nil) {
    self.threads = max(1, threads)
    self.cancellation = cancellation
  }

  /// The context of the calling thread: the one installed with `withCurrent`, else every core
  /// and no token.
  public static var current: KernelContext { slot.current ?? processDefault }

  /// Runs `body` with this context as the calling thread's current one.
  public func withCurrent<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try Self.slot.with(self, body)
  }

  /// Throws the token's limit error when the run has been cancelled.
  @inline(__always)
  public func checkCancellation() throws(TensorError) {
    try cancellation?.check()
  }

  private static let processDefault = KernelContext()
  private static let slot = ThreadLocalReference<KernelContext>()
}
