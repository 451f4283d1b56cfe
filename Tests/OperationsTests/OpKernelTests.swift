import Foundation
import Operations
import Testing

@testable import TensorCore

@Suite struct TensorArithmeticTests {
  @Test("adding broadcasts a row across a matrix")
  func broadcastAdd() throws {
    let a = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    let b = Tensor(doubles: [10, 20, 30], shape: [3], dtype: .float32)
    let sum = try OpDefinition.addV2(a, b)
    #expect(sum.shape == [2, 3])
    #expect(sum.scalars(as: Float.self) == ([11, 22, 33, 14, 25, 36]))
  }

  @Test(
    "a broadcast subtraction equals subtracting the operands broadcast first",
    arguments: [
      ([2, 3, 4], [3, 4]), ([4], [2, 3, 4]), ([], [5]), ([5], []), ([1, 3], [2, 1, 3]), ([2, 1], [1, 3]),
      ([3, 1], [2, 3, 4]), ([0, 3], [3]), ([4, 1], [1]), ([1], [4, 1]),
    ] as [([Int], [Int])])
  func broadcastSubtraction(_ shapes: ([Int], [Int])) throws {
    /// Distinct values, so a swapped or misaligned operand shows.
    func values(_ shape: [Int], from start: Double) -> Tensor {
      let count = shape.reduce(1, *)
      return Tensor(doubles: (0..<count).map { start + Double($0) * 1.5 }, shape: shape, dtype: .float32)
    }
    let (lhs, rhs) = (values(shapes.0, from: 100), values(shapes.1, from: 1))
    let difference = try OpDefinition.sub(lhs, rhs)
    let expected = try OpDefinition.sub(
      try lhs.broadcasted(to: difference.shape), try rhs.broadcasted(to: difference.shape))
    #expect(difference.shape == expected.shape)
    #expect(difference.scalars(as: Float.self) == expected.scalars(as: Float.self))
  }

  @Test("op attributes compare by name whatever their order; setting nil removes one")
  func attributes() {
    var attributes = OpAttributes(["transpose_a": .bool(true), "transpose_b": .bool(false)])
    #expect(attributes == OpAttributes(["transpose_b": .bool(false), "transpose_a": .bool(true)]))
    #expect(attributes != OpAttributes(["transpose_a": .bool(true)]))
    attributes["transpose_b"] = nil
    #expect(attributes == OpAttributes(["transpose_a": .bool(true)]))
    attributes["transpose_a"] = .bool(false)
    #expect(attributes.bool("transpose_a") == false && attributes["transpose_b"] == nil)
  }

  @Test("a column broadcasts against a row into a matrix")
  func outerBroadcast() throws {
    let column = Tensor(doubles: [1, 2], shape: [2, 1], dtype: .int32)
    let row = Tensor(doubles: [10, 20, 30], shape: [1, 3], dtype: .int32)
    let product = try OpDefinition.mul(column, row)
    #expect(product.shape == [2, 3])
    #expect(product.scalars(as: Int32.self) == ([10, 20, 30, 20, 40, 60]))
  }

  @Test("mixed dtypes are refused, never promoted")
  func noPromotion() {
    let a = Tensor(doubles: [1], shape: [1], dtype: .float32)
    let b = Tensor(doubles: [1], shape: [1], dtype: .int32)
    #expect(throws: TensorError.dtypeMismatch(op: "AddV2", expected: .float32, actual: .int32, inputIndex: 1)) {
      try OpDefinition.addV2(a, b)
    }
  }

  @Test("incompatible shapes name both shapes")
  func incompatible() throws {
    let a = try Tensor.zeros(shape: [2, 3], dtype: .float32)
    let b = try Tensor.zeros(shape: [4], dtype: .float32)
    #expect(throws: TensorError.incompatibleShapes(op: "AddV2", lhs: [2, 3], rhs: [4])) {
      try OpDefinition.addV2(a, b)
    }
    #expect(
      TensorError.incompatibleShapes(op: "AddV2", lhs: [2, 3], rhs: [4]).message
        == "Incompatible shapes: [2,3] vs. [4]")
  }

  @Test("integer floor division rounds toward negative infinity and refuses zero")
  func floorDivide() throws {
    let a = Tensor(doubles: [7, -7], shape: [2], dtype: .int64)
    let b = Tensor(doubles: [2, 2], shape: [2], dtype: .int64)
    #expect(try OpDefinition.floorDiv(a, b).scalars(as: Int64.self) == ([3, -4]))
    #expect(throws: TensorError.invalidArgument("Integer division by zero")) {
      try OpDefinition.floorDiv(a, try Tensor.zeros(shape: [2], dtype: .int64))
    }
  }
}

