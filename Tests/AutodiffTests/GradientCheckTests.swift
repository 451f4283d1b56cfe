import Autodiff
import Dataflow
import Foundation
import Operations
import Testing

@testable import TensorCore

/// One op's gradient check: the op with its attributes, float64 inputs, and which inputs are
/// differentiated.
struct GradientCase: CustomTestStringConvertible, Sendable {
  let op: Op
  let inputs: [Tensor]
  /// The inputs to differentiate (the rest are labels or indices).
  let differentiable: [Int]
  /// How many outputs carry a gradient (the rest are, like SparseSoftmaxCE's backprop, not).
  var seededOutputs = 1
  let label: String
  var testDescription: String { label }

  init(_ label: String, _ op: Op, _ inputs: [Tensor], differentiable: [Int]? = nil) {
    self.label = label
    self.op = op
    self.inputs = inputs
    self.differentiable = differentiable ?? Array(inputs.indices)
  }
}

/// Deterministic float64 inputs in [low, high).
func values(_ shape: [Int], seed: UInt64, in range: ClosedRange<Double> = -2...2) -> Tensor {
  var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  let count = shape.reduce(1, *)
  var doubles: [Double] = []
  for _ in 0..<count {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let unit = Double(state >> 11) / Double(1 << 53)
    doubles.append(range.lowerBound + unit * (range.upperBound - range.lowerBound))
  }
  return Tensor(doubles: doubles, shape: shape, dtype: .float64)
}

/// Every op with a gradient rule, checked by central finite differences in float64 and by
/// graph-vs-tape agreement (the same rule through both drivers gives the same bits).
@Suite struct GradientCheckTests {
  static func matmul(_ a: Bool, _ b: Bool) -> Op {
    Op(.matMul, OpAttributes(["transpose_a": .bool(a), "transpose_b": .bool(b)]))
  }

