import Operations
import PythonSyntax
import TFModel
import TensorCore

/// Figure 9: a graph's `sess.run`, and one training step of a small MLP on the tape and in a
/// graph, against the GEMMs it cannot avoid.
enum TrainingBenchmarks {
  /// Runs of the small graph per program.
  static let sessionRuns = 5_000
  /// Training steps timed per side.
  static let trainingSteps = 60
  /// Steps both of a side's programs run before the timed ones. A program's first steps pay
  /// one-time costs that a step of a training loop does not (fresh buffers paged in, the first
  /// GEMM's thread start-up): a side's figure is its program of `warmupSteps + trainingSteps`
  /// steps minus the same program of `warmupSteps` steps, over `trainingSteps`.
  static let warmupSteps = 5
  /// Rounds per training figure (odd, for a median), and timings of each side per round.
  static let rounds = 9
  static let triesPerRound = 3

  /// A program from its lines.
  static func program(_ lines: [String]) -> SourceFile {
    SourceFile(path: "<lockstep-bench>", text: lines.joined(separator: "\n") + "\n")
  }

  /// `graph-session-run`: per `sess.run` of a fed placeholder through a 64×64 matmul, an add
  /// and a sum, beyond the loop's own cost; the reference is the three kernels called directly.
  static func sessionRun() throws -> [Figure] {
    let setup = [
      "import numpy as np", "import tensorflow.compat.v1 as tf", "tf.disable_v2_behavior()",
      "x = tf.placeholder(tf.float32, [64, 64])", "w = tf.constant(np.ones((64, 64), dtype=np.float32))",
      "total = tf.reduce_sum(tf.matmul(x, w) + 1.0)", "feed = {x: np.ones((64, 64), dtype=np.float32)}",
      "sess = tf.Session()", "for i in range(\(sessionRuns)):",
    ]
    let run = program(setup + ["    r = sess.run(total, feed_dict=feed)"])
    let loop = program(setup + ["    r = feed"])
    let (a, _) = try Inputs.random([64, 64], seed: 11)
    let (b, _) = try Inputs.random([64, 64], seed: 12)
    let one = Tensor(shape: [], scalars: [Float(1)])
    let kernels = 2_000
    let times = try Stopwatch.bestOf(
      5,
      [
        { try DispatchBenchmarks.run(run) }, { try DispatchBenchmarks.run(loop) },
        {
          for _ in 0..<kernels {
            let product = try OpDefinition.matMul(a, b)
            consume(
              try OpDefinition.sum(
                try OpDefinition.addV2(product, one), attributes: .reduction(axes: nil, keepDims: false)))
          }
        },
      ])
    let perRun = (times[0] - times[1]) / Double(sessionRuns) * 1e6
    return [
      Figure(
        name: "graph-session-run", value: perRun, unit: .microseconds,
        reference: (times[2] / Double(kernels) * 1e6, .microseconds), goal: .atMost(20, .microseconds))
    ]
  }

  /// The MLP: 64 examples of 784 features → 128 (relu) → 10 logits, sparse softmax
  /// cross-entropy averaged, plain gradient descent.
  static let model = [
    "import numpy as np",
    "x_data = np.ones((64, 784), dtype=np.float32) * 0.01",
    "labels = np.zeros((64,), dtype=np.int32)",
  ]

