import CBLAS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The elements of one or more tensors: a typed raw buffer, 64-byte aligned from 4 KiB (or an array of
/// strings), charged to a memory budget while it lives.
///
/// Buffers are immutable once their creator has filled them, so tensors share them freely:
/// `reshaped`, `expandDims` and `squeezed` views use the same buffer.
public final class TensorBuffer: @unchecked Sendable {
  /// The element type.
  public let dtype: DType
  /// The number of elements.
  public let count: Int
  /// The first element (numeric dtypes).
  @usableFromInline let base: UnsafeMutableRawPointer
  /// The elements of a string tensor.
  let strings: [String]
  /// What malloc returned, which `base` may be past; freed with the buffer.
  private let allocation: UnsafeMutableRawPointer
  private let chargedBytes: Int
  private let budget: MemoryBudget

  /// An uninitialized buffer of `count` elements, charged to the current thread's budget;
  /// refused beyond the budget unless `enforcingLimit` is false (for memory that already
  /// exists elsewhere, such as a Swift array being wrapped).
  init(dtype: DType, count: Int, shape: @autoclosure () -> [Int], enforcingLimit: Bool = true) throws(TensorError) {
    precondition(dtype != .string, "string tensors are made from arrays")
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
    let budget = MemoryBudget.current
    guard !overflow else {
      throw .limitExceeded(
        "a \(dtype.name) tensor of shape \(Shape.describe(shape())) is beyond Lockstep's memory budget of "
          + "\(MemoryBudget.describe(budget.limit)) per program"
      )
    }
    if enforcingLimit {
      // A cancelled run (its time is up) allocates nothing more: its next kernel stops here.
      try KernelContext.current.checkCancellation()
      try budget.charge(bytes, describing: "a \(dtype.name) tensor of shape \(Shape.describe(shape()))")
    } else {
      budget.chargeAllocated(bytes)
    }
    // Large buffers start on a cache line: malloc'd 64 bytes over, from the first line inside
    // (glibc's posix_memalign splits chunks and costs several times a malloc). Small ones take
    // malloc's 16-byte alignment.
    _ = Self.allocatorTuned
    let allocation = bytes < 4096 ? malloc(Swift.max(bytes, 16)) : malloc(bytes + 64)
    guard let allocation else {
      budget.release(bytes)
      throw .limitExceeded(
        "the system refused \(MemoryBudget.describe(bytes)) for a tensor of shape \(Shape.describe(shape()))")
    }
    self.dtype = dtype
    self.count = count
    self.allocation = allocation
    self.base = bytes < 4096 ? allocation : allocation.alignedUp(toMultipleOf: 64)
    self.strings = []
    self.chargedBytes = bytes
    self.budget = budget
  }

  /// A string buffer.
  init(strings: [String]) {
    dtype = .string
    count = strings.count
    self.strings = strings
    guard let allocation = malloc(64) else { preconditionFailure("the system refused 64 bytes") }
    self.allocation = allocation
    base = allocation
    chargedBytes = strings.reduce(strings.count * 16) { $0 + $1.utf8.count }
    budget = MemoryBudget.current
    budget.chargeAllocated(chargedBytes)
  }

  /// Keeps glibc from returning each large freed buffer to the system and mapping a fresh
  /// one (zeroed by the kernel, one page fault per page) for the next op: freed tensor memory
  /// is reused, as TensorFlow's own allocator reuses it. Set once, before the first tensor.
  private static let allocatorTuned: Bool = {
    lockstep_keep_freed_memory()
    return true
  }()

  deinit {
    free(allocation)
    budget.release(chargedBytes)
  }

  /// The elements as `T`, which must be the dtype's element type.
  @inlinable @inline(__always)
  func pointer<T: TensorElement>(as type: T.Type) -> UnsafeMutablePointer<T> {
    precondition(T.dtype == dtype, "a \(dtype.name) buffer read as \(T.dtype.name)")
    return base.bindMemory(to: T.self, capacity: count)
  }
}
