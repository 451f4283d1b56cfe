import Synchronization
import Testing

@testable import TensorCore

/// The hooks that stop a runaway program inside its kernels: the token kernels poll between
/// chunks, and the allocation check. These test the mechanism, not timings.
@Suite struct CancellationTests {
  /// Counts the elements `forEachRange` handed out under `context`.
  func coveredElements(_ count: Int, under context: KernelContext, cancelAfterFirst: Bool = false) -> Int {
    let covered = Atomic<Int>(0)
    context.withCurrent {
      Parallel.forEachRange(count) { range in
        covered.add(range.count, ordering: .relaxed)
        if cancelAfterFirst { context.cancellation?.cancel() }
      }
    }
    return covered.load(ordering: .relaxed)
  }

  @Test("a live token lets a long kernel cover every element, on one thread or several")
  func liveToken() {
    let count = 5 * Parallel.pollInterval + 123
    for threads in [1, 2, 4] {
      let context = KernelContext(threads: threads, cancellation: CancellationToken(seconds: nil, message: "stop"))
      #expect(coveredElements(count, under: context) == count)
    }
    #expect(coveredElements(count, under: KernelContext(threads: 2)) == count)
  }

  @Test("an expired token stops a long element-wise kernel before its first chunk")
  func expiredToken() {
    let token = CancellationToken(seconds: 0, message: "time is up")
    #expect(token.isCancelled)
    for threads in [1, 2] {
      let context = KernelContext(threads: threads, cancellation: token)
      #expect(coveredElements(10 * Parallel.pollInterval, under: context) == 0)
    }
  }

  @Test("a token cancelled while a kernel runs stops it between chunks")
  func cancelledMidway() {
    let count = 8 * Parallel.pollInterval
    let context = KernelContext(threads: 1, cancellation: CancellationToken(seconds: nil, message: "stop"))
    let covered = coveredElements(count, under: context, cancelAfterFirst: true)
    #expect(covered > 0 && covered <= Parallel.pollInterval)
  }

  @Test("a cancelled run allocates no more tensors: the next kernel throws the token's message")
  func allocationThrows() {
    let context = KernelContext(cancellation: CancellationToken(seconds: 0, message: "the v1 program ran too long"))
    context.withCurrent {
      #expect(throws: TensorError.limitExceeded("the v1 program ran too long")) {
        try Tensor.zeros(shape: [4, 4], dtype: .float32)
      }
    }
    #expect(throws: Never.self) { try Tensor.zeros(shape: [4, 4], dtype: .float32) }
  }

  @Test("indexed work (reductions, im2col) runs on at most the context's threads and stops once cancelled")
  func forEachIndex() {
    let seen = Atomic<Int>(0)
    Parallel.forEachIndex(100, threads: 3, polling: nil) { _ in seen.add(1, ordering: .relaxed) }
    #expect(seen.load(ordering: .relaxed) == 100)
    let token = CancellationToken(seconds: nil, message: "stop")
    let calls = Atomic<Int>(0)
    Parallel.forEachIndex(100, threads: 1, polling: token) { _ in
      calls.add(1, ordering: .relaxed)
      token.cancel()
    }
    #expect(calls.load(ordering: .relaxed) == 1)
  }
}
