/// How a run shares the machine's cores, so that scenarios run in parallel, the kernels each
/// one splits and OpenBLAS's own threads do not oversubscribe them: with `jobs` scenarios at
/// once, each scenario's share is `max(1, cores / jobs)` cores; its kernels use that many
/// threads, and OpenBLAS uses that many too but never fewer than two (its single-threaded path
/// sums in another order, while every count from two up gives the same bits). Results are the
/// same bits for every budget: kernels split work into independent pieces.
public struct ThreadBudget: Sendable, Equatable {
  /// Scenarios run at once.
  public var jobs: Int
  /// Threads one kernel of a scenario splits its work across.
  public var kernelThreads: Int
  /// Threads OpenBLAS computes one GEMM with (process-wide).
  public var blasThreads: Int

  /// The budget of `jobs` scenarios at once on `cores` cores.
  public init(cores: Int, jobs: Int) {
    self.jobs = max(1, jobs)
    kernelThreads = max(1, max(1, cores) / self.jobs)
    blasThreads = max(2, kernelThreads)
  }
}
