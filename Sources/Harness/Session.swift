import Foundation
import TFModel

/// One invocation's work over a set of scenarios: load, run, write reports, summarize.
/// The command line and the test suite both drive scenarios through it.
public struct RunSession {
  /// The workspace scenarios and baselines live in.
  public var workspace: Workspace
  /// A profile that overrides each scenario's own.
  public var profile: Profile?

  /// Makes a session.
  public init(workspace: Workspace, profile: Profile? = nil) {
    self.workspace = workspace
    self.profile = profile
  }

  /// The outcome of one selected scenario: a result, or a file that could not be loaded.
  public enum Item {
    case ran(ScenarioResult)
    case invalid(ScenarioError)
  }

  /// Loads and runs each entry, checking baselines and writing its report.
  public func run(_ entries: [Workspace.Entry], writeReports: Bool = true) -> [Item] {
    entries.map { entry in
      let scenario: Scenario
      do throws(ScenarioError) {
        scenario = try ScenarioLoader.load(path: entry.path, id: entry.id)
      } catch {
        return .invalid(error)
      }
      let result = ScenarioRunner.run(scenario, profile: profile, baselines: workspace.baselines)
      if writeReports { try? writeReport(result) }
      return .ran(result)
    }
  }

  /// Writes `.lockstep/reports/<id>.txt`.
  public func writeReport(_ result: ScenarioResult) throws {
    let path = reportPath(for: result.scenario.id)
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Report.render(result).write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// Where a scenario's report is written.
  public func reportPath(for id: String) -> String {
    (workspace.reportsDirectory as NSString).appendingPathComponent("\(id).txt")
  }
}

/// Counts for the closing summary line.
public struct RunSummary: Equatable, Sendable {
  /// Scenarios that passed.
  public var passed = 0
  /// Scenarios that failed.
  public var failed = 0
  /// Files or programs that are bad input.
  public var errors = 0
  /// Scenarios without a baseline.
  public var missingBaselines = 0

  /// Tallies items.
  public init(_ items: [RunSession.Item]) {
    for item in items {
      switch item {
      case let .ran(result):
        if result.passed { passed += 1 } else { failed += 1 }
        if case .missing = result.baseline { missingBaselines += 1 }
        if result.hasSyntaxError { errors += 1 }
      case .invalid:
        errors += 1
      }
    }
  }

  /// `3 passed, 1 failed, 0 errors, 0 missing baselines`.
  public var line: String {
    "\(passed) passed, \(failed) failed, \(errors) errors, \(missingBaselines) missing baselines"
  }
}
