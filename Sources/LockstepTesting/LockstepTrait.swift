import Harness
import Testing

/// How the scenarios run inside a test record baselines: set by the `.lockstep(record:)`
/// trait, read by `assertScenarios`.
public struct LockstepConfiguration: Sendable, Equatable {
  /// Which scenarios record (pending) baselines.
  public var record: RecordMode
  /// Whether recording writes the baselines themselves instead of pending files.
  public var accept: Bool

  /// A configuration.
  public init(record: RecordMode, accept: Bool = false) {
    self.record = record
    self.accept = accept
  }

  /// The configuration of the running test, set by the innermost `.lockstep(…)` trait.
  @TaskLocal public static var current: LockstepConfiguration?
}

/// A Swift Testing trait that sets the record mode of the scenarios run inside a test or
/// suite, like swift-snapshot-testing's `.snapshots(record:)`:
///
/// ```swift
/// @Test(.lockstep(record: .failed)) func scenarios() { assertScenarios() }
/// ```
///
/// The trait wins over `LOCKSTEP_RECORD`; with `CI` set nothing is ever recorded.
public struct LockstepTrait: TestTrait, SuiteTrait, TestScoping {
  /// The configuration the trait installs.
  public var configuration: LockstepConfiguration

  /// Applies to every test of a suite it is attached to.
  public var isRecursive: Bool { true }

  /// Runs the test with the configuration installed.
  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await LockstepConfiguration.$current.withValue(configuration) { try await function() }
  }
}

extension Trait where Self == LockstepTrait {
  /// Records scenarios' baselines as `record` says (pending files, or the baselines
  /// themselves with `accept`) for the scenarios run in this test or suite.
  public static func lockstep(record: RecordMode, accept: Bool = false) -> Self {
    LockstepTrait(configuration: LockstepConfiguration(record: record, accept: accept))
  }
}
