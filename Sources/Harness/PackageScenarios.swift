import Foundation
import TensorCore

/// A Swift package's own scenarios (its `Scenarios/` and `Baselines/`), run from its tests
/// exactly as `lockstep run` runs them, with a record mode. `LockstepTesting` turns the
/// outcomes into Swift Testing issues; this type knows nothing of a test framework.
public struct PackageScenarios: Sendable {
  /// The package root holding `Scenarios/` and `Baselines/`.
  public var workspace: Workspace
  /// Only scenarios whose id, a tag or source matches (as `--filter`).
  public var filter: String?

  /// The scenarios under `root`, optionally filtered.
  public init(root: String, filter: String? = nil) {
    workspace = Workspace(root: root, pendingDirectory: ProcessInfo.processInfo.environment["LOCKSTEP_PENDING_DIR"])
    self.filter = filter
  }

  /// The nearest directory at or above `path` (a test file's `#filePath`) that holds
  /// `Scenarios/`; nil when none does.
  public static func root(above path: String) -> String? {
    var directory = URL(fileURLWithPath: path)
    while directory.path != "/" {
      directory.deleteLastPathComponent()
      var isDirectory: ObjCBool = false
      let scenarios = directory.appendingPathComponent("Scenarios").path
      if FileManager.default.fileExists(atPath: scenarios, isDirectory: &isDirectory), isDirectory.boolValue {
        return directory.path
      }
    }
    return nil
  }

  /// One scenario's outcome.
  public struct Outcome: Sendable {
    /// The scenario id.
    public var id: String
    /// The scenario file.
    public var path: String
    /// Whether it passed (verdict as expected, baseline matching).
    public var passed: Bool
    /// Its text report, or the located error when the file could not be loaded.
    public var report: String
    /// What recording did with it.
    public var recording: BaselineRecording
  }

  /// Runs every selected scenario (`jobs` at once), recording baselines as `record` says
  /// (pending files unless `accept`), and returns each outcome in id order.
  public func run(
    record: RecordMode = .never, accept: Bool = false, jobs: Int = Parallel.coreCount, limits: RunLimits = RunLimits()
  ) throws -> [Outcome] {
    let selection = try workspace.load([], filter: filter)
    let store = workspace.baselines
    let mode = record
    let records = try RunSession(workspace: workspace, jobs: jobs, limits: limits).run(selection, sinks: [])
    return try records.map { entry throws -> Outcome in
      switch entry.item {
      case let .invalid(error):
        return Outcome(
          id: entry.entry.id, path: entry.entry.path, passed: false, report: error.rendered, recording: .badInput)
      case let .ran(result):
        let recording = try BaselineRecording.record(result, in: store, mode: mode, accept: accept)
        return Outcome(
          id: result.scenario.id, path: result.scenario.path, passed: result.passed, report: Report.render(result),
          recording: recording)
      }
    }
  }
}
