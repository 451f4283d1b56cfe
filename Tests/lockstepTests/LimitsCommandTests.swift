import Foundation
import Testing

/// The per-program limits from the command line: `--timeout` and `LOCKSTEP_TIMEOUT`, and a
/// runaway scenario that fails alone.
@Suite struct LimitsCommandTests {
  @Test("a runaway scenario under its own tiny `timeout:` fails alone, exit 1; its neighbour passes")
  func runawayFailsAlone() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let text = "summary: never ends\ntimeout: 0.000001\nv1: |\n  while True:\n    pass\nv2: |\n  print(1)\n"
    try text.write(
      to: workspace.appendingPathComponent("Scenarios/basics/runaway.yaml"), atomically: true, encoding: .utf8)
    let result = try lockstep(["run", "basics/runaway", "basics/dense-layer-matmul", "--jobs", "2"], in: workspace)
    #expect(result.status == 1, Comment(rawValue: result.stdout + result.stderr))
    #expect(result.stdout.contains("PASS  basics/dense-layer-matmul"))
    #expect(result.stdout.contains("FAIL  basics/runaway"))
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/basics/runaway.txt"), encoding: .utf8)
    #expect(report.contains("runaway.yaml:4:3: error: limit: the v1 program ran longer than the time limit"))
  }

  @Test("LOCKSTEP_TIMEOUT sets the limit; --timeout wins; a bad value exits 2 naming it")
  func timeoutSetting() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let id = "basics/dense-layer-matmul"
    let tiny = try lockstep(["run", id], in: workspace, environment: ["LOCKSTEP_TIMEOUT": "0.000000001"])
    #expect(tiny.status == 1, Comment(rawValue: tiny.stdout + tiny.stderr))
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/\(id).txt"), encoding: .utf8)
    #expect(report.contains("raise it with --timeout SECONDS or LOCKSTEP_TIMEOUT=SECONDS"))
    let overridden = try lockstep(
      ["run", id, "--timeout", "0"], in: workspace, environment: ["LOCKSTEP_TIMEOUT": "0.000000001"])
    #expect(overridden.status == 0, Comment(rawValue: overridden.stdout + overridden.stderr))
    let bad = try lockstep(["run", id, "--timeout", "soon"], in: workspace)
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--timeout must be a number from 0 to"))
    let badVariable = try lockstep(["run", id], in: workspace, environment: ["LOCKSTEP_MAX_STEPS": "-1"])
    #expect(badVariable.status == 2)
    #expect(badVariable.stderr.contains("LOCKSTEP_MAX_STEPS must be a number"))
  }
}
