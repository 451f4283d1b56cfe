import Foundation
import Testing

@testable import TensorCore

/// One GEMM problem: sizes, transposes, and extra columns in each stored row (so the leading
/// dimensions exceed the row lengths).
struct GEMMCase: Sendable, CustomTestStringConvertible {
  let m: Int
  let n: Int
  let k: Int
  var transposeA = false
  var transposeB = false
  var padding = 0

  var testDescription: String {
    "\(m)×\(n)×\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "")\(padding > 0 ? " padded" : "")"
  }

  /// Rows and columns of A, B and C as stored.
  var aRows: Int { transposeA ? k : m }
  var aColumns: Int { transposeA ? m : k }
  var bRows: Int { transposeB ? n : k }
  var bColumns: Int { transposeB ? k : n }
  var lda: Int { aColumns + padding }
  var ldb: Int { bColumns + padding }
  var ldc: Int { n + padding }

  static let all: [GEMMCase] = [
    GEMMCase(m: 1, n: 1, k: 1),
    GEMMCase(m: 3, n: 4, k: 5),
    GEMMCase(m: 4, n: 3, k: 2, transposeA: true),
    GEMMCase(m: 5, n: 2, k: 7, transposeB: true),
    GEMMCase(m: 6, n: 4, k: 3, transposeA: true, transposeB: true),
    GEMMCase(m: 7, n: 5, k: 1),
    GEMMCase(m: 1, n: 9, k: 4, transposeB: true),
    GEMMCase(m: 5, n: 6, k: 3, transposeA: true, padding: 2),
    GEMMCase(m: 200, n: 300, k: 150),
    GEMMCase(m: 200, n: 300, k: 150, transposeA: true, transposeB: true, padding: 3),
  ]

  /// Deterministic values in [-1, 1) for a buffer of `count` elements.
  static func values(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 40) / Double(1 << 23) - 1
    }
  }

  /// alpha * op(A) * op(B) + beta * C in Double, and for each element the bound
  /// |alpha| * Σ|a·b| + |beta| * |c| that scales its rounding error.
  func reference(
    alpha: Double, a: [Double], b: [Double], beta: Double, c: [Double]
  ) -> (values: [Double], scales: [Double]) {
    var values = c
    var scales = c
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        var magnitude = 0.0
        for p in 0..<k {
          let av = transposeA ? a[p * lda + i] : a[i * lda + p]
          let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
          sum += av * bv
          magnitude += abs(av * bv)
        }
        values[i * ldc + j] = alpha * sum + beta * c[i * ldc + j]
        scales[i * ldc + j] = abs(alpha) * magnitude + abs(beta) * abs(c[i * ldc + j])
      }
    }
    return (values, scales)
  }
}

/// Runs `gemm` on `gemmCase` and expects each element of C within (k + 2) units of roundoff,
/// relative to its scale, of a Double triple loop.
func expectGEMM<T: BinaryFloatingPoint>(
  _ gemmCase: GEMMCase, _ gemm: GEMM<T>.Function, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let (alpha, beta) = (0.75, -0.5)
  let a = GEMMCase.values(gemmCase.aRows * gemmCase.lda, seed: 1).map { T($0) }
  let b = GEMMCase.values(gemmCase.bRows * gemmCase.ldb, seed: 2).map { T($0) }
  var c = GEMMCase.values(gemmCase.m * gemmCase.ldc, seed: 3).map { T($0) }
  let expected = gemmCase.reference(
    alpha: alpha, a: a.map { Double($0) }, b: b.map { Double($0) }, beta: beta, c: c.map { Double($0) })
  try a.withUnsafeBufferPointer { pa in
    try b.withUnsafeBufferPointer { pb in
      try c.withUnsafeMutableBufferPointer { pc in
        guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
        try gemm(
          gemmCase.transposeA, gemmCase.transposeB, gemmCase.m, gemmCase.n, gemmCase.k, T(alpha), pa,
          gemmCase.lda, pb, gemmCase.ldb, T(beta), pc, gemmCase.ldc)
      }
    }
  }
  let unitRoundoff = Double(T.ulpOfOne) / 2
  let errors = c.indices.map { index in
    abs(Double(c[index]) - expected.values[index]) / max(expected.scales[index], .leastNormalMagnitude)
  }
  guard let worst = errors.indices.max(by: { errors[$0] < errors[$1] }) else { return }
  let allowed = Double(gemmCase.k + 2) * unitRoundoff
  let report = "worst at flat index \(worst): \(c[worst]) vs \(expected.values[worst]), relative error \(errors[worst])"
  #expect(errors[worst] <= allowed, "\(report)", sourceLocation: sourceLocation)
}

/// The CPU flags the Linux kernel reports in /proc/cpuinfo (only those the OS also supports).
func linuxCPUFlags() throws -> Set<String> {
  let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
  guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
    let colon = line.firstIndex(of: ":")
  else { return [] }
  return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
}

@Suite struct BLASTests {
  @Test("sgemm matches a Double triple loop", arguments: GEMMCase.all)
  func sgemm(_ gemmCase: GEMMCase) throws {
    try expectGEMM(gemmCase, BLAS.sgemm)
  }

  @Test("dgemm matches a Double triple loop", arguments: GEMMCase.all)
  func dgemm(_ gemmCase: GEMMCase) throws {
    try expectGEMM(gemmCase, BLAS.dgemm)
  }

  @Test("a leading dimension shorter than a row throws instead of reaching OpenBLAS")
  func shortLeadingDimension() {
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    var c: [Float] = [0, 0, 0, 0]
    #expect(throws: TensorError.invalidArgument("GEMM lda must be in 3...2147483647, not 2")) {
      try c.withUnsafeMutableBufferPointer { pc in
        guard let pc = pc.baseAddress else { return }
        try BLAS.sgemm(
          transposeA: false, transposeB: true, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 2, b: a, ldb: 3, beta: 0,
          c: pc, ldc: 2)
      }
    }
    #expect(c == [0, 0, 0, 0])
  }

  @Test("the core type follows the CPU's features")
  func coreTypeForFeatures() {
    #expect(BLAS.coreType(for: .init(avx2: true, fma: true, avx512: true)) == "SkylakeX")
    #expect(BLAS.coreType(for: .init(avx2: true, fma: true, avx512: false)) == "Haswell")
    #expect(BLAS.coreType(for: .init(avx2: true, fma: false, avx512: false)) == nil)
    #expect(BLAS.coreType(for: .init(avx2: false, fma: true, avx512: false)) == nil)
  }

  @Test("OpenBLAS runs the core this CPU's features call for")
  func coreName() throws {
    let name = BLAS.coreName
    #expect(!name.isEmpty)
    #if arch(x86_64) && os(Linux)
      if case .inherited = BLAS.coreTypeChoice { return }  // OPENBLAS_CORETYPE chose it
      let flags = try linuxCPUFlags()
      let expected: String? =
        if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) {
          "SkylakeX"
        } else if flags.isSuperset(of: ["avx2", "fma"]) {
          "Haswell"
        } else {
          nil
        }
      if let expected {
        #expect(BLAS.coreTypeChoice == .detected(expected))
        #expect(name == expected)
      } else {
        #expect(BLAS.coreTypeChoice == .openBLASDefault)
      }
    #endif
  }

  @Test("OpenBLAS computes with at least two threads, so results do not depend on the machine")
  func threadCount() {
    // Never the single-threaded path, whose sums round differently (even with OPENBLAS_NUM_THREADS=1).
    #expect(BLAS.threadCount >= 2)
  }
}
