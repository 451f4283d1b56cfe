import Synchronization

/// The bytes one program's tensors may hold at once. Every tensor buffer is charged to the
/// budget of the thread that allocated it and gives its bytes back when it is freed, so an
/// attempt to allocate 10^12 floats fails at once with a clear limit error.
public final class MemoryBudget: Sendable {
  /// The most bytes the budget's tensors may hold together.
  public let limit: Int
  private let used = Atomic<Int>(0)

  /// A budget of `limit` bytes.
  public init(limit: Int) { self.limit = limit }

  /// The bytes tensors charged to this budget hold now.
  public var bytesInUse: Int { used.load(ordering: .relaxed) }

  /// The default budget of one program: 4 GiB.
  public static let defaultLimit = 4 << 30

  /// Charges `bytes`, or throws `limitExceeded` (charging nothing) when they do not fit.
  func charge(_ bytes: Int, describing what: @autoclosure () -> String) throws(TensorError) {
    let before = used.add(bytes, ordering: .relaxed).oldValue
    guard before <= limit - bytes else {
      used.subtract(bytes, ordering: .relaxed)
      throw .limitExceeded(
        "\(what()) needs \(Self.describe(bytes)), beyond Lockstep's memory budget of \(Self.describe(limit)) per "
          + "program (\(Self.describe(before)) in use)"
      )
    }
  }

  /// Charges `bytes` that are already allocated (a tensor made from a Swift array).
  func chargeAllocated(_ bytes: Int) { used.add(bytes, ordering: .relaxed) }

  /// Gives back bytes charged earlier.
  func release(_ bytes: Int) { used.subtract(bytes, ordering: .relaxed) }

  /// `3.2 GiB`, `512 MiB`, `12 KiB`, `7 bytes`.
  static func describe(_ bytes: Int) -> String {
    let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (size, unit) in units where bytes >= size {
      let value = Double(bytes) / Double(size)
      return value >= 100 || value == value.rounded()
        ? "\(Int(value.rounded())) \(unit)" : "\((value * 10).rounded() / 10) \(unit)"
    }
    return "\(bytes) bytes"
  }

  // MARK: - The current thread's budget

  /// The budget allocations on the calling thread are charged to: the one installed with
  /// `withCurrent`, else a process-wide default.
  public static var current: MemoryBudget { slot.current ?? processDefault }

  /// Runs `body` with this budget as the calling thread's current one.
  public func withCurrent<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try Self.slot.with(self, body)
  }

  private static let processDefault = MemoryBudget(limit: defaultLimit)

  private static let slot = ThreadLocalReference<MemoryBudget>()
}
