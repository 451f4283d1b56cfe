import Testing

@testable import Harness

@Suite struct ScenarioLoaderTests {
  static let valid = """
    summary: adds two constants
    expect: differ
    outputs: [z]
    tolerance: {default: {rtol: 0.1, atol: 0}, z: {rtol: 0, atol: 1}}
    tags: [a, b]
    v1: |
      import tensorflow as tf
      z = 1
    v2: |

      z = 2
    """

  @Test("keys are read and program blocks are mapped to their file lines")
  func parsesValidScenario() throws {
    let scenario = try ScenarioLoader.parse(text: Self.valid, path: "s.yaml", id: "s")
    #expect(scenario.expect == .differ)
    #expect(scenario.outputs == ["z"])
    #expect(scenario.tolerance == Tolerance(rtol: 0.1, atol: 0))
    #expect(scenario.outputTolerances["z"] == Tolerance(rtol: 0, atol: 1))
    #expect(scenario.tags == ["a", "b"])
    #expect(scenario.v1.fileLocation(.init(line: 2, column: 1)) == .init(line: 8, column: 3))
    #expect(scenario.v2.fileLocation(.init(line: 2, column: 1)) == .init(line: 11, column: 3))
  }

  struct BadCase: Sendable, CustomTestStringConvertible {
    let text: String
    let line: Int?
    let message: String
    var testDescription: String { message }
  }

  static let bad: [BadCase] = [
    BadCase(
      text: "summary: x\nv1: |\n  a = 1\nv2: |\n  a = 1\nexpected: equivalent\n", line: 6,
      message: "unknown key 'expected' (known keys: summary, v1, v2, expect, outputs, tolerance, profile, tags, "
        + "source, timeout)"
    ),
    BadCase(text: "summary: x\nv1: |\n  a = 1\n", line: 1, message: "missing required key 'v2'"),
    BadCase(
      text: "summary: x\nv1: |\n  a = 1\nv2: |\n  a = 1\nexpect: same\n", line: 6,
      message: "'expect' must be equivalent, differ or error, not 'same'"),
    BadCase(
      text: "summary: x\nv1: [1]\nv2: |\n  a = 1\n", line: 2,
      message: "'v1' must be a block of Python code (use `v1: |`)"),
    BadCase(
      text: "summary: x\nv1: |\n  a = 1\nv2: |\n  a = 1\ntolerance: {rtol: 1}\n", line: 6,
      message: "a tolerance needs both rtol and atol"),
    BadCase(
      text: "summary: x\nv1: |\n  a = 1\nv2: |\n  a = 1\nprofile: \"1.15\"\n", line: 6,
      message: "profile '1.15' is not supported (supported: 2.21)"),
    BadCase(text: "summary: [x\n", line: 2, message: "invalid YAML"),
    BadCase(
      text: "summary: x\nv1: |\n  a = 1\nv1: |\n  a = 2\nv2: |\n  a = 1\n", line: 4, message: "duplicate key 'v1'"),
    BadCase(text: "summary: x\nv1: >\n  a = 1\n  b = 2\nv2: |\n  a = 1\n", line: 2, message: "'v1' is a folded block"),
  ]

  @Test("bad scenarios name the key and its line", arguments: bad)
  func rejects(_ testCase: BadCase) {
    do {
      _ = try ScenarioLoader.parse(text: testCase.text, path: "bad.yaml", id: "bad")
      Issue.record("accepted a bad scenario")
    } catch {
      #expect(error.message.hasPrefix(testCase.message))
      if let line = testCase.line { #expect(error.line == line) }
      #expect(error.description.hasPrefix("bad.yaml:"))
    }
  }
}

@Suite struct WorkspaceTests {
  @Test("filters match ids, tags and sources, as substrings or globs")
  func filters() throws {
    let workspace = Workspace(root: repositoryRoot)
    let byID = try workspace.select([], filter: "article/")
    #expect(byID.count == 3)
    let byTag = try workspace.select([], filter: "feed_dict")
    #expect(byTag.map(\.id).contains("basics/feed-dict-placeholder"))
    #expect(byTag.map(\.id).contains("basics/numpy-float64-input"))
    let byGlob = try workspace.select([], filter: "basics/*-mismatch")
    #expect(byGlob.map(\.id) == ["basics/reshape-size-mismatch"])
    #expect(throws: ScenarioError.self) { try workspace.select(["no/such"], filter: nil) }
    #expect(try workspace.select([], filter: "ARTICLE/").count == 3)
    #expect(try workspace.select([], filter: "Basics/*-MISMATCH").map(\.id) == ["basics/reshape-size-mismatch"])
  }
}
