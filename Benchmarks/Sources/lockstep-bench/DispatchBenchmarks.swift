import Operations
import PythonSyntax
import TFModel
import TensorCore

/// Figure 7: what one small op costs beyond its arithmetic, through the interpreter and
/// from Swift.
enum DispatchBenchmarks {
  /// Loop iterations per program run.
  static let programIterations = 100_000
  /// Calls per timing from Swift.
  static let swiftIterations = 200_000

  /// A scenario-style program: two 3-element constants, then `body` run `iterations` times.
  static func program(_ body: String, iterations: Int) -> SourceFile {
    let text = """
      import tensorflow as tf
      x = tf.constant([1.0, 2.0, 3.0])
      y = tf.constant([4.0, 5.0, 6.0])
      for i in range(\(iterations)):
        \(body)

      """
    return SourceFile(path: "<lockstep-bench>", text: text)
  }

  /// Runs `source` as a scenario's program runs; throws when it does not complete.
  static func run(_ source: SourceFile) throws {
    let result = ProgramRunner.run(source, profile: .newest, outputs: nil)
    if case let .failed(error) = result.outcome {
      throw BenchError.programFailed(error.rendered)
    }
  }

  /// `dispatch-program-add` (per `z = x + y` beyond `z = x`, against the loop's own cost
  /// per iteration) and `dispatch-swift-add` (per `OpDefinition.addV2` call, against
  /// allocating a 3-element tensor and adding into it directly).
  static func run() throws -> [Figure] {
    let n = programIterations
    let add = program("z = x + y", iterations: n)
    let assign = program("z = x", iterations: n)
    let empty = program("z = x", iterations: 0)
    let times = try Stopwatch.bestOf(5, [{ try run(add) }, { try run(assign) }, { try run(empty) }])
    let perOp = (times[0] - times[1]) / Double(n) * 1e6
    let perIteration = (times[1] - times[2]) / Double(n) * 1e6

    let (x, px) = try Inputs.random([3], seed: 8)
    let (y, py) = try Inputs.random([3], seed: 9)
    let calls = swiftIterations
    let swift = try Stopwatch.bestOf(
      9,
      engine: {
        for _ in 0..<calls { consume(try OpDefinition.addV2(x, y)) }
      },
      reference: {
        for _ in 0..<calls {
          let (z, pz) = try Tensor.uninitialized(Float.self, shape: [3])
          for index in 0..<3 { (pz + index).initialize(to: px[index] + py[index]) }
          consume(z)
        }
      })
    withExtendedLifetime((x, y)) {}
    return [
      Figure(
        name: "dispatch-program-add", value: perOp, unit: .microseconds,
        reference: (perIteration, .microseconds), goal: .atMost(1, .microseconds)),
      Figure(
        name: "dispatch-swift-add", value: swift.engine / Double(calls) * 1e6, unit: .microseconds,
        reference: (swift.reference / Double(calls) * 1e6, .microseconds), goal: .atMost(0.3, .microseconds)),
    ]
  }
}

/// Why a benchmark could not produce its figures.
enum BenchError: Error, CustomStringConvertible {
  /// A benchmark program raised or did not parse.
  case programFailed(String)
  /// No `Scenarios/` directory where one was looked for.
  case noScenarios([String])

  var description: String {
    switch self {
    case let .programFailed(rendered): "a benchmark program failed:\n\(rendered)"
    case let .noScenarios(places):
      "no Scenarios/ directory in \(places.joined(separator: ", ")) (pass --root DIR or set LOCKSTEP_ROOT)"
    }
  }
}
