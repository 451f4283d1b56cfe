import Testing
@testable import TensorCore

@Suite struct TensorArithmeticTests {
  @Test("adding broadcasts a row across a matrix")
  func broadcastAdd() throws {
    let a = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    let b = Tensor(doubles: [10, 20, 30], shape: [3], dtype: .float32)
    let sum = try a.applying(.add, b)
    #expect(sum.shape == [2, 3])
    #expect(sum.storage == .float32([11, 22, 33, 14, 25, 36]))
  }

  @Test("a column broadcasts against a row into a matrix")
  func outerBroadcast() throws {
    let column = Tensor(doubles: [1, 2], shape: [2, 1], dtype: .int32)
    let row = Tensor(doubles: [10, 20, 30], shape: [1, 3], dtype: .int32)
    let product = try column.applying(.multiply, row)
    #expect(product.shape == [2, 3])
    #expect(product.storage == .int32([10, 20, 30, 20, 40, 60]))
  }

  @Test("mixed dtypes are refused, never promoted")
  func noPromotion() {
    let a = Tensor(doubles: [1], shape: [1], dtype: .float32)
    let b = Tensor(doubles: [1], shape: [1], dtype: .int32)
    #expect(throws: TensorError.dtypeMismatch(op: "AddV2", expected: .float32, actual: .int32, inputIndex: 1)) {
      try a.applying(.add, b)
    }
  }

  @Test("incompatible shapes name both shapes")
  func incompatible() {
    let a = Tensor.zeros(shape: [2, 3], dtype: .float32)
    let b = Tensor.zeros(shape: [4], dtype: .float32)
    #expect(throws: TensorError.incompatibleShapes(op: "AddV2", lhs: [2, 3], rhs: [4])) {
      try a.applying(.add, b)
    }
    #expect(TensorError.incompatibleShapes(op: "AddV2", lhs: [2, 3], rhs: [4]).message
      == "Incompatible shapes: [2,3] vs. [4]")
  }

  @Test("integer floor division rounds toward negative infinity and refuses zero")
  func floorDivide() throws {
    let a = Tensor(doubles: [7, -7], shape: [2], dtype: .int64)
    let b = Tensor(doubles: [2, 2], shape: [2], dtype: .int64)
    #expect(try a.applying(.floorDivide, b).storage == .int64([3, -4]))
    #expect(throws: TensorError.invalidArgument("Integer division by zero")) {
      try a.applying(.floorDivide, Tensor.zeros(shape: [2], dtype: .int64))
    }
  }
}

@Suite struct TensorReductionTests {
  @Test("sum over one axis, with and without keepdims")
  func sumAxis() throws {
    let a = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float64)
    #expect(try a.reduced(.sum, axes: [0], keepDims: false) == Tensor(doubles: [5, 7, 9], shape: [3], dtype: .float64))
    #expect(try a.reduced(.sum, axes: [-1], keepDims: true) == Tensor(doubles: [6, 15], shape: [2, 1], dtype: .float64))
    #expect(try a.reduced(.sum, axes: nil, keepDims: false) == Tensor(doubles: [21], shape: [], dtype: .float64))
  }

  @Test("integer mean truncates as TensorFlow does")
  func integerMean() throws {
    let a = Tensor(doubles: [1, 2], shape: [2], dtype: .int32)
    #expect(try a.reduced(.mean, axes: nil, keepDims: false).storage == .int32([1]))
  }

  @Test("an out-of-range axis is an invalid argument")
  func badAxis() {
    let a = Tensor.zeros(shape: [2], dtype: .float32)
    #expect(throws: TensorError.self) { try a.reduced(.sum, axes: [3], keepDims: false) }
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
    let f = a.cast(to: .float64)
    #expect(try a.matmul(a).cast(to: .float64) == (try f.matmul(f)))
  }

  @Test("inner dimensions must agree")
  func mismatch() {
    let a = Tensor.zeros(shape: [2, 3], dtype: .float32)
    #expect(throws: TensorError.invalidArgument("Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]")) {
      try a.matmul(a)
    }
  }
}

@Suite struct TensorShapeTests {
  @Test("reshape infers one -1 and rejects a wrong count")
  func reshape() throws {
    let a = Tensor.zeros(shape: [2, 3], dtype: .float32)
    #expect(try a.reshaped(toRequested: [-1]).shape == [6])
    #expect(try a.reshaped(toRequested: [3, -1]).shape == [3, 2])
    #expect(throws: TensorError.self) { try a.reshaped(toRequested: [4]) }
  }

  @Test("casting floats to ints truncates toward zero")
  func cast() {
    let a = Tensor(doubles: [1.7, -1.7, 0], shape: [3], dtype: .float32)
    #expect(a.cast(to: .int32).storage == .int32([1, -1, 0]))
    #expect(a.cast(to: .bool).storage == .bool([true, true, false]))
  }

  @Test("non-finite and out-of-range floats cast to the integer minimum, as TF's CPU cast does")
  func castOutOfRange() {
    let a = Tensor(shape: [5], storage: .float32([.infinity, -.infinity, .nan, 3e9, -2.7]))
    #expect(a.cast(to: .int32).storage == .int32([.min, .min, .min, .min, -2]))
    #expect(a.cast(to: .int64).storage == .int64([.min, .min, .min, 3_000_000_000, -2]))
  }
}

@Suite struct TensorIndexingTests {
  @Test("ints drop an axis, slices keep it, negative steps reverse")
  func basicIndexing() throws {
    let m = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .int64)
    #expect(try m.indexed([.position(1)]) == Tensor(doubles: [4, 5, 6], shape: [3], dtype: .int64))
    #expect(try m.indexed([.range(start: nil, end: nil, step: 1), .position(-1)]) == Tensor(doubles: [3, 6], shape: [2], dtype: .int64))
    #expect(try m.indexed([.position(0), .range(start: nil, end: nil, step: -1)]) == Tensor(doubles: [3, 2, 1], shape: [3], dtype: .int64))
    #expect(throws: TensorError.self) { try m.indexed([.position(2)]) }
  }
}

@Suite struct TensorLossTests {
  @Test("sparse softmax cross-entropy is logsumexp minus the label's logit")
  func crossEntropy() throws {
    let logits = Tensor(doubles: [0, 0, 1, 2], shape: [2, 2], dtype: .float64)
    let labels = Tensor(doubles: [0, 1], shape: [2], dtype: .int64)
    let loss = try logits.sparseSoftmaxCrossEntropy(labels: labels)
    let expected = [log(2.0), log(exp(1.0) + exp(2.0)) - 2]
    #expect(loss.shape == [2])
    for (value, reference) in zip(loss.doubles, expected) { #expect(abs(value - reference) < 1e-12) }
    #expect(throws: TensorError.self) {
      try logits.sparseSoftmaxCrossEntropy(labels: Tensor(doubles: [0, 2], shape: [2], dtype: .int64))
    }
  }
}

import Foundation
