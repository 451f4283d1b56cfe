import Foundation
import Testing

@testable import Harness

/// The repository root, found from this file's path.
let repositoryRoot: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// One bundled scenario file, as a test case.
struct BundledScenario: Sendable, CustomTestStringConvertible {
  let entry: Workspace.Entry
  var testDescription: String { entry.id }

  static var all: [BundledScenario] {
    Workspace(root: repositoryRoot).allScenarios().map(BundledScenario.init)
  }

  /// The scenarios `LOCKSTEP_SCENARIO` names (an id, or a filter pattern as `--filter` takes
  /// it), else all: `LOCKSTEP_SCENARIO=basics/x swift test --filter ScenarioSuite` runs one.
  static var selected: [BundledScenario] {
    guard let pattern = ProcessInfo.processInfo.environment["LOCKSTEP_SCENARIO"], !pattern.isEmpty else { return all }
    return all.filter { $0.entry.id == pattern || Workspace.matches(pattern, $0.entry.id) }
  }
}

@Suite struct ScenarioSuiteTests {
  @Test("every bundled scenario passes: verdict as expected, baselines matching", arguments: BundledScenario.selected)
  func scenario(_ scenario: BundledScenario) throws {
    let workspace = Workspace(root: repositoryRoot)
    let loaded = try ScenarioLoader.load(path: scenario.entry.path, id: scenario.entry.id)
    let result = ScenarioRunner.run(loaded, baselines: workspace.baselines)
    if !result.passed {
      let report = Report.render(result)
      Attachment.record(report, named: scenario.entry.id.replacingOccurrences(of: "/", with: "-") + ".txt")
      // The failure points at the scenario file, not at this test.
      Issue.record(
        Comment(rawValue: "\(scenario.entry.id) failed:\n" + report),
        sourceLocation: SourceLocation(
          fileID: "Scenarios/\(scenario.entry.id).yaml", filePath: scenario.entry.path, line: 1, column: 1))
    }
  }

  @Test("the suite found the bundled scenarios (and LOCKSTEP_SCENARIO, when set, names some)")
  func discovered() {
    #expect(BundledScenario.all.count >= 13)
    #expect(!BundledScenario.selected.isEmpty, "LOCKSTEP_SCENARIO names no bundled scenario")
  }
}
