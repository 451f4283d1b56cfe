import Operations
import TensorCore

/// Figures 1 to 3: matrix products and convolution against OpenBLAS's sgemm.
enum MatMulBenchmarks {
  /// `matmul-1024-f32` against sgemm, and sgemm's own rate against its absolute goal.
  static func large() throws -> [Figure] {
    let rates = try squareProduct(1024, repetitions: 20, iterations: 1)
    return [
      Figure(
        name: "matmul-1024-f32", value: rates.engine, unit: .gigaflops,
        reference: (rates.reference, .gigaflops), goal: .ratioAtLeast(0.95)),
      // The reference column of an absolute goal repeats the goal.
      Figure(
        name: "sgemm-1024-f32", value: rates.reference, unit: .gigaflops,
        reference: (150, .gigaflops), goal: .atLeast(150, .gigaflops)),
    ]
  }

  /// `matmul-64-f32` against sgemm, many products per timing.
  static func small() throws -> [Figure] {
    let rates = try squareProduct(64, repetitions: 15, iterations: 2000)
    return [
      Figure(
        name: "matmul-64-f32", value: rates.engine, unit: .gigaflops,
        reference: (rates.reference, .gigaflops), goal: .ratioAtLeast(0.8))
    ]
  }

  /// GFLOP/s of `Tensor.matmul` (fresh output, as the engine allocates it) and of a direct
  /// `BLAS.sgemm` on the same n×n inputs into a preallocated output; `iterations` products
  /// per timing.
  static func squareProduct(
    _ n: Int, repetitions: Int, iterations: Int
  ) throws -> (engine: Double, reference: Double) {
    let (a, pa) = try Inputs.random([n, n], seed: 1)
    let (b, pb) = try Inputs.random([n, n], seed: 2)
    let (c, pc) = try Tensor.uninitialized(Float.self, shape: [n, n])
    let times = try Stopwatch.bestOf(
      repetitions,
      engine: {
        for _ in 0..<iterations { consume(try a.matmul(b)) }
      },
      reference: {
        for _ in 0..<iterations {
          try BLAS.sgemm(
            transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1,
            a: pa, lda: n, b: pb, ldb: n, beta: 0, c: pc, ldc: n)
        }
      })
    withExtendedLifetime((a, b, c)) {}
    let flops = 2 * Double(n * n * n) * Double(iterations)
    return (flops / times.engine / 1e9, flops / times.reference / 1e9)
  }

  /// Conv2D of an 8×64×64×32 input with a 3×3×32×64 filter (SAME, stride 1) through the
  /// `Conv2D` op, against sgemm on the same work laid out as im2col would: M = 8·64·64,
  /// K = 3·3·32, N = 64.
  static func convolution() throws -> [Figure] {
    let geometry = try Conv2D.Geometry(
      inputShape: [8, 64, 64, 32], filterShape: [3, 3, 32, 64], strides: [1, 1, 1, 1], padding: .same)
    let m = geometry.batch * geometry.outputHeight * geometry.outputWidth
    let k = geometry.filterHeight * geometry.filterWidth * geometry.filterDepth
    let n = geometry.outputDepth
    // 2·N·OH·OW·KH·KW·C·OC; the sgemm does the same 2·M·K·N.
    let flops = 2 * Double(geometry.multiplyAdds)
    let (input, _) = try Inputs.random(geometry.inputShape, seed: 3)
    let (filter, pFilter) = try Inputs.random(geometry.filterShape, seed: 4)
    let (columns, pColumns) = try Inputs.random([m, k], seed: 5)
    let (product, pProduct) = try Tensor.uninitialized(Float.self, shape: [m, n])
    let attributes = OpAttributes(["strides": .ints([1, 1, 1, 1]), "padding": .string("SAME")])
    let times = try Stopwatch.bestOf(
      8,
      engine: {
        consume(try OpDefinition.conv2D(input, filter, attributes: attributes))
      },
      reference: {
        try BLAS.sgemm(
          transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1,
          a: pColumns, lda: k, b: pFilter, ldb: n, beta: 0, c: pProduct, ldc: n)
      })
    withExtendedLifetime((input, filter, columns, product)) {}
    let reference = (flops / times.reference / 1e9, Unit.gigaflops)
    return [
      Figure(
        name: "conv2d-8x64x64x32-3x3x32x64-f32", value: flops / times.engine / 1e9, unit: .gigaflops,
        reference: reference, goal: .ratioAtLeast(0.6))
    ]
  }
}