  static let cases: [GradientCase] = [
    GradientCase("AddV2 broadcasting a row", Op(.addV2), [values([2, 3], seed: 1), values([3], seed: 2)]),
    GradientCase("Sub broadcasting a column", Op(.sub), [values([2, 3], seed: 3), values([2, 1], seed: 4)]),
    GradientCase("Mul broadcasting a scalar", Op(.mul), [values([2, 3], seed: 5), values([], seed: 6)]),
    GradientCase(
      "RealDiv broadcasting", Op(.realDiv), [values([2, 3], seed: 7), values([1, 3], seed: 8, in: 0.5...2)]),
    GradientCase("Neg", Op(.neg), [values([5], seed: 9)]),
    GradientCase("Exp", Op(.exp), [values([5], seed: 10)]),
    GradientCase("Sum over an axis", Op(.sum, .reduction(axes: [1], keepDims: false)), [values([2, 3], seed: 11)]),
    GradientCase("Sum of everything", Op(.sum, .reduction(axes: nil, keepDims: false)), [values([2, 3], seed: 12)]),
    GradientCase("Mean keeping dims", Op(.mean, .reduction(axes: [0], keepDims: true)), [values([4, 3], seed: 13)]),
    GradientCase("Cast float64 to float64", .cast(to: .float64), [values([3], seed: 14)]),
    GradientCase(
      "Reshape", Op(.reshape, OpAttributes(["shape": .ints([3, -1])])), [values([2, 3], seed: 15)]),
    GradientCase(
      "ExpandDims", Op(.expandDims, OpAttributes(["dim": .ints([1])])), [values([2, 3], seed: 16)]),
    GradientCase(
      "Squeeze", Op(.squeeze, OpAttributes(["squeeze_dims": .ints([1])])), [values([2, 1, 3], seed: 17)]),
    GradientCase(
      "BroadcastTo", Op(.broadcastTo), [values([1, 3], seed: 18), Tensor(shape: [2], scalars: [Int32(2), 3])],
      differentiable: [0]),
    GradientCase("Identity", Op(.identity), [values([3], seed: 19)]),
    GradientCase("MatMul", matmul(false, false), [values([2, 3], seed: 20), values([3, 4], seed: 21)]),
    GradientCase("MatMul transpose_a", matmul(true, false), [values([3, 2], seed: 22), values([3, 4], seed: 23)]),
    GradientCase("MatMul transpose_b", matmul(false, true), [values([2, 3], seed: 24), values([4, 3], seed: 25)]),
    GradientCase("MatMul both", matmul(true, true), [values([3, 2], seed: 26), values([4, 3], seed: 27)]),
    GradientCase("Maximum broadcasting", Op(.maximum), [values([2, 3], seed: 29), values([3], seed: 30)]),
    GradientCase("Minimum broadcasting", Op(.minimum), [values([2, 3], seed: 31), values([2, 1], seed: 32)]),
    GradientCase("Max over an axis", Op(.max, .reduction(axes: [1], keepDims: false)), [values([3, 4], seed: 33)]),
    GradientCase("Min of everything", Op(.min, .reduction(axes: nil, keepDims: true)), [values([3, 4], seed: 34)]),
    GradientCase(
      "SelectV2 broadcasting", Op(.selectV2),
      [
        Tensor(shape: [2, 3], scalars: [true, false, true, false, false, true]), values([2, 3], seed: 35),
        values([3], seed: 36),
      ], differentiable: [1, 2]),
    GradientCase(
      "Fill", Op(.fill), [Tensor(shape: [2], scalars: [Int32(2), 3]), values([], seed: 37)], differentiable: [1]),
    GradientCase("Abs", Op(.abs), [values([5], seed: 40)]),
    GradientCase("Log", Op(.log), [values([5], seed: 41, in: 0.5...3)]),
    GradientCase("Square", Op(.square), [values([5], seed: 42)]),
    GradientCase("Sqrt", Op(.sqrt), [values([5], seed: 43, in: 0.5...3)]),
    GradientCase("Rsqrt", Op(.rsqrt), [values([5], seed: 44, in: 0.5...3)]),
    GradientCase("Reciprocal", Op(.reciprocal), [values([5], seed: 45, in: 0.5...3)]),
    GradientCase("Sign", Op(.sign), [values([5], seed: 46)]),
    GradientCase("Relu", Op(.relu), [values([6], seed: 47)]),
    GradientCase("Sigmoid", Op(.sigmoid), [values([5], seed: 48)]),
    GradientCase("Tanh", Op(.tanh), [values([5], seed: 49)]),
    GradientCase("ReluGrad", Op(.reluGrad), [values([6], seed: 50), values([6], seed: 51)]),
    GradientCase("SigmoidGrad", Op(.sigmoidGrad), [values([5], seed: 52, in: 0.1...0.9), values([5], seed: 53)]),
    GradientCase("TanhGrad", Op(.tanhGrad), [values([5], seed: 54, in: -0.9...0.9), values([5], seed: 55)]),
    GradientCase("SqrtGrad", Op(.sqrtGrad), [values([5], seed: 56, in: 0.5...3), values([5], seed: 57)]),
    GradientCase("RsqrtGrad", Op(.rsqrtGrad), [values([5], seed: 58, in: 0.5...3), values([5], seed: 59)]),
    GradientCase(
      "ReciprocalGrad", Op(.reciprocalGrad), [values([5], seed: 60, in: 0.5...3), values([5], seed: 61)]),
    GradientCase("Pow broadcasting", Op(.pow), [values([2, 3], seed: 62, in: 0.5...2), values([3], seed: 63)]),
    GradientCase(
      "SparseSoftmaxCrossEntropyWithLogits", Op(.sparseSoftmaxCrossEntropyWithLogits),
      [values([3, 4], seed: 28), Tensor(shape: [3], scalars: [Int32(1), 3, 0])], differentiable: [0]),
    GradientCase(
      "Conv2D SAME stride 1", conv2D([1, 1, 1, 1], "SAME"),
      [values([1, 5, 5, 2], seed: 70), values([3, 3, 2, 3], seed: 71)]),
    GradientCase(
      "Conv2D VALID stride 2", conv2D([1, 2, 2, 1], "VALID"),
      [values([1, 5, 5, 2], seed: 72), values([3, 3, 2, 3], seed: 73)]),
    GradientCase(
      "Conv2D EXPLICIT column stride 2", conv2D([1, 1, 2, 1], "EXPLICIT", [0, 0, 1, 0, 2, 1, 0, 0]),
      [values([1, 5, 5, 2], seed: 74), values([2, 3, 2, 2], seed: 75)]),
    GradientCase(
      "Conv2DBackpropInput SAME", conv2DBackpropInput,
      [int32s([1, 5, 5, 2]), values([3, 3, 2, 3], seed: 76), values([1, 5, 5, 3], seed: 77)], differentiable: [1, 2]),
    GradientCase(
      "Conv2DBackpropFilter VALID stride 2", conv2DBackpropFilter,
      [values([1, 5, 5, 2], seed: 78), int32s([3, 3, 2, 3]), values([1, 2, 2, 3], seed: 79)], differentiable: [0, 2]),
    GradientCase(
      "Transpose", Op(.transpose), [values([2, 3, 4], seed: 80), int32s([2, 0, 1])], differentiable: [0]),
    GradientCase(
      "Cumprod", Op(.cumprod, scan()), [values([3, 4], seed: 81, in: 0.5...2), scalar(1)], differentiable: [0]),
    GradientCase(
      "Cumprod exclusive reverse", Op(.cumprod, scan(exclusive: true, reverse: true)),
      [values([3, 4], seed: 82, in: -2...(-0.5)), scalar(0)], differentiable: [0]),
    GradientCase(
      "Cumsum reverse", Op(.cumsum, scan(reverse: true)), [values([3, 4], seed: 83), scalar(-1)], differentiable: [0]),
    GradientCase(
      "DivNoNan broadcasting", Op(.divNoNan), [values([2, 3], seed: 84), values([3], seed: 85, in: 0.5...2)]),
    GradientCase(
      "Prod over an axis", Op(.prod, .reduction(axes: [1], keepDims: false)), [values([2, 3, 4], seed: 86)]),
    GradientCase(
      "Prod over two axes keeping dims", Op(.prod, .reduction(axes: [2, 0], keepDims: true)),
      [values([2, 3, 4], seed: 87)]),
    GradientCase(
      "Prod through zeros (no division)", Op(.prod, .reduction(axes: [1], keepDims: false)),
      [Tensor(doubles: [1.5, 0, -2, 0, 0.5, 0, 3, -1, 0.25], shape: [3, 3], dtype: .float64)]),
    GradientCase("Prod of everything", Op(.prod, .reduction(axes: nil, keepDims: false)), [values([2, 3], seed: 88)]),
  ]

