import Testing

@testable import Harness

@Suite struct ReportTests {
  static let scenario = """
    summary: a NaN with its sign bit set, and a difference far inside the tolerance
    outputs: [z, w]
    v1: |
      import numpy as np
      z = np.array([-np.nan, 1.0])
      w = np.array([0.1 + 0.2])
    v2: |
      import numpy as np
      z = np.array([1.0, 1.0])
      w = np.array([0.3])
    """

  static func report() throws -> String {
    let scenario = try ScenarioLoader.parse(text: scenario, path: "s.yaml", id: "group/s")
    return Report.render(ScenarioRunner.run(scenario, baselines: BaselineStore(directory: "/nonexistent")))
  }

  @Test("a NaN prints as nan, whatever its sign bit")
  func nanWithoutSign() throws {
    let report = try Self.report()
    #expect(report.contains("z: first mismatch at [0]: v1 nan vs v2 1.0"), Comment(rawValue: report))
    #expect(!report.contains("-nan"))
  }

  @Test("a tiny nonzero |Δ| is not 'any tolerance': it says what each tolerance alone needs")
  func tinyDifference() throws {
    let report = try Self.report()
    #expect(!report.contains("any tolerance"))
    #expect(report.contains("atol ≥ 5.55e-17 or rtol ≥ 1.85e-16 (either alone)"), Comment(rawValue: report))
  }

  @Test("the record hint names the scenario")
  func hintNamesScenario() throws {
    #expect(try Self.report().contains("record it with `lockstep baseline update group/s`"))
  }
}