  /// `train-step-graph` and `train-step-tape`: one step each, against the five GEMMs of a
  /// step (two forward, three backward) called directly.
  static func trainingStep() throws -> [Figure] {
    func graphProgram(steps: Int) -> SourceFile {
      program(
        model + [
          "import tensorflow.compat.v1 as tf", "tf.disable_v2_behavior()",
          "x = tf.placeholder(tf.float32, [64, 784])", "y = tf.placeholder(tf.int32, [64])",
          "w1 = tf.Variable(tf.ones([784, 128]) * 0.01)", "b1 = tf.Variable(tf.zeros([128]))",
          "w2 = tf.Variable(tf.ones([128, 10]) * 0.01)", "b2 = tf.Variable(tf.zeros([10]))",
          "h = tf.nn.relu(tf.matmul(x, w1) + b1)", "logits = tf.matmul(h, w2) + b2",
          "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))",
          "train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)",
          "sess = tf.Session()", "sess.run(tf.global_variables_initializer())",
          "feed = {x: x_data, y: labels}", "for i in range(\(steps)):", "    sess.run(train, feed_dict=feed)",
        ])
    }
    func tapeProgram(steps: Int) -> SourceFile {
      program(
        model + [
          "import tensorflow as tf", "x = tf.constant(x_data)", "y = tf.constant(labels)",
          "w1 = tf.Variable(tf.ones([784, 128]) * 0.01)", "b1 = tf.Variable(tf.zeros([128]))",
          "w2 = tf.Variable(tf.ones([128, 10]) * 0.01)", "b2 = tf.Variable(tf.zeros([10]))",
          "variables = [w1, b1, w2, b2]", "for i in range(\(steps)):",
          "    with tf.GradientTape() as tape:",
          "        h = tf.nn.relu(tf.matmul(x, w1) + b1)",
          "        logits = tf.matmul(h, w2) + b2",
          "        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))",
          "    grads = tape.gradient(loss, variables)",
          "    for v, g in zip(variables, grads):",
          "        v.assign_sub(0.01 * g)",
        ])
    }
    let (graphLong, graphWarmup) = (graphProgram(steps: warmupSteps + trainingSteps), graphProgram(steps: warmupSteps))
    let (tapeLong, tapeWarmup) = (tapeProgram(steps: warmupSteps + trainingSteps), tapeProgram(steps: warmupSteps))
    let shapes: [([Int], [Int], Bool, Bool)] = [
      ([64, 784], [784, 128], false, false), ([64, 128], [128, 10], false, false),
      ([64, 128], [64, 10], true, false), ([64, 10], [128, 10], false, true), ([64, 784], [64, 128], true, false),
    ]
    var operands: [(Tensor, Tensor, OpAttributes)] = []
    for (index, (left, right, ta, tb)) in shapes.enumerated() {
      let (a, _) = try Inputs.random(left, seed: UInt64(20 + index))
      let (b, _) = try Inputs.random(right, seed: UInt64(40 + index))
      operands.append((a, b, OpAttributes(["transpose_a": .bool(ta), "transpose_b": .bool(tb)])))
    }
    let gemmRounds = 200
    func gemms() throws -> Double {
      try Stopwatch.seconds {
        for _ in 0..<gemmRounds {
          for (a, b, attributes) in operands { consume(try OpDefinition.matMul(a, b, attributes: attributes)) }
        }
      } / Double(gemmRounds)
    }
    func best(_ body: () throws -> Double) rethrows -> Double {
      var best = Double.infinity
      for _ in 0..<triesPerRound { best = min(best, try body()) }
      return best
    }
    // Per step: the best of the long program minus the best of the short one.
    func step(_ long: SourceFile, _ warmup: SourceFile) throws -> Double {
      let longTime = try best { try Stopwatch.seconds { try DispatchBenchmarks.run(long) } }
      let warmupTime = try best { try Stopwatch.seconds { try DispatchBenchmarks.run(warmup) } }
      return (longTime - warmupTime) / Double(trainingSteps)
    }
    // Each round times a side's step and the GEMMs back to back, so that both come from one
    // moment of a machine whose speed drifts by tens of percent over seconds; the figure is the
    // round whose ratio is the median, with both its times.
    func figure(_ name: String, _ long: SourceFile, _ warmup: SourceFile) throws -> Figure {
      _ = try step(long, warmup)
      let round = try Stopwatch.medianPairedRound(
        rounds, engine: { try step(long, warmup) }, reference: { try best { try gemms() } })
      return Figure(
        name: name, value: round.engine * 1e6, unit: .microseconds, reference: (round.reference * 1e6, .microseconds),
        goal: .ratioAtMost(2))
    }
    return [
      try figure("train-step-graph", graphLong, graphWarmup), try figure("train-step-tape", tapeLong, tapeWarmup),
    ]
  }
}
