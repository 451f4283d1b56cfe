import CBLAS

/// A row-major general matrix product `C = alpha * op(A) * op(B) + beta * C`, injected into
/// kernels so that tests and benchmarks can choose the implementation.
///
/// The function takes, in order: transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta,
/// c, ldc — BLAS's `?gemm` arguments with row-major leading dimensions.
public struct GEMM<Scalar>: Sendable {
  /// The signature of `BLAS.sgemm` / `BLAS.dgemm` with the argument labels dropped.
  public typealias Function = @Sendable (
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Scalar,
    _ a: UnsafePointer<Scalar>, _ lda: Int, _ b: UnsafePointer<Scalar>, _ ldb: Int, _ beta: Scalar,
    _ c: UnsafeMutablePointer<Scalar>, _ ldc: Int
  ) throws(TensorError) -> Void

  /// Computes the product.
  public let multiply: Function

  /// Wraps a GEMM function, for example `GEMM(multiply: BLAS.sgemm)`.
  public init(multiply: @escaping Function) {
    self.multiply = multiply
  }
}

// The BLAS that kernels use unless told otherwise. Until TensorCore's `BLAS.sgemm`/`BLAS.dgemm`
// land, a private adapter with their signature stands in: replace `Conv2DBLAS` by `BLAS` here
// and delete the adapter below.
private typealias Conv2DBLASProvider = Conv2DBLAS

extension GEMM where Scalar == Float {
  /// OpenBLAS's `sgemm`.
  public static var blas: GEMM<Float> { GEMM(multiply: Conv2DBLASProvider.sgemm) }
}

extension GEMM where Scalar == Double {
  /// OpenBLAS's `dgemm`.
  public static var blas: GEMM<Double> { GEMM(multiply: Conv2DBLASProvider.dgemm) }
}

/// Stand-in for TensorCore's `BLAS` GEMM entry points: the same signatures, calling the C
/// interface of OpenBLAS directly.
private enum Conv2DBLAS {
  /// Row-major single-precision GEMM.
  static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) throws(TensorError) {
    let d = try dimensions(transposeA, transposeB, m, n, k, lda, ldb, ldc)
    cblas_sgemm(
      CblasRowMajor, d.ta, d.tb, d.m, d.n, d.k, alpha, a, d.lda, b, d.ldb, beta, c, d.ldc)
  }

  /// Row-major double-precision GEMM.
  static func dgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) throws(TensorError) {
    let d = try dimensions(transposeA, transposeB, m, n, k, lda, ldb, ldc)
    cblas_dgemm(
      CblasRowMajor, d.ta, d.tb, d.m, d.n, d.k, alpha, a, d.lda, b, d.ldb, beta, c, d.ldc)
  }

  /// CBLAS's flags and 32-bit sizes, refusing sizes OpenBLAS's interface cannot take.
  private static func dimensions(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
    _ lda: Int, _ ldb: Int, _ ldc: Int
  ) throws(TensorError) -> (
    ta: CBLAS_TRANSPOSE, tb: CBLAS_TRANSPOSE, m: Int32, n: Int32, k: Int32,
    lda: Int32, ldb: Int32, ldc: Int32
  ) {
    let sizes = [m, n, k, lda, ldb, ldc]
    guard sizes.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }),
      lda >= max(1, transposeA ? m : k), ldb >= max(1, transposeB ? k : n), ldc >= max(1, n)
    else {
      throw .invalidArgument("GEMM sizes out of range: m=\(m) n=\(n) k=\(k) lda=\(lda) ldb=\(ldb) ldc=\(ldc)")
    }
    return (
      transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), Int32(lda), Int32(ldb), Int32(ldc)
    )
  }
}
