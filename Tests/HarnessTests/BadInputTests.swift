import Foundation
import PythonRuntime
import Testing

@testable import Harness

/// The bad-input corpus: every file under `BadInputs/` (a scenario `.yaml`, a `.baseline`, or
/// a `.selector` holding a command-line scenario argument) must fail with exactly the error in
/// its `.expected` sidecar — the stage that refused it (`load`, `run <Python type>`,
/// `baseline`, `select`) and the one-line `path:line:col: error: …` — and never crash.
///
/// `LOCKSTEP_RECORD_BAD_INPUTS=1 swift test --filter BadInputTests` rewrites the sidecars from
/// what the harness says now; review them like code.
@Suite struct BadInputTests {
  static let directory: String = Bundle.module.url(forResource: "BadInputs", withExtension: nil)!.path
  static let sourceDirectory = repositoryRoot + "/Tests/HarnessTests/BadInputs"
  static let kinds = ["yaml", "baseline", "selector"]

  static let inputs: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { kinds.contains(($0 as NSString).pathExtension) }.sorted()
  }()

  @Test("the corpus covers at least 60 bad inputs, each with its expected error")
  func corpusIsComplete() {
    #expect(Self.inputs.count >= 60)
    for name in Self.inputs {
      let expected = (Self.directory as NSString).appendingPathComponent(Self.stem(name) + ".expected")
      #expect(FileManager.default.fileExists(atPath: expected), "\(name) has no .expected file")
    }
  }

  @Test("a bad input is a located error, never a crash", arguments: inputs)
  func badInput(_ name: String) throws {
    let actual = Self.outcome(of: name)
    if ProcessInfo.processInfo.environment["LOCKSTEP_RECORD_BAD_INPUTS"] != nil {
      let file = (Self.sourceDirectory as NSString).appendingPathComponent(Self.stem(name) + ".expected")
      try (actual + "\n").write(toFile: file, atomically: true, encoding: .utf8)
      return
    }
    let file = (Self.directory as NSString).appendingPathComponent(Self.stem(name) + ".expected")
    let expected = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
    #expect(actual == expected)
    #expect(actual.contains(": error: "), "not a located error: \(actual)")
  }

  /// A scratch directory removed after `body`.
  static func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "lockstep-bad-inputs-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(directory)
  }

  @Test("a located scenario error shows its line with a caret under the column")
  func caret() throws {
    let path = (Self.directory as NSString).appendingPathComponent("outputs-number.yaml")
    #expect(throws: (any Error).self) { try ScenarioLoader.load(path: path, id: "outputs-number") }
    do {
      _ = try ScenarioLoader.load(path: path, id: "outputs-number")
    } catch {
      #expect(error.rendered == error.description + "\noutputs: 5\n         ^")
    }
  }

  @Test("a 10 MB scenario file is refused before it is parsed")
  func hugeFile() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/huge.yaml"
      let padding = String(repeating: "# padding\n", count: 1_048_576)
      try ("summary: x\n" + padding).write(toFile: path, atomically: true, encoding: .utf8)
      #expect(
        throws: ScenarioError(
          path: path, line: 1, column: 1,
          "the file is 10485771 bytes; a scenario file may be at most 1048576 bytes (two short programs)")
      ) {
        try ScenarioLoader.load(path: path, id: "huge")
      }
    }
  }

  @Test("a bundled scenario that is a symlink out of Scenarios/ is refused")
  func symlinkOutOfTree() throws {
    try Self.withTemporaryDirectory { directory in
      try FileManager.default.createDirectory(atPath: directory + "/Scenarios", withIntermediateDirectories: true)
      let outside = directory + "/outside.yaml"
      try "summary: x\nv1: |\n  z = 1\nv2: |\n  z = 1\n".write(toFile: outside, atomically: true, encoding: .utf8)
      try FileManager.default.createSymbolicLink(
        atPath: directory + "/Scenarios/out.yaml", withDestinationPath: outside)
      let workspace = Workspace(root: directory)
      for selectors in [[], ["out"]] {
        let selected = try workspace.load(selectors, filter: nil)
        #expect(selected.map(\.entry.id) == ["out"])
        guard case let .failure(error) = selected.first?.scenario else {
          Issue.record("a symlink out of Scenarios/ was loaded")
          continue
        }
        let target = URL(fileURLWithPath: outside).resolvingSymlinksInPath().path
        #expect(
          error.description
            == "\(directory)/Scenarios/out.yaml: error: the scenario file resolves to \(target), "
            + "outside Scenarios/ (a symlink?)"
        )
      }
    }
  }

  @Test("a scenario folder that is a symlink out of Scenarios/ is refused for ids and full runs")
  func folderSymlinkOutOfTree() throws {
    try Self.withTemporaryDirectory { directory in
      try FileManager.default.createDirectory(atPath: directory + "/Scenarios", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: directory + "/elsewhere", withIntermediateDirectories: true)
      try "summary: x\nv1: |\n  z = 1\nv2: |\n  z = 1\n".write(
        toFile: directory + "/elsewhere/x.yaml", atomically: true, encoding: .utf8)
      try FileManager.default.createSymbolicLink(
        atPath: directory + "/Scenarios/linked", withDestinationPath: directory + "/elsewhere")
      let selected = try Workspace(root: directory).load(["linked/x"], filter: nil)
      guard case let .failure(error) = selected.first?.scenario else {
        Issue.record("a scenario through a folder symlink out of Scenarios/ was loaded")
        return
      }
      #expect(
        error.description.hasPrefix("\(directory)/Scenarios/linked/x.yaml: error: the scenario file resolves to "))
    }
  }

  @Test("a baseline, or a baseline folder, that is a symlink out of Baselines/ is neither read nor written through")
  func baselineSymlinkOutOfTree() throws {
    try Self.withTemporaryDirectory { directory in
      let baselines = directory + "/Baselines"
      try FileManager.default.createDirectory(atPath: baselines + "/area", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: directory + "/elsewhere", withIntermediateDirectories: true)
      let store = BaselineStore(directory: baselines)
      let outside = directory + "/elsewhere/x.baseline"
      let good = try #require(
        try? BaselineFormat.parse(
          String(contentsOfFile: repositoryRoot + "/Baselines/basics/dense-layer-matmul.baseline", encoding: .utf8)))
      try BaselineFormat.write(good, scenarioID: "area/x").write(toFile: outside, atomically: true, encoding: .utf8)
      try FileManager.default.createSymbolicLink(atPath: baselines + "/area/x.baseline", withDestinationPath: outside)
      guard case let .unreadable(message) = store.read("area/x") else {
        Issue.record("a baseline symlinked out of Baselines/ was read")
        return
      }
      let target = URL(fileURLWithPath: outside).resolvingSymlinksInPath().path
      #expect(
        message == "\(baselines)/area/x.baseline: error: the baseline resolves to \(target), outside \(baselines) "
          + "(a symlink?); it is not read")
      #expect(throws: BaselineWriteError.self) { try store.write(good, for: "area/x") }
      // A folder symlink: a new baseline under it would land outside the tree.
      try FileManager.default.createSymbolicLink(
        atPath: baselines + "/linked", withDestinationPath: directory + "/elsewhere")
      #expect(throws: BaselineWriteError.self) { try store.write(good, for: "linked/new") }
      #expect(!FileManager.default.fileExists(atPath: directory + "/elsewhere/new.baseline"))
      #expect(throws: BaselineWriteError.self) { try store.writePending(good, for: "linked/new") }
    }
  }

  static func stem(_ name: String) -> String { (name as NSString).deletingPathExtension }

  /// What the harness says about one corpus file, with the corpus directory left out of paths.
  static func outcome(of name: String) -> String {
    let path = (directory as NSString).appendingPathComponent(name)
    let text: String
    switch (name as NSString).pathExtension {
    case "yaml": text = scenarioOutcome(path: path, id: stem(name))
    case "baseline": text = baselineOutcome(id: stem(name))
    default: text = selectorOutcome(path: path)
    }
    return text.replacingOccurrences(of: directory + "/", with: "").replacingOccurrences(
      of: repositoryRoot + "/", with: "")
  }

  static func scenarioOutcome(path: String, id: String) -> String {
    let scenario: Scenario
    do {
      scenario = try ScenarioLoader.load(path: path, id: id)
    } catch {
      return "load \(error.description)"
    }
    let result = ScenarioRunner.run(scenario, baselines: nil, limits: RunLimits(maxSteps: 100_000))
    for side in [result.v1, result.v2] {
      if case let .failed(error) = side.outcome {
        return "run \(error.type) \(error.rendered.prefix { $0 != "\n" })"
      }
    }
    return "accepted"
  }

  static func baselineOutcome(id: String) -> String {
    switch BaselineStore(directory: directory).read(id) {
    case .missing: return "missing"
    case let .unreadable(message): return "baseline \(message)"
    case .found: return "accepted"
    }
  }

  static func selectorOutcome(path: String) -> String {
    let selector = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? ""
    do {
      let selected = try Workspace(root: repositoryRoot).load([selector], filter: nil)
      return "accepted \(selected.map(\.entry.id))"
    } catch {
      return "select \(error.description)"
    }
  }
}
