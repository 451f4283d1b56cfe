import Operations
import Testing

@testable import TensorCore

/// An int32 vector.
private func int32s(_ values: [Int]) -> Tensor { Tensor(shape: [values.count], scalars: values.map { Int32($0) }) }

@Suite struct PermutationAndScanTests {
  @Test("Transpose reorders dimensions by perm; InvertPermutation inverts it")
  func transpose() throws {
    let x = Tensor(shape: [2, 3], scalars: (0..<6).map { Int32($0) })
    let y = try OpDefinition.transpose(x, int32s([1, 0]))
    #expect(y.shape == [3, 2])
    #expect(y.scalars(as: Int32.self) == [0, 3, 1, 4, 2, 5])
    let cube = Tensor(doubles: (0..<24).map(Double.init), shape: [2, 3, 4], dtype: .float64)
    let permuted = try OpDefinition.transpose(cube, int32s([2, 0, 1]))
    #expect(permuted.shape == [4, 2, 3])
    #expect(Array(permuted.scalars(as: Double.self).prefix(6)) == [0, 4, 8, 12, 16, 20])
    let back = try OpDefinition.transpose(permuted, try OpDefinition.invertPermutation(int32s([2, 0, 1])))
    #expect(back == cube)
    #expect(try OpDefinition.invertPermutation(int32s([2, 0, 1])).scalars(as: Int32.self) == [1, 2, 0])
    #expect(throws: TensorError.invalidArgument("1 is missing from {0,0}.")) {
      try OpDefinition.transpose(x, int32s([0, 0]))
    }
    #expect(
      throws: TensorError.invalidArgument("transpose expects a vector of size 2. But input(1) is a vector of size 3")
    ) {
      try OpDefinition.transpose(x, int32s([0, 1, 2]))
    }
  }

  @Test("Transpose's inference reads a constant perm")
  func transposeInference() throws {
    let spec = try Op(.transpose).infer([
      TensorSpec(dtype: .float32, partialShape: [2, nil, 4]), TensorSpec(constant: int32s([2, 0, 1])),
    ])
    #expect(spec[0].shape == [4, 2, nil])
  }

  @Test("Cumprod and Cumsum scan in order, exclusive and reversed")
  func scans() throws {
    let x = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    let axis1 = Tensor(shape: [], scalars: [Int32(1)])
    let axis0 = Tensor(shape: [], scalars: [Int32(0)])
    func run(_ op: OpDefinition, _ axis: Tensor, exclusive: Bool = false, reverse: Bool = false) throws -> [Double] {
      try Op(op, OpAttributes(["exclusive": .bool(exclusive), "reverse": .bool(reverse)])).compute([x, axis])[0].doubles
    }
    #expect(try run(.cumprod, axis1) == [1, 2, 6, 4, 20, 120])
    #expect(try run(.cumprod, axis1, exclusive: true) == [1, 1, 2, 1, 4, 20])
    #expect(try run(.cumprod, axis1, exclusive: true, reverse: true) == [6, 3, 1, 30, 6, 1])
    #expect(try run(.cumprod, axis0, reverse: true) == [4, 10, 18, 4, 5, 6])
    #expect(try run(.cumsum, axis1, reverse: true) == [6, 5, 3, 15, 11, 6])
    #expect(try run(.cumsum, Tensor(shape: [], scalars: [Int32(-1)]), exclusive: true) == [0, 1, 3, 0, 4, 9])
    let ints = Tensor(shape: [4], scalars: [Int32(2), 3, 4, 5])
    #expect(try OpDefinition.cumprod(ints, axis0).scalars(as: Int32.self) == [2, 6, 24, 120])
    #expect(throws: TensorError.self) { try OpDefinition.cumsum(x, Tensor(shape: [], scalars: [Int32(2)])) }
  }

  @Test("DivNoNan gives 0 where the divisor is 0")
  func divNoNan() throws {
    let x = Tensor(doubles: [1, .nan, 6], shape: [3], dtype: .float32)
    let y = Tensor(doubles: [0, 0, 3], shape: [3], dtype: .float32)
    #expect(try OpDefinition.divNoNan(x, y).doubles == [0, 0, 2])
  }
}
