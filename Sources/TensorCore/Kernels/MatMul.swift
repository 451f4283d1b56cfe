extension Tensor {
  /// Matrix product of two tensors of rank 2 or more, with optional transposition of the
  /// last two dimensions. Batch dimensions broadcast. Floats go through OpenBLAS GEMM, one
  /// call per batch entry, into an output that is never zero-filled first.
  public func matmul(
    _ other: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) throws(TensorError) -> Tensor {
    let op = "MatMul"
    guard dtype == other.dtype else {
      throw .dtypeMismatch(op: op, expected: dtype, actual: other.dtype, inputIndex: 1)
    }
    guard rank >= 2, other.rank >= 2 else {
      throw .invalidArgument("In[\(rank < 2 ? 0 : 1)] ndims must be >= 2")
    }
    let m = transposeA ? shape[rank - 1] : shape[rank - 2]
    let k = transposeA ? shape[rank - 2] : shape[rank - 1]
    let kB = transposeB ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
    let n = transposeB ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
    guard k == kB else {
      throw .invalidArgument(
        "Matrix size-incompatible: In[0]: \(Shape.describe(shape)), In[1]: \(Shape.describe(other.shape))")
    }
    let batchA = Array(shape.dropLast(2))
    let batchB = Array(other.shape.dropLast(2))
    guard let batch = Shape.broadcast(batchA, batchB) else {
      throw .incompatibleShapes(op: op, lhs: shape, rhs: other.shape)
    }
    let product = MatrixProduct(
      m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
      batch: batch, stridesA: Self.batchStrides(batchA, rank: batch.count, matrix: m * k),
      stridesB: Self.batchStrides(batchB, rank: batch.count, matrix: k * n))
    switch dtype {
    case .float32: return try product.run(self, other, Float.self, gemm: product.sgemm)
    case .float64: return try product.run(self, other, Double.self, gemm: product.dgemm)
    case .int32: return try product.run(self, other, Int32.self, gemm: product.integerGEMM)
    case .int64: return try product.run(self, other, Int64.self, gemm: product.integerGEMM)
    default: throw .unsupportedDType(op: op, dtype: dtype)
    }
  }

  /// Element strides of each batch dimension of an operand right-aligned to `rank`, 0 where
  /// it broadcasts.
  private static func batchStrides(_ batch: [Int], rank: Int, matrix: Int) -> [Int] {
    var strides = [Int](repeating: 0, count: rank)
    var running = matrix
    for axis in stride(from: batch.count - 1, through: 0, by: -1) {
      if batch[axis] != 1 { strides[axis + rank - batch.count] = running }
      running *= batch[axis]
    }
    return strides
  }
}

/// One (batched) matrix product's geometry.
private struct MatrixProduct {
  let m: Int, n: Int, k: Int
  let transposeA: Bool, transposeB: Bool
  let batch: [Int]
  let stridesA: [Int], stridesB: [Int]

  /// Runs `gemm` once per batch entry into a fresh output.
  func run<T: TensorElement>(
    _ a: Tensor, _ b: Tensor, _ type: T.Type,
    gemm: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) throws(TensorError) -> Void
  ) throws(TensorError) -> Tensor {
    let (out, c) = try Tensor.uninitialized(T.self, shape: batch + [m, n])
    guard out.scalarCount > 0 else { return out }
    if k == 0 {
      c.initialize(repeating: T.zero, count: out.scalarCount)
      return out
    }
    let pa = a.buffer.pointer(as: T.self)
    let pb = b.buffer.pointer(as: T.self)
    let count = Shape.elementCount(batch)
    if count == 1 {
      try gemm(pa, pb, c)
      return out
    }
    var index = [Int](repeating: 0, count: batch.count)
    var offsetA = 0
    var offsetB = 0
    for entry in 0..<count {
      try gemm(pa + offsetA, pb + offsetB, c + entry * m * n)
      var axis = batch.count - 1
      while axis >= 0 {
        index[axis] += 1
        offsetA += stridesA[axis]
        offsetB += stridesB[axis]
        if index[axis] < batch[axis] { break }
        offsetA -= stridesA[axis] * index[axis]
        offsetB -= stridesB[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return out
  }

  func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) throws(TensorError)
  {
    try BLAS.sgemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
      a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: 0, c: c, ldc: n)
  }

  func dgemm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>)
    throws(TensorError)
  {
    try BLAS.dgemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
      a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: 0, c: c, ldc: n)
  }

  /// Integer products wrap, as Eigen's contraction does.
  func integerGEMM<T: IntegerElement>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>)
    throws(TensorError)
  {
    for i in 0..<m {
      for j in 0..<n {
        var sum: T = 0
        for p in 0..<k {
          let x = a[transposeA ? p * m + i : i * k + p]
          let y = b[transposeB ? j * k + p : p * n + j]
          sum = sum &+ x &* y
        }
        (c + i * n + j).initialize(to: sum)
      }
    }
  }
}