  /// TF 2.21's CPU backprop kernels refuse dilations above 1, so the Conv2D cases have none.
  static func conv2D(_ strides: [Int], _ padding: String, _ explicit: [Int] = []) -> Op {
    Op(.conv2D, .conv2D(strides: strides, padding: padding, explicitPaddings: explicit))
  }

  static let conv2DBackpropInput = Op(.conv2DBackpropInput, .conv2D(strides: [1, 1, 1, 1], padding: "SAME"))
  static let conv2DBackpropFilter = Op(.conv2DBackpropFilter, .conv2D(strides: [1, 2, 2, 1], padding: "VALID"))

  static func int32s(_ values: [Int]) -> Tensor { Tensor(shape: [values.count], scalars: values.map { Int32($0) }) }
  static func scalar(_ value: Int) -> Tensor { Tensor(shape: [], scalars: [Int32(value)]) }
  static func scan(exclusive: Bool = false, reverse: Bool = false) -> OpAttributes {
    OpAttributes(["exclusive": .bool(exclusive), "reverse": .bool(reverse)])
  }

  @Test("every op with a rule has a gradient check here")
  func everyRuleIsChecked() {
    let checked = Set(Self.cases.map(\.op.typeName))
    var unchecked: [String] = []
    for (name, definition) in OpRegistry.byName {
      guard case .rule = definition.gradient, !checked.contains(name) else { continue }
      // Variable reads have no tensor input: the drivers route their gradient to the variable.
      // PreventGradient's rule is an error, checked below.
      if name == "ReadVariableOp" || name == "PreventGradient" { continue }
      unchecked.append(name)
    }
    #expect(unchecked.sorted() == [])
  }

