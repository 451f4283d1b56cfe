import Foundation
import Testing

@testable import Harness

@Suite struct JSONReportTests {
  /// A scenario whose outputs hold every kind of element JSON has to spell specially.
  static let awkward = """
    summary: non-finite values, booleans and text
    outputs: [f, b, t]
    v1: |
      import numpy as np
      f = np.array([np.nan, np.inf, -np.inf, 0.1, -0.0], dtype=np.float32)
      b = np.array([True, False])
      t = "quote \\" and\\nnewline"
    v2: |
      import numpy as np
      f = np.array([np.nan, np.inf, -np.inf, 0.1, -0.0], dtype=np.float32)
      b = np.array([True, False])
      t = "quote \\" and\\nnewline"
    """

  /// Runs a few bundled scenarios (a pass, an expected error, defaults), the awkward one and
  /// a file that cannot be loaded.
  static func items() throws -> [RunSession.Item] {
    let workspace = Workspace(root: repositoryRoot)
    var items: [RunSession.Item] = []
    for id in ["article/optimizer-epsilon", "basics/reshape-size-mismatch"] {
      let path = (workspace.scenariosDirectory as NSString).appendingPathComponent(id + ".yaml")
      let scenario = try ScenarioLoader.load(path: path, id: id)
      items.append(.ran(ScenarioRunner.run(scenario, baselines: workspace.baselines)))
    }
    let awkward = try ScenarioLoader.parse(text: awkward, path: "awkward.yaml", id: "awkward")
    items.append(.ran(ScenarioRunner.run(awkward, baselines: nil)))
    items.append(.invalid(ScenarioError(path: "bad.yaml", line: 3, column: 5, "unknown key 'x'")))
    return items
  }

  static func schema() throws -> JSONSchemaCheck {
    let path = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("docs/lockstep-run.schema.json")
    return JSONSchemaCheck(root: try JSONParser.parse(String(contentsOf: path, encoding: .utf8)))
  }

  @Test("the document follows docs/lockstep-run.schema.json")
  func followsSchema() throws {
    let items = try Self.items()
    let document = try JSONParser.parse(JSONReport.render(items, summary: RunSummary(items)))
    let violations = try Self.schema().violations(of: document)
    #expect(violations.isEmpty, Comment(rawValue: violations.joined(separator: "\n")))
  }

  @Test("the schema checker rejects a document that breaks the schema")
  func checkerRejects() throws {
    let broken = try JSONParser.parse(#"{"format": 1, "summary": {"total": "3"}, "scenarios": [{"id": 5}], "x": 1}"#)
    let violations = try Self.schema().violations(of: broken)
    #expect(violations.contains("$: missing required key 'lockstepVersion'"))
    #expect(violations.contains("$: unexpected key 'x'"))
    #expect(violations.contains { $0.hasPrefix("$.summary.total: expected integer") })
    #expect(violations.contains { $0.hasPrefix("$.scenarios[0]: matches 0 of the oneOf") })
  }

  @Test("summary counts, per-output comparisons and file lines match the text report")
  func content() throws {
    let items = try Self.items()
    let document = try JSONParser.parse(JSONReport.render(items, summary: RunSummary(items)))
    #expect(document["summary"]?["total"] == .number(4))
    #expect(document["summary"]?["passed"] == .number(3))
    #expect(document["summary"]?["errors"] == .number(1))
    let scenarios = try #require(document["scenarios"]?.array)

    // Defaults are located in the scenario file, as the report's table locates them.
    guard case let .ran(epsilon) = items[0] else { throw CancellationError() }
    let report = Report.render(epsilon)
    let defaults = try #require(scenarios[0]["v1"]?["defaults"]?.array)
    let location = try #require(defaults.first?["location"]?.string)
    #expect(report.contains(location + " "), Comment(rawValue: "\(location) not in\n\(report)"))

    // An error's place is the file line and column of the report's first line for it.
    let error = try #require(scenarios[1]["v1"]?["error"] ?? scenarios[1]["v2"]?["error"])
    let errorLocation = try #require(error["location"]?.string)
    #expect(
      errorLocation.hasPrefix("Scenarios/basics/reshape-size-mismatch.yaml:") || errorLocation.contains("/Scenarios/"))
    guard case let .number(line)? = error["line"] else {
      Issue.record("no line")
      return
    }
    #expect(line > 5, "a file line, not a line of the program block")

    // Per-output comparison with counts and the worst element.
    let comparison = try #require(scenarios[0]["comparisons"]?.array?.first)
    #expect(comparison["count"] != nil)
    #expect(comparison["maxAbsolute"]?["index"] != nil)

    // Elements JSON cannot spell as numbers.
    let outputs = try #require(scenarios[2]["v1"]?["outputs"]?.array)
    #expect(
      outputs[0]["values"] == .array([.string("nan"), .string("inf"), .string("-inf"), .number(0.1), .number(-0.0)]))
    #expect(outputs[1]["values"] == .array([.bool(true), .bool(false)]))
    #expect(outputs[2]["value"] == .string("quote \" and\nnewline"))

    #expect(scenarios[3]["error"]?["location"] == .string("bad.yaml:3:5"))
  }

  @Test("a large array is spelled in parallel chunks into the same text as one element at a time")
  func largeArray() {
    var json = JSONWriter()
    let count = JSONWriter.parallelThreshold * 2 + 7
    json.inlineArray(count: count) { index, out in out.append(contentsOf: String(index).utf8) }
    let expected = "[" + (0..<count).map(String.init).joined(separator: ", ") + "]"
    #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
  }
}
