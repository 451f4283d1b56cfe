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
}

@Suite struct ScenarioSuiteTests {
  @Test("every bundled scenario passes: verdict as expected, baselines matching", arguments: BundledScenario.all)
  func scenario(_ scenario: BundledScenario) throws {
    let workspace = Workspace(root: repositoryRoot)
    let loaded = try ScenarioLoader.load(path: scenario.entry.path, id: scenario.entry.id)
    let result = ScenarioRunner.run(loaded, baselines: workspace.baselines)
    if !result.passed {
      Issue.record(Comment(rawValue: "\(scenario.entry.id) failed:\n" + Report.render(result)))
    }
  }

  @Test("the suite found the bundled scenarios")
  func discovered() {
    #expect(BundledScenario.all.count >= 13)
  }
}
