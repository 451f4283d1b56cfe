import Operations
import Testing

@testable import TensorCore

/// Expects `actual` to equal `expected`: shape first, then dtype, then values within `tolerance`,
/// naming the worst element when values differ.
func expectTensor(
  _ actual: Tensor, _ expected: Tensor, tolerance: Double = 0,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.shape == expected.shape else {
    Issue.record("shape \(actual.shape) != \(expected.shape)", sourceLocation: sourceLocation)
    return
  }
  guard actual.dtype == expected.dtype else {
    Issue.record("dtype \(actual.dtype) != \(expected.dtype)", sourceLocation: sourceLocation)
    return
  }
  let differences = zip(actual.doubles, expected.doubles).map { abs($0 - $1) }
  guard let worst = differences.indices.max(by: { differences[$0] < differences[$1] }), differences[worst] > tolerance
  else { return }
  Issue.record(
    "values differ; worst at flat index \(worst): \(actual.doubles[worst]) vs \(expected.doubles[worst])",
    sourceLocation: sourceLocation)
}

@Suite struct TensorFloatTests {
  @Test("float32 arithmetic rounds like float32, not like double")
  func float32Rounding() throws {
    let a = Tensor(shape: [1], scalars: [0.1] as [Float])
    let b = Tensor(shape: [1], scalars: [0.2] as [Float])
    expectTensor(try OpDefinition.addV2(a, b), Tensor(shape: [1], scalars: [Float(0.1) + Float(0.2)]))
  }

  @Test("float64 matmul of a larger product matches a naive triple loop")
  func largerGemm() throws {
    let m = 7, k = 5, n = 3
    let a = Tensor(doubles: (0..<m * k).map { Double($0 % 11) - 5 }, shape: [m, k], dtype: .float64)
    let b = Tensor(doubles: (0..<k * n).map { Double($0 % 7) * 0.5 }, shape: [k, n], dtype: .float64)
    var expected = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n { for p in 0..<k { expected[i * n + j] += a.doubles[i * k + p] * b.doubles[p * n + j] } }
    }
    expectTensor(try a.matmul(b), Tensor(doubles: expected, shape: [m, n], dtype: .float64), tolerance: 1e-12)
    let batched = try Tensor(doubles: a.doubles + a.doubles, shape: [2, m, k], dtype: .float64).matmul(b)
    #expect(batched.shape == [2, m, n])
    expectTensor(
      try batched.indexed([.position(1)]), Tensor(doubles: expected, shape: [m, n], dtype: .float64), tolerance: 1e-12)
  }
}
