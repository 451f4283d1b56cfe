import TFModel
import TensorCore

/// What one side of a scenario produced, as recorded in a baseline.
public enum SideOutcome: Sendable, Equatable {
  /// Named outputs, in order.
  case outputs([NamedOutput])
  /// The error the program raised.
  case error(type: String, message: String)
}

/// The recorded result of a scenario: both sides' outcomes and the verdict, with what it
/// was recorded from.
public struct Baseline: Sendable, Equatable {
  /// The file format's version.
  public static let formatVersion = 1
  /// SHA-256 of the scenario file it was recorded from.
  public var scenarioHash: String
  /// The TensorFlow profile it was recorded under.
  public var profile: String
  /// The Lockstep version that recorded it.
  public var lockstepVersion: String
  /// The verdict at recording time.
  public var verdict: Verdict
  /// The v1 program's outcome.
  public var v1: SideOutcome
  /// The v2 program's outcome.
  public var v2: SideOutcome

  /// Makes a baseline.
  public init(
    scenarioHash: String, profile: String, lockstepVersion: String, verdict: Verdict, v1: SideOutcome, v2: SideOutcome
  ) {
    self.scenarioHash = scenarioHash
    self.profile = profile
    self.lockstepVersion = lockstepVersion
    self.verdict = verdict
    self.v1 = v1
    self.v2 = v2
  }

  /// Whether the recorded results are the same as `other`'s, ignoring only the version of
  /// Lockstep that recorded them.
  public func sameResults(as other: Baseline) -> Bool {
    var mine = self
    mine.lockstepVersion = other.lockstepVersion
    // Compared as written, so that a NaN output (never equal to itself) counts as unchanged.
    return BaselineFormat.write(mine, scenarioID: "") == BaselineFormat.write(other, scenarioID: "")
  }
}
