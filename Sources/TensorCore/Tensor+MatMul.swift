extension Tensor {
  /// Matrix product of two tensors of rank 2 or more, with optional transposition of the
  /// last two dimensions. Batch dimensions broadcast. Floats go through OpenBLAS GEMM.
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
    let kA = transposeA ? shape[rank - 2] : shape[rank - 1]
    let kB = transposeB ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
    let n = transposeB ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
    guard kA == kB else {
      throw .invalidArgument(
        "Matrix size-incompatible: In[0]: \(Shape.describe(shape)), In[1]: \(Shape.describe(other.shape))")
    }
    let batchA = Array(shape.dropLast(2))
    let batchB = Array(other.shape.dropLast(2))
    guard let batch = Shape.broadcast(batchA, batchB) else {
      throw .incompatibleShapes(op: op, lhs: shape, rhs: other.shape)
    }
    let batchCount = Shape.elementCount(batch)
    let stridesA = Broadcasting.broadcastStrides(batchA, rank: batch.count)
    let stridesB = Broadcasting.broadcastStrides(batchB, rank: batch.count)
    let batchStrides = Shape.strides(batch)
    // Offsets (in matrices) of each batch entry's operands.
    let pairs: [(Int, Int)] = (0..<batchCount).map { flat in
      var rest = flat
      var a = 0
      var b = 0
      for axis in 0..<batch.count {
        let i = rest / batchStrides[axis]
        rest %= batchStrides[axis]
        a += i * stridesA[axis]
        b += i * stridesB[axis]
      }
      return (a, b)
    }
    let outShape = batch + [m, n]
    let sizeA = m * kA
    let sizeB = kA * n
    let sizeC = m * n
    let k = kA
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n

    func integerProduct<T: FixedWidthInteger>(_ a: [T], _ b: [T]) -> [T] {
      var c = [T](repeating: 0, count: batchCount * sizeC)
      for (batchIndex, (pa, pb)) in pairs.enumerated() {
        for i in 0..<m {
          for j in 0..<n {
            var sum: T = 0
            for p in 0..<k {
              let av = a[pa * sizeA + (transposeA ? p * m + i : i * k + p)]
              let bv = b[pb * sizeB + (transposeB ? j * k + p : p * n + j)]
              sum = sum &+ av &* bv
            }
            c[batchIndex * sizeC + i * n + j] = sum
          }
        }
      }
      return c
    }

    /// One GEMM call per batch entry, through the BLAS routine for the element type.
    func floatProduct<T: BinaryFloatingPoint>(
      _ a: [T], _ b: [T],
      _ gemm: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) throws(TensorError) -> Void
    ) throws(TensorError) -> [T] {
      var c = [T](repeating: 0, count: batchCount * sizeC)
      guard k > 0, sizeC > 0 else { return c }
      try a.withUnsafeBufferPointer { pa throws(TensorError) in
        try b.withUnsafeBufferPointer { pb throws(TensorError) in
          try c.withUnsafeMutableBufferPointer { pc throws(TensorError) in
            for (index, (oa, ob)) in pairs.enumerated() {
              try gemm(pa.baseAddress! + oa * sizeA, pb.baseAddress! + ob * sizeB, pc.baseAddress! + index * sizeC)
            }
          }
        }
      }
      return c
    }

    let result: TensorStorage
    switch (storage, other.storage) {
    case let (.float32(a), .float32(b)):
      result = .float32(
        try floatProduct(a, b) { pa, pb, pc throws(TensorError) in
          try BLAS.sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
            a: pa, lda: lda, b: pb, ldb: ldb, beta: 0, c: pc, ldc: n)
        })
    case let (.float64(a), .float64(b)):
      result = .float64(
        try floatProduct(a, b) { pa, pb, pc throws(TensorError) in
          try BLAS.dgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
            a: pa, lda: lda, b: pb, ldb: ldb, beta: 0, c: pc, ldc: n)
        })
    case let (.int32(a), .int32(b)): result = .int32(integerProduct(a, b))
    case let (.int64(a), .int64(b)): result = .int64(integerProduct(a, b))
    default:
      throw .unsupportedDType(op: op, dtype: dtype)
    }
    return Tensor(shape: outShape, storage: result)
  }
}