  @Test("a gradient through PreventGradient is TF's LookupError naming the op's message")
  func preventedGradient() throws {
    let op = Op(.preventGradient, OpAttributes(["message": .string("no second derivative")]))
    let check = GradientCase("PreventGradient", op, [values([2], seed: 38)])
    #expect(throws: OpError.gradientDisabled("no second derivative")) {
      _ = try tapeGradients(check, seeds: try seedTensors(check))
    }
  }

  @Test("the rule's gradient matches central finite differences in float64", arguments: cases)
  func finiteDifferences(_ check: GradientCase) throws {
    let seeds = try seedTensors(check)
    let analytic = try tapeGradients(check, seeds: seeds)
    let step = 1e-6
    for index in check.differentiable {
      let input = check.inputs[index]
      let grad = try #require(analytic[index]).scalars(as: Double.self)
      var x = input.scalars(as: Double.self)
      for element in x.indices {
        let original = x[element]
        x[element] = original + step
        let above = try weightedOutput(check, replacing: index, with: x, seeds: seeds)
        x[element] = original - step
        let below = try weightedOutput(check, replacing: index, with: x, seeds: seeds)
        x[element] = original
        let numeric = (above - below) / (2 * step)
        #expect(
          abs(numeric - grad[element]) <= 1e-5 * max(1, abs(numeric)),
          "input \(index)[\(element)]: finite differences \(numeric), rule \(grad[element])")
      }
    }
  }

  @Test("graph-mode gradients and the tape's give the same bits", arguments: cases)
  func graphAgreesWithTape(_ check: GradientCase) throws {
    let seeds = try seedTensors(check)
    let tape = try tapeGradients(check, seeds: seeds)
    let graph = DataflowGraph()
    let inputs = try check.inputs.map { try graph.add(.constant($0), [], name: graph.uniqueName("x")).output(0) }
    let node = try graph.add(check.op, inputs, name: "op")
    var targets: [(value: Endpoint, seed: Endpoint)] = []
    for (index, seed) in seeds.enumerated() {
      targets.append((node.output(index), try graph.add(.constant(seed), [], name: graph.uniqueName("seed")).output(0)))
    }
    let emitter = GraphGradients(graph: graph, scope: "gradients")
    let grads = try emitter.gradients(of: targets, with: inputs.map { [$0] }, stopped: [])
    let fetched = check.differentiable.map { grads[$0]! }
    let values = try Executor(graph: graph).run(fetches: fetched, feeds: [:], resources: ResourceStore())
    for (index, value) in zip(check.differentiable, values) {
      #expect(value.scalars(as: Double.self) == tape[index]?.scalars(as: Double.self))
      #expect(value.shape == check.inputs[index].shape)
    }
  }

  /// A random upstream gradient for each seeded output.
  private func seedTensors(_ check: GradientCase) throws -> [Tensor] {
    let outputs = try check.op.compute(check.inputs)
    return outputs.prefix(check.seededOutputs).enumerated().map { values($1.shape, seed: 100 + UInt64($0)) }
  }

  /// Σ seed · output, with input `index` replaced.
  private func weightedOutput(_ check: GradientCase, replacing index: Int, with x: [Double], seeds: [Tensor])
    throws -> Double
  {
    var inputs = check.inputs
    inputs[index] = Tensor(doubles: x, shape: inputs[index].shape, dtype: .float64)
    let outputs = try check.op.compute(inputs)
    var total = 0.0
    for (output, seed) in zip(outputs, seeds) {
      for (value, weight) in zip(output.scalars(as: Double.self), seed.scalars(as: Double.self)) {
        total += value * weight
      }
    }
    return total
  }

  /// The gradient of each input through the tape (nil where none).
  private func tapeGradients(_ check: GradientCase, seeds: [Tensor]) throws -> [Tensor?] {
    let emitter = EagerTestEmitter()
    let tape = Tape(persistent: false, watchesAccessedVariables: true)
    let inputs = check.inputs.enumerated().map { TapeTensor(id: $0 + 1, value: $1) }
    for index in check.differentiable { tape.watch(inputs[index].id) }
    let outputs = try emitter.emit(check.op, inputs)
    tape.record(check.op, inputs: inputs, outputs: outputs)
    let targets = seeds.enumerated().map { (outputs[$0], TapeTensor(id: 500 + $0, value: $1)) }
    return try tape.gradients(of: targets, with: inputs, emitter: emitter).map { $0?.value }
  }
}