@Suite struct TensorReductionTests {
  @Test("sum over one axis, with and without keepdims")
  func sumAxis() throws {
    let a = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float64)
    #expect(
      try OpDefinition.sum(a, attributes: .reduction(axes: [0], keepDims: false))
        == Tensor(doubles: [5, 7, 9], shape: [3], dtype: .float64))
    #expect(
      try OpDefinition.sum(a, attributes: .reduction(axes: [-1], keepDims: true))
        == Tensor(doubles: [6, 15], shape: [2, 1], dtype: .float64))
    #expect(
      try OpDefinition.sum(a, attributes: .reduction(axes: nil, keepDims: false))
        == Tensor(doubles: [21], shape: [], dtype: .float64))
  }

  @Test("integer mean truncates as TensorFlow does")
  func integerMean() throws {
    let a = Tensor(doubles: [1, 2], shape: [2], dtype: .int32)
    #expect(
      try OpDefinition.mean(a, attributes: .reduction(axes: nil, keepDims: false)).scalars(as: Int32.self) == ([1]))
  }

  @Test("an out-of-range axis is an invalid argument")
  func badAxis() throws {
    let a = try Tensor.zeros(shape: [2], dtype: .float32)
    #expect(throws: TensorError.self) { try OpDefinition.sum(a, attributes: .reduction(axes: [3], keepDims: false)) }
  }
}

@Suite struct TensorMatMulTests {
  @Test("float32 GEMM matches a hand computation, with transposes")
  func gemm() throws {
    let a = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    let b = Tensor(doubles: [1, 0, 0, 1, 1, 1], shape: [3, 2], dtype: .float32)
    #expect(try a.matmul(b) == Tensor(doubles: [4, 5, 10, 11], shape: [2, 2], dtype: .float32))
    #expect(try a.matmul(a, transposeB: true) == Tensor(doubles: [14, 32, 32, 77], shape: [2, 2], dtype: .float32))
    #expect(try a.matmul(a, transposeA: true).shape == [3, 3])
  }

  @Test("integer and float64 products agree")
  func integerProduct() throws {
    let a = Tensor(doubles: [1, 2, 3, 4], shape: [2, 2], dtype: .int32)
    let f = try a.cast(to: .float64)
    #expect(try a.matmul(a).cast(to: .float64) == (try f.matmul(f)))
  }

  @Test("inner dimensions must agree")
  func mismatch() throws {
    let a = try Tensor.zeros(shape: [2, 3], dtype: .float32)
    #expect(throws: TensorError.invalidArgument("Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]")) {
      try a.matmul(a)
    }
  }
}

@Suite struct TensorShapeTests {
  @Test("reshape infers one -1 and rejects a wrong count")
  func reshape() throws {
    let a = try Tensor.zeros(shape: [2, 3], dtype: .float32)
    #expect(try a.reshaped(toRequested: [-1]).shape == [6])
    #expect(try a.reshaped(toRequested: [3, -1]).shape == [3, 2])
    #expect(throws: TensorError.self) { try a.reshaped(toRequested: [4]) }
  }

  @Test("casting floats to ints truncates toward zero")
  func cast() throws {
    let a = Tensor(doubles: [1.7, -1.7, 0], shape: [3], dtype: .float32)
    #expect(try a.cast(to: .int32).scalars(as: Int32.self) == ([1, -1, 0]))
    #expect(try a.cast(to: .bool).scalars(as: Bool.self) == ([true, true, false]))
  }

  @Test("non-finite and out-of-range floats cast to the integer minimum, as TF's CPU cast does")
  func castOutOfRange() throws {
    let a = Tensor(shape: [5], scalars: [.infinity, -.infinity, .nan, 3e9, -2.7] as [Float])
    #expect(try a.cast(to: .int32).scalars(as: Int32.self) == ([.min, .min, .min, .min, -2]))
    #expect(try a.cast(to: .int64).scalars(as: Int64.self) == ([.min, .min, .min, 3_000_000_000, -2]))
  }
}

@Suite struct TensorIndexingTests {
  @Test("ints drop an axis, slices keep it, negative steps reverse")
  func basicIndexing() throws {
    let m = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .int64)
    #expect(try m.indexed([.position(1)]) == Tensor(doubles: [4, 5, 6], shape: [3], dtype: .int64))
    #expect(
      try m.indexed([.range(start: nil, end: nil, step: 1), .position(-1)])
        == Tensor(doubles: [3, 6], shape: [2], dtype: .int64))
    #expect(
      try m.indexed([.position(0), .range(start: nil, end: nil, step: -1)])
        == Tensor(doubles: [3, 2, 1], shape: [3], dtype: .int64))
    #expect(throws: TensorError.self) { try m.indexed([.position(2)]) }
  }
}

@Suite struct TensorLossTests {
  @Test("sparse softmax cross-entropy is logsumexp minus the label's logit")
  func crossEntropy() throws {
    let logits = Tensor(doubles: [0, 0, 1, 2], shape: [2, 2], dtype: .float64)
    let labels = Tensor(doubles: [0, 1], shape: [2], dtype: .int64)
    let loss = try OpDefinition.sparseSoftmaxCrossEntropyWithLogits(logits, labels)
    let expected = [log(2.0), log(exp(1.0) + exp(2.0)) - 2]
    #expect(loss.shape == [2])
    for (value, reference) in zip(loss.doubles, expected) { #expect(abs(value - reference) < 1e-12) }
    #expect(throws: TensorError.self) {
      try OpDefinition.sparseSoftmaxCrossEntropyWithLogits(logits, Tensor(doubles: [0, 2], shape: [2], dtype: .int64))
    }
  }
}
