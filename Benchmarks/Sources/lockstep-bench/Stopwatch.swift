import Dispatch

/// Wall-clock timing, with engine and reference runs interleaved so that a noisy machine
/// slows both alike.
enum Stopwatch {
  /// The seconds `body` takes.
  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// The shortest time of each side over `repetitions` rounds, after one untimed warm-up
  /// run of each. Each round runs both sides, and which side goes first alternates, so
  /// neither always inherits the other's warm caches or a quieter moment.
  static func bestOf(
    _ repetitions: Int, engine: () throws -> Void, reference: () throws -> Void
  ) rethrows -> (engine: Double, reference: Double) {
    try engine()
    try reference()
    var best = (engine: Double.infinity, reference: Double.infinity)
    for round in 0..<repetitions {
      if round % 2 == 0 {
        best.engine = min(best.engine, try seconds(engine))
        best.reference = min(best.reference, try seconds(reference))
      } else {
        best.reference = min(best.reference, try seconds(reference))
        best.engine = min(best.engine, try seconds(engine))
      }
    }
    return best
  }

  /// The shortest time of each of `bodies` over `repetitions` rounds, after one untimed
  /// warm-up run of each; each round starts with a different body, in rotation.
  static func bestOf(_ repetitions: Int, _ bodies: [() throws -> Void]) throws -> [Double] {
    for body in bodies { try body() }
    var best = [Double](repeating: .infinity, count: bodies.count)
    for round in 0..<repetitions {
      for step in 0..<bodies.count {
        let index = (round + step) % bodies.count
        best[index] = min(best[index], try seconds(bodies[index]))
      }
    }
    return best
  }
}

extension Stopwatch {
  /// The round, of `rounds` (odd), whose engine/reference ratio is the median: each round
  /// measures both sides back to back (which goes first alternates), so the pair comes from
  /// one moment of a machine whose speed drifts. Each side returns its own measured seconds.
  static func medianPairedRound(
    _ rounds: Int, engine: () throws -> Double, reference: () throws -> Double
  ) rethrows -> (engine: Double, reference: Double) {
    var pairs: [(engine: Double, reference: Double)] = []
    for round in 0..<rounds {
      if round % 2 == 0 {
        let first = try engine()
        pairs.append((first, try reference()))
      } else {
        let first = try reference()
        pairs.append((try engine(), first))
      }
    }
    return pairs.sorted { $0.engine / $0.reference < $1.engine / $1.reference }[pairs.count / 2]
  }
}

/// Keeps the optimizer from discarding a result that is otherwise unused.
@inline(never)
func consume<T>(_ value: T) {
  withExtendedLifetime(value) {}
}
