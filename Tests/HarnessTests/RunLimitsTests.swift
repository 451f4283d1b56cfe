import Foundation
import Testing

@testable import Harness

/// The per-program limits: each stops a runaway program with a located error that names the
/// limit and how to raise it, and stops only that scenario. These test the mechanism (an
/// already-expired deadline), not timings.
@Suite struct RunLimitsTests {
  /// A scenario parsed from its two programs.
  func scenario(_ v1: String, _ v2: String = "x = 1", extra: String = "", id: String = "limits/x") throws -> Scenario {
    func block(_ code: String) -> String { code.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
    let text = "summary: a limit test\n\(extra)v1: |\n\(block(v1))\nv2: |\n\(block(v2))\n"
    return try ScenarioLoader.parse(text: text, path: "Scenarios/\(id).yaml", id: id)
  }

  /// The v1 program's error after running under `limits`.
  func v1Error(_ scenario: Scenario, _ limits: RunLimits) -> (type: String, message: String, rendered: String)? {
    guard case let .failed(error) = ScenarioRunner.run(scenario, baselines: nil, limits: limits).v1.outcome else {
      return nil
    }
    return (error.type, error.message, error.rendered)
  }

  /// A time limit that has passed by the time the program starts.
  let expired = RunLimits(timeout: 1e-9, maxSteps: 1 << 40)

  @Test("an expired time limit stops `while True:` at the statement running, naming --timeout")
  func timeoutStopsLoop() throws {
    let error = try #require(v1Error(try scenario("x = 0\nwhile True:\n    x += 1"), expired))
    #expect(error.type == "limit")
    #expect(error.message.contains("the v1 program ran longer than Lockstep's time limit"))
    #expect(error.message.contains("--timeout SECONDS or LOCKSTEP_TIMEOUT=SECONDS"))
    // Line 5 of the file is `x += 1` (summary, v1:, `x = 0`, `while True:` before it).
    #expect(error.rendered.hasPrefix("Scenarios/limits/x.yaml:5:7: error: limit: the v1 program ran longer"))
    #expect(error.rendered.hasSuffix("      x += 1\n      ^"))
  }

  @Test("an expired time limit stops a program at its next kernel, located at the call")
  func timeoutStopsKernel() throws {
    let program = "import tensorflow as tf\nx = tf.ones([1024, 1024])\ny = x * 2.0"
    let error = try #require(v1Error(try scenario(program), expired))
    #expect(error.type == "limit")
    #expect(error.message.contains("--timeout"))
    #expect(error.rendered.hasPrefix("Scenarios/limits/x.yaml:4:"))
  }

  @Test("a scenario's own `timeout:` stops it alone and says to raise that key; its neighbours pass")
  func scenarioTimeout() throws {
    let runaway = try scenario("while True:\n    pass", "print(1)", extra: "timeout: 0.000001\n", id: "limits/runaway")
    let fine = try scenario("print(1)", "print(1)", id: "limits/fine")
    let selection = [fine, runaway, fine].enumerated().map { index, scenario in
      Workspace.Selected(
        entry: Workspace.Entry(id: scenario.id + "-\(index)", path: scenario.path), scenario: .success(scenario))
    }
    let session = RunSession(workspace: Workspace(root: NSTemporaryDirectory()), jobs: 2)
    let results = try session.run(selection, sinks: []).compactMap(\.result)
    #expect(results.map(\.verdict) == [.equivalent, .error, .equivalent])
    guard case let .failed(error) = results[1].v1.outcome else {
      Issue.record("the runaway scenario completed")
      return
    }
    #expect(error.message.contains("its scenario sets; raise it with the scenario's `timeout:` key"))
    #expect(error.isLockstepLimitation)
  }

  @Test("without a time limit (0) a program runs to its end")
  func noTimeout() throws {
    let limits = try RunLimits.resolve(timeout: "0", environment: [:])
    #expect(limits.timeout == nil)
    #expect(v1Error(try scenario("x = 0\nfor i in range(5000):\n    x += i"), limits) == nil)
  }

  @Test("the step limit names itself and --max-steps")
  func stepLimit() throws {
    let error = try #require(v1Error(try scenario("while True:\n    pass"), RunLimits(maxSteps: 500)))
    #expect(
      error.message == "the program ran more than 500 steps (an infinite loop?); "
        + "raise the limit with --max-steps N or LOCKSTEP_MAX_STEPS=N")
  }

