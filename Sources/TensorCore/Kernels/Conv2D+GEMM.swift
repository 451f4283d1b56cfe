/// A row-major general matrix product `C = alpha * op(A) * op(B) + beta * C`, injected into
/// kernels so that tests and benchmarks can choose the implementation.
///
/// The function takes, in order: transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta,
/// c, ldc — BLAS's `?gemm` arguments with row-major leading dimensions.
public struct GEMM<Scalar>: Sendable {
  /// The signature of `BLAS.sgemm` / `BLAS.dgemm` with the argument labels dropped.
  public typealias Function =
    @Sendable (
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

extension GEMM where Scalar == Float {
  /// OpenBLAS's `sgemm`.
  public static var blas: GEMM<Float> { GEMM(multiply: BLAS.sgemm) }
}

extension GEMM where Scalar == Double {
  /// OpenBLAS's `dgemm`.
  public static var blas: GEMM<Double> { GEMM(multiply: BLAS.dgemm) }
}
