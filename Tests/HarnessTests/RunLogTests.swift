import Testing

@testable import Harness

@Suite struct RunLogTests {
  static let passing = """
    summary: passes
    outputs: [x]
    v1: |
      x = 1
    v2: |
      x = 1
    """

  static func record(_ text: String, seconds: Double = 0.25) throws -> RunRecord {
    let scenario = try ScenarioLoader.parse(text: text, path: "s.yaml", id: "area/s")
    let result = ScenarioRunner.run(scenario, baselines: nil)
    return RunRecord(
      index: 0, entry: Workspace.Entry(id: "area/s", path: "s.yaml"), item: .ran(result), seconds: seconds)
  }

  @Test("quiet hides passing scenarios; verbose adds the time and a failure's full report")
  func verbosity() throws {
    let pass = try Self.record(Self.passing)
    let fail = try Self.record(
      Self.passing.replacingOccurrences(of: "summary: passes", with: "summary: s\nexpect: differ"))
    #expect(RunLog(verbosity: .quiet).lines(for: pass, reportPath: "r.txt").isEmpty)
    #expect(RunLog(verbosity: .normal).lines(for: pass, reportPath: "r.txt") == ["PASS  area/s  (equivalent)"])
    #expect(RunLog(verbosity: .verbose).lines(for: pass, reportPath: "r.txt") == ["PASS  area/s  (equivalent)  0.25 s"])
    let quietFailure = RunLog(verbosity: .quiet).lines(for: fail, reportPath: "r.txt")
    #expect(quietFailure.first == "FAIL  area/s  (equivalent, expected differ)")
    #expect(quietFailure.last == "      report: r.txt")
    let verboseFailure = RunLog(verbosity: .verbose).lines(for: fail, reportPath: "r.txt")
    #expect(verboseFailure.contains("      | Lockstep report: area/s  [FAIL]"))
  }

  @Test("colour only on a terminal and never with NO_COLOR set")
  func colour() throws {
    #expect(RunLog.wantsColor(isTerminal: true, environment: [:]))
    #expect(!RunLog.wantsColor(isTerminal: false, environment: [:]))
    #expect(!RunLog.wantsColor(isTerminal: true, environment: ["NO_COLOR": "1"]))
    #expect(RunLog.wantsColor(isTerminal: true, environment: ["NO_COLOR": ""]))
    let line = RunLog(color: true).lines(for: try Self.record(Self.passing), reportPath: "r.txt")
    #expect(line == ["\u{1B}[32mPASS\u{1B}[0m  area/s  (equivalent)"])
  }

  @Test("the progress line counts, times, failures and the scenario awaited")
  func progress() {
    #expect(
      RunLog.progress(done: 3, total: 25, seconds: 1.25, failed: 0, running: "basics/x")
        == "[3/25] 1.2 s, running basics/x")
    #expect(RunLog.progress(done: 4, total: 25, seconds: 2, failed: 2, running: nil) == "[4/25] 2.0 s, 2 failed")
  }
}
