import Testing

@testable import TensorCore

@Suite struct TensorStorageTests {
  @Test("every dtype stores its elements in a typed buffer and reads them back")
  func roundTrips() throws {
    #expect(Tensor(shape: [2], scalars: [1.5, -2] as [Float16]).doubles == [1.5, -2])
    #expect(Tensor(shape: [2], scalars: [BFloat16(1.5), BFloat16(-2)]).doubles == [1.5, -2])
    #expect(Tensor(shape: [3], scalars: [-128, 0, 127] as [Int8]).int64s == [-128, 0, 127])
    #expect(Tensor(shape: [2], scalars: [0, 65535] as [UInt16]).int64s == [0, 65535])
    #expect(Tensor(shape: [2], scalars: [-7, Int32.max]).int64s == [-7, Int64(Int32.max)])
    #expect(Tensor(shape: [2], scalars: [Int64.min, 5]).int64s == [Int64.min, 5])
    #expect(Tensor(shape: [2], scalars: [true, false]).scalars(as: Bool.self) == [true, false])
    #expect(Tensor(shape: [2], strings: ["a", "bc"]).strings == ["a", "bc"])
    for dtype in DType.allCases where dtype != .string {
      let ones = try Tensor.ones(shape: [2, 3], dtype: dtype)
      #expect(ones.dtype == dtype && ones.shape == [2, 3] && ones.doubles == [Double](repeating: 1, count: 6))
    }
  }

  @Test("a dtype's ordinal is its position among all dtypes")
  func ordinals() {
    #expect(DType.allCases.enumerated().allSatisfy { index, dtype in dtype.ordinal == index })
  }

  @Test("reshape shares the buffer instead of copying it")
  func reshapeShares() throws {
    let x = try Tensor.zeros(shape: [4, 6], dtype: .float32)
    let y = x.reshaped(to: [24])
    #expect(x.buffer === y.buffer)
    #expect(try x.reshaped(toRequested: [2, -1]).buffer === x.buffer)
  }

  @Test("buffers of 4 KiB and more start on a cache line; smaller ones on malloc's 16 bytes")
  func alignment() throws {
    for count in [1, 3, 1023, 1024, 1025, 4099, 100_003] {
      let (tensor, first) = try Tensor.uninitialized(Float.self, shape: [count])
      first.initialize(repeating: 1, count: count)
      let address = Int(bitPattern: tensor.buffer.base)
      #expect(address % (count * 4 >= 4096 ? 64 : 16) == 0, "\(count) floats at \(address)")
      #expect(tensor.scalars(as: Float.self).allSatisfy { $0 == 1 })
    }
  }

  @Test("a program's memory budget refuses 10^12 floats at once and is given back when tensors are freed")
  func memoryBudget() throws {
    let budget = MemoryBudget(limit: 1 << 20)
    try budget.withCurrent { () throws(TensorError) in
      #expect(throws: TensorError.self) { try Tensor.zeros(shape: [1_000_000, 1_000_000], dtype: .float32) }
      #expect(throws: TensorError.self) { try Tensor.zeros(shape: [Int.max / 2, 4], dtype: .float32) }
      do {
        let held = try Tensor.zeros(shape: [200_000], dtype: .float32)
        #expect(budget.bytesInUse == 800_000)
        #expect(throws: TensorError.self) { try Tensor.zeros(shape: [100_000], dtype: .float32) }
        #expect(held.scalarCount == 200_000)
      }
      #expect(budget.bytesInUse == 0)
      #expect(try Tensor.zeros(shape: [200_000], dtype: .float32).scalarCount == 200_000)
    }
    guard case let .limitExceeded(message)? = budgetError(budget) else {
      Issue.record("expected a limit error")
      return
    }
    #expect(message.contains("memory budget of 1 MiB per program"))
  }

  private func budgetError(_ budget: MemoryBudget) -> TensorError? {
    do {
      _ = try budget.withCurrent { () throws(TensorError) in try Tensor.zeros(shape: [1 << 20], dtype: .float64) }
      return nil
    } catch {
      return error
    }
  }

  @Test("casts convert as TF's CPU kernels: half types round to nearest even through float, integers wrap")
  func casts() throws {
    // Expected values recorded from real TF 2.21 (tf.cast on CPU).
    let x = Tensor(shape: [4], scalars: [1.0009765625, 65520, 300, -1] as [Float])
    #expect(try x.cast(to: .float16).doubles == [1.0009765625, .infinity, 300, -1])
    #expect(try x.cast(to: .uint8).int64s == [1, 240, 44, 255])
    #expect(try x.cast(to: .int8).int64s == [1, -16, 44, -1])
    let big = Tensor(shape: [1], scalars: [Int64(1) << 40 | 7])
    #expect(try big.cast(to: .int32).int64s == [7])
    #expect(try Tensor(shape: [1], scalars: [Float(3.0078125)]).cast(to: .bfloat16).doubles == [3.0])
  }

  @Test("broadcasting copies by contiguous runs for any dtype")
  func broadcasted() throws {
    let row = Tensor(shape: [3], scalars: [1, 2, 3] as [Int16])
    #expect(try row.broadcasted(to: [2, 3]).int64s == [1, 2, 3, 1, 2, 3])
    let column = Tensor(shape: [2, 1], strings: ["a", "b"])
    #expect(try column.broadcasted(to: [2, 2]).strings == ["a", "a", "b", "b"])
  }

  @Test("one element broadcasts to any shape of its rank or more, and nowhere else")
  func broadcastedScalar() throws {
    let scalar = Tensor(shape: [], scalars: [Float(-0.25)])
    #expect(try scalar.broadcasted(to: [2, 3]).doubles == Array(repeating: -0.25, count: 6))
    #expect(try scalar.broadcasted(to: []).doubles == [-0.25])
    let cell = Tensor(shape: [1, 1], scalars: [Int64(7)])
    let spread = try cell.broadcasted(to: [2, 1, 3])
    #expect(spread.shape == [2, 1, 3] && spread.int64s == Array(repeating: 7, count: 6))
    #expect(try cell.broadcasted(to: [0, 4]).shape == [0, 4])
    #expect(try Tensor(shape: [1], strings: ["s"]).broadcasted(to: [3]).strings == ["s", "s", "s"])
    #expect(throws: TensorError.self) { try cell.broadcasted(to: [3]) }
  }
}
