import Foundation
import Harness

/// Figure 8: the bundled scenario suite, run as `lockstep run` runs it.
enum SuiteBenchmark {
  /// The repository root holding `Scenarios/`: `--root DIR` when given, else
  /// `LOCKSTEP_ROOT`, else the checkout this file is in, else the parent or current
  /// directory.
  static func root(arguments: [String]) throws -> String {
    var candidates: [String] = []
    if let flag = arguments.firstIndex(of: "--root"), arguments.indices.contains(flag + 1) {
      candidates = [arguments[flag + 1]]
    } else {
      if let variable = ProcessInfo.processInfo.environment["LOCKSTEP_ROOT"] { candidates.append(variable) }
      // This file is Benchmarks/Sources/lockstep-bench/SuiteBenchmark.swift.
      var checkout = URL(fileURLWithPath: #filePath)
      for _ in 0..<4 { checkout.deleteLastPathComponent() }
      candidates += [checkout.path, "..", "."]
    }
    let scenarios = { (root: String) in (root as NSString).appendingPathComponent("Scenarios") }
    guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: scenarios($0)) }) else {
      throw BenchError.noScenarios(candidates)
    }
    return root
  }

  /// `scenario-suite` (wall time) and `scenario-suite-rate` (scenarios per second) of the
  /// best of three runs of every scenario under `root`, with the first run's summary line
  /// (reports are not written).
  static func run(root: String) -> (figures: [Figure], summary: String) {
    let workspace = Workspace(root: root)
    let entries = workspace.allScenarios()
    let session = RunSession(workspace: workspace)
    var summary = ""
    var best = Double.infinity
    for round in 0..<3 {
      let time = Stopwatch.seconds {
        let items = session.run(entries, writeReports: false)
        if round == 0 { summary = RunSummary(items).line }
      }
      best = min(best, time)
    }
    let figures = [
      Figure(name: "scenario-suite", value: best, unit: .seconds, reference: nil, goal: .none),
      Figure(
        name: "scenario-suite-rate", value: Double(entries.count) / best, unit: .scenariosPerSecond,
        reference: nil, goal: .none),
    ]
    return (figures, "\(entries.count) scenarios under \(workspace.scenariosDirectory): \(summary)")
  }
}