  @Test("the memory budget names itself and --memory-limit")
  func memoryLimit() throws {
    let program = "import tensorflow as tf\nx = tf.zeros([1024, 1024])"
    let error = try #require(v1Error(try scenario(program), RunLimits(memoryBytes: 1 << 20)))
    #expect(error.type == "limit")
    #expect(error.message.contains("memory budget of 1 MiB per program"))
    #expect(error.message.hasSuffix("raise the budget with --memory-limit MIB or LOCKSTEP_MEMORY_LIMIT=MIB"))
    #expect(v1Error(try scenario(program), RunLimits(memoryBytes: 8 << 20)) == nil)
  }

  @Test("fixed limits say they are fixed and what to do instead")
  func fixedLimits() throws {
    let list = try #require(v1Error(try scenario("x = [0] * (10 ** 12)"), RunLimits()))
    #expect(list.message.hasSuffix("; this limit is fixed: keep large data in tensors, not Python sequences"))
    let nested = "import tensorflow as tf\nx = tf.constant([[0.0] * 10000] * 10000)"
    let tensor = try #require(v1Error(try scenario(nested), RunLimits()))
    #expect(
      tensor.message.hasSuffix(
        "; this limit is fixed: build large tensors with tf.zeros, tf.ones, tf.range or np.zeros instead"))
  }

  @Test("the recursion limit is a RecursionError with a note naming --max-depth")
  func recursionLimit() throws {
    let program = "def f(n):\n    return f(n + 1)\nf(0)"
    let result = ScenarioRunner.run(try scenario(program), baselines: nil, limits: RunLimits(maxCallDepth: 50))
    guard case let .failed(error) = result.v1.outcome else {
      Issue.record("the recursion completed")
      return
    }
    #expect(error.type == "RecursionError")
    #expect(result.problems.contains { $0.contains("limit of 50") && $0.contains("--max-depth N") })
    let deeper = "def f(n):\n    return 0 if n == 0 else f(n - 1)\nx = f(400)"
    #expect(v1Error(try scenario(deeper), RunLimits(maxCallDepth: 500)) == nil)
  }

  @Test("options win over LOCKSTEP_* variables; bad values name the setting")
  func resolve() throws {
    let environment = [
      "LOCKSTEP_TIMEOUT": "5", "LOCKSTEP_MAX_STEPS": "1000", "LOCKSTEP_MAX_DEPTH": "300",
      "LOCKSTEP_MEMORY_LIMIT": "64",
    ]
    let fromEnvironment = try RunLimits.resolve(environment: environment)
    #expect(fromEnvironment == RunLimits(timeout: 5, maxSteps: 1000, maxCallDepth: 300, memoryBytes: 64 << 20))
    let fromOptions = try RunLimits.resolve(timeout: "2.5", maxSteps: "10", environment: environment)
    #expect(fromOptions.timeout == 2.5)
    #expect(fromOptions.maxSteps == 10)
    #expect(try RunLimits.resolve(environment: [:]) == RunLimits())
    #expect(RunLimits().timeout == 60)
    #expect(throws: RunLimits.InvalidSetting.self) { try RunLimits.resolve(timeout: "soon", environment: [:]) }
    do {
      _ = try RunLimits.resolve(environment: ["LOCKSTEP_MAX_DEPTH": "100000"])
      Issue.record("a depth beyond the ceiling was accepted")
    } catch {
      #expect(error.description == "LOCKSTEP_MAX_DEPTH must be a number from 1 to 5000, not '100000'")
    }
  }

  @Test("the thread budget: kernels and OpenBLAS share cores / jobs; OpenBLAS never below two")
  func threadBudget() {
    let cases: [(cores: Int, jobs: Int, kernel: Int, blas: Int)] = [
      (8, 1, 8, 8), (8, 2, 4, 4), (8, 3, 2, 2), (2, 2, 1, 2), (2, 8, 1, 2), (1, 1, 1, 2), (16, 4, 4, 4),
    ]
    for item in cases {
      let budget = ThreadBudget(cores: item.cores, jobs: item.jobs)
      #expect(budget.kernelThreads == item.kernel, "\(item)")
      #expect(budget.blasThreads == item.blas, "\(item)")
      #expect(budget.jobs * budget.kernelThreads <= max(item.cores, budget.jobs), "\(item)")
    }
  }
}
