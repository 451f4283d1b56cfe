import Foundation
import TensorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `lockstep-bench [--root DIR]`: prints `#` lines about the machine, then one line per
/// figure, `NAME: VALUE UNIT | reference: VALUE UNIT | ratio: R | goal: G | ok` (or `MISS`).
/// docs/benchmarks.md describes each line. Exits 1 when a benchmark could not run.
@main
struct LockstepBench {
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--help") || arguments.contains("-h") {
      print(
        "usage: lockstep-bench [--root DIR] [--only SECTION]  (DIR holds Scenarios/; default: LOCKSTEP_ROOT or "
          + "this checkout; SECTION: a part of a section's name, e.g. `training`)")
      return
    }
    let only = arguments.firstIndex(of: "--only").flatMap {
      arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil
    }
    let started = Date()
    printHeader()
    var failed = false
    /// Prints a section's figures, or why it failed.
    func section(_ name: String, _ body: () throws -> [Figure]) {
      if let only, !name.localizedCaseInsensitiveContains(only) { return }
      do {
        for figure in try body() { emit(figure.line) }
      } catch {
        failed = true
        emit("# \(name) failed: \(error)")
      }
    }
    section("matmul 1024") { try MatMulBenchmarks.large() }
    section("matmul 64") { try MatMulBenchmarks.small() }
    section("conv2d") { try MatMulBenchmarks.convolution() }
    // OpenBLAS's threads spin for a while after a call; let them go to sleep before
    // timing the kernels that split work across cores themselves.
    usleep(300_000)
    section("memory-bound ops") { try MemoryBenchmarks.run() }
    section("dispatch") { try DispatchBenchmarks.run() }
    section("graph session") { try TrainingBenchmarks.sessionRun() }
    section("training step") { try TrainingBenchmarks.trainingStep() }
    section("python workloads") { try PythonBenchmarks.run() }
    section("scenario suite") {
      let root = try SuiteBenchmark.root(arguments: arguments)
      let suite = SuiteBenchmark.run(root: root)
      emit("# \(suite.summary)")
      return suite.figures
    }
    emit("# load average at end: \(loadAverage())")
    emit("# total time: " + String(format: "%.1f s", Date().timeIntervalSince(started)))
    if failed { exit(1) }
  }

  /// The OpenBLAS core and threads, the engine's core count, the load and the date.
  static func printHeader() {
    let choice: String
    switch BLAS.coreTypeChoice {
    case .detected: choice = "chosen from CPUID"
    case .inherited: choice = "from OPENBLAS_CORETYPE"
    case .openBLASDefault: choice = "OpenBLAS's own detection"
    }
    let core = BLAS.coreName.isEmpty ? "unavailable" : BLAS.coreName
    emit("# OpenBLAS core: \(core) (\(choice)), threads: \(BLAS.threadCount)")
    emit("# Parallel.coreCount: \(Parallel.coreCount)")
    emit("# load average: \(loadAverage())")
    emit("# date: \(Date().formatted(.iso8601))")
  }

  /// Writes `line` to standard output at once, so a slow or failing benchmark still shows
  /// what came before it even when the output is a pipe.
  static func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
  }

  /// The contents of /proc/loadavg, or `unavailable`.
  static func loadAverage() -> String {
    let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
    return text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unavailable"
  }
}
