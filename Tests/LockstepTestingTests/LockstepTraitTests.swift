import Foundation
import Harness
import LockstepTesting
import Testing

/// The repository root, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A scratch package with one bundled scenario and its baseline, plus one scenario without a
/// baseline when `withNew` is set.
private func scratchPackage(withNew: Bool) throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-trait-\(UUID().uuidString)")
  let id = "basics/dense-layer-matmul"
  for (folder, suffix) in [("Scenarios", ".yaml"), ("Baselines", ".baseline")] {
    let target = root.appendingPathComponent("\(folder)/\(id)\(suffix)")
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("\(folder)/\(id)\(suffix)"), to: target)
  }
  if withNew {
    let text = "summary: new\nv1: |\n  print(1 + 1)\nv2: |\n  print(2)\n"
    try text.write(to: root.appendingPathComponent("Scenarios/basics/new.yaml"), atomically: true, encoding: .utf8)
  }
  return root
}

/// Whether `CI` is set: then nothing is ever recorded.
private let onCI = ProcessInfo.processInfo.environment["CI"] != nil

@Suite struct LockstepTraitTests {
  @Test(".lockstep(record:) installs its configuration for the test", .lockstep(record: .failed))
  func traitSetsConfiguration() {
    #expect(LockstepConfiguration.current == LockstepConfiguration(record: .failed))
  }

  @Test("without the trait there is no configuration (LOCKSTEP_RECORD, else never, applies)")
  func noTrait() {
    #expect(LockstepConfiguration.current == nil)
  }

  @Test("assertScenarios() passes a package whose scenarios all pass", .lockstep(record: .never))
  func passingPackage() throws {
    let root = try scratchPackage(withNew: false)
    defer { try? FileManager.default.removeItem(at: root) }
    assertScenarios(root: root.path)
  }

  @Test(
    "under .lockstep(record: .missing) a scenario without a baseline gets a pending one, reported as an issue",
    .lockstep(record: .missing))
  func recordsMissing() throws {
    let root = try scratchPackage(withNew: true)
    defer { try? FileManager.default.removeItem(at: root) }
    withKnownIssue("the new scenario has no baseline, so it fails and (off CI) is recorded") {
      assertScenarios(root: root.path)
    } matching: { issue in
      issue.sourceLocation?.filePath.hasSuffix("Scenarios/basics/new.yaml") == true
    }
    let pending = root.appendingPathComponent("Baselines/basics/new.baseline.pending").path
    #expect(FileManager.default.fileExists(atPath: pending) == !onCI)
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Baselines/basics/new.baseline").path))
  }

  @Test("the package root is found above a test file", .lockstep(record: .never))
  func rootDiscovery() {
    #expect(PackageScenarios.root(above: #filePath) == repositoryRoot.path)
  }
}
