import Foundation
import PythonSyntax
import TFModel

/// Figure 10: pure-Python workloads run by Lockstep's interpreter and by CPython (`python3`
/// on PATH) on the same source, side by side in one run. Each figure is Lockstep's time
/// against CPython's; the goals are issue 7's (2× for int arithmetic, calls and attribute
/// and method access, 3× for the rest).
enum PythonBenchmarks {
  /// A workload: its name, its source (a function `work()` and its call), and its goal.
  struct Workload {
    let name: String
    let source: String
    let goal: Double
  }

  static let iterations = 200_000
  /// Rounds per workload (odd, for a median).
  static let repetitions = 7

  static let workloads: [Workload] = [
    Workload(
      name: "python-int-arithmetic",
      source: """
        def work():
            total = 0
            for i in range(\(iterations)):
                total = (total + i * 3 - (i // 7)) % 1000003
            return total
        """, goal: 2),
    Workload(
      name: "python-calls",
      source: """
        def add(a, b):
            return a + b
        def work():
            total = 0
            for i in range(\(iterations)):
                total = add(total, i)
            return total
        """, goal: 2),
    Workload(
      name: "python-attributes-methods",
      source: """
        class Counter:
            def __init__(self):
                self.count = 0
                self.step = 1
            def bump(self, k):
                self.count += self.step + k
                return self.count
        def work():
            c = Counter()
            total = 0
            for i in range(\(iterations)):
                total += c.bump(1) + c.step
            return total
        """, goal: 2),
    Workload(
      name: "python-list-building",
      source: """
        def work():
            items = []
            for i in range(\(iterations)):
                items.append(i * 2)
            squares = [x * x for x in items if x % 3]
            return len(items) + len(squares)
        """, goal: 3),
    Workload(
      name: "python-dict-lookups",
      source: """
        def work():
            table = {}
            for i in range(1000):
                table[i] = i * i
            names = {'a': 1, 'b': 2, 'c': 3}
            total = 0
            for i in range(\(iterations)):
                total += table[i % 1000] + names.get('b', 0)
            return total
        """, goal: 3),
    Workload(
      name: "python-float-loop-toplevel",
      source: """
        x = 0.0
        for i in range(\(iterations)):
            x = x * 0.5 + 1.25
        def work():
            return x
        """, goal: 3),
  ]

  /// The figures, or one comment line saying why CPython could not be timed.
  static func run() throws -> [Figure] {
    guard let python = pythonPath() else {
      return [
        Figure(
          name: "python-workloads", value: nil, unit: .milliseconds, reference: nil, goal: .none,
          unavailable: "skipped: no python3 on PATH")
      ]
    }
    var figures: [Figure] = []
    for workload in workloads {
      let program = SourceFile(path: "<lockstep-bench>", text: workload.source + "\nwork()\n")
      let empty = SourceFile(path: "<lockstep-bench>", text: "pass\n")
      // Each round times Lockstep (its program minus an empty one) and CPython (by its own
      // timer, not the subprocess's wall time) back to back. This machine's speed drifts over
      // seconds, so the two sides' separate bests can come from different moments: the
      // figure is the round whose ratio is the median, both its times measured together.
      try DispatchBenchmarks.run(program)
      let median = try Stopwatch.medianPairedRound(
        repetitions,
        engine: {
          try Stopwatch.seconds { try DispatchBenchmarks.run(program) }
            - Stopwatch.seconds { try DispatchBenchmarks.run(empty) }
        },
        reference: { try cpythonSeconds(python, workload.source) })
      figures.append(
        Figure(
          name: workload.name, value: median.engine * 1e3, unit: .milliseconds,
          reference: (median.reference * 1e3, .milliseconds), goal: .ratioAtMost(workload.goal)))
    }
    return figures
  }

  /// `python3` on PATH, if any.
  static func pythonPath() -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/python3"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The seconds CPython takes to run `source` and `work()`, timed inside CPython (its start-up
  /// and compilation excluded, as Lockstep's parse is excluded by subtracting an empty run).
  static func cpythonSeconds(_ python: String, _ source: String) throws -> Double {
    let wrapper = """
      import sys, time
      source = sys.stdin.read()
      code = compile(source + "\\nwork()\\n", "<workload>", "exec")
      start = time.perf_counter()
      exec(code, {"__name__": "__main__"})
      print(time.perf_counter() - start)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", wrapper]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(source.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0, let seconds = Double(text) else {
      throw BenchError.programFailed("python3 could not run the workload: \(text)")
    }
    return seconds
  }
}