@Suite struct DynamicShapeGradientTests {
  /// A [?, 3] placeholder fed a [2, 3] batch: each rule takes its dynamic path (Shape,
  /// BroadcastGradientArgs, shapes computed when the graph runs) and must give the tape's bits.
  @Test("graph gradients through unknown dimensions equal the tape's", arguments: GradientCheckTests.dynamicCases)
  func unknownBatch(_ check: GradientCase) throws {
    let graph = DataflowGraph()
    let placeholder = Op(.placeholder, OpAttributes(["dtype": .type(.float64), "shape": .ints([-1, 3])]))
    let x = try graph.add(placeholder, [], name: "x").output(0)
    var inputs = [x]
    for other in check.inputs.dropFirst() {
      inputs.append(try graph.add(.constant(other), [], name: graph.uniqueName("c")).output(0))
    }
    let node = try graph.add(check.op, inputs, name: "op")
    let outputs = try check.op.compute(check.inputs)
    let seed = values(outputs[0].shape, seed: 77)
    let seedNode = try graph.add(.constant(seed), [], name: "seed").output(0)
    let grads = try GraphGradients(graph: graph, scope: "gradients").gradients(
      of: [(node.output(0), seedNode)], with: inputs.map { [$0] }, stopped: [])
    let fetched = try Executor(graph: graph).run(
      fetches: [grads[0]!], feeds: [x: check.inputs[0]], resources: ResourceStore())

    let emitter = EagerTestEmitter()
    let tape = Tape(persistent: false, watchesAccessedVariables: true)
    let tensors = check.inputs.enumerated().map { TapeTensor(id: $0 + 1, value: $1) }
    tape.watch(1)
    let results = try emitter.emit(check.op, tensors)
    tape.record(check.op, inputs: tensors, outputs: results)
    let expected = try tape.gradients(
      of: [(results[0], TapeTensor(id: 99, value: seed))], with: [tensors[0]], emitter: emitter)
    #expect(fetched[0].scalars(as: Double.self) == expected[0]?.value.scalars(as: Double.self))
  }
}

extension GradientCheckTests {
  static let dynamicCases: [GradientCase] = [
    GradientCase("AddV2 of a bias", Op(.addV2), [values([2, 3], seed: 60), values([3], seed: 61)]),
    GradientCase("Mul by a column", Op(.mul), [values([2, 3], seed: 62), values([2, 1], seed: 63)]),
    GradientCase("Mean over the batch", Op(.mean, .reduction(axes: [0], keepDims: false)), [values([2, 3], seed: 64)]),
    GradientCase("Sum of everything", Op(.sum, .reduction(axes: nil, keepDims: false)), [values([2, 3], seed: 65)]),
    GradientCase("Max over features", Op(.max, .reduction(axes: [1], keepDims: false)), [values([2, 3], seed: 66)]),
    GradientCase("Reshape", Op(.reshape, OpAttributes(["shape": .ints([-1])])), [values([2, 3], seed: 67)]),
  ]
}
