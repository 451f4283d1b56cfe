import Testing

@testable import TensorCore

/// One convolution TensorFlow 2.21 ran: its output shape, pads and outputs, or the error it
/// raised. The values live in Conv2DReferences.swift, written by Tools/record_conv2d_refs.py.
struct Conv2DReference: Sendable, CustomTestStringConvertible {
  let name: String
  let input: [Int]
  let filter: [Int]
  let strides: [Int]
  let dilations: [Int]
  let padding: Conv2D.Padding
  var outputShape: [Int] = []
  /// `[top, bottom, left, right]`.
  var pads: [Int] = []
  var float32: [Float] = []
  var float64: [Double] = []
  /// Float16 results, widened exactly to Float.
  var float16: [Float] = []
  /// What TensorFlow raised, as the TensorError case of its exception class.
  var error: TensorError?

  var testDescription: String { name }

  func geometry() throws(TensorError) -> Conv2D.Geometry {
    try Conv2D.Geometry(
      inputShape: input, filterShape: filter, strides: strides, dilations: dilations, padding: padding)
  }

  /// The recording script's operands in float64: input element i is
  /// ((i * 37) % 101 - 50) / 101 and filter element i is ((i * 53) % 89 - 44) / 89.
  /// Float16 uses the denominators 64 and 128, which keep every value and window sum exact.
  func operands(half: Bool = false) -> (input: [Double], filter: [Double]) {
    func values(_ count: Int, _ multiplier: Int, _ modulus: Int, _ denominator: Double) -> [Double] {
      (0..<count).map { Double(($0 * multiplier) % modulus - modulus / 2) / denominator }
    }
    return (
      values(input.reduce(1, *), 37, 101, half ? 64 : 101),
      values(filter.reduce(1, *), 53, 89, half ? 128 : 89)
    )
  }
}

/// Runs `kernel` on copies of `input` and `filter`, returning every output element; the output
/// starts as NaN so an element the kernel skips shows.
func convolved<T: BinaryFloatingPoint>(
  _ input: [T], _ filter: [T], _ geometry: Conv2D.Geometry,
  _ kernel: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) throws(TensorError) -> Void
) throws -> [T] {
  let x = UnsafeMutablePointer<T>.allocate(capacity: max(1, input.count))
  let w = UnsafeMutablePointer<T>.allocate(capacity: max(1, filter.count))
  let y = UnsafeMutablePointer<T>.allocate(capacity: max(1, geometry.outputCount))
  defer {
    x.deallocate()
    w.deallocate()
    y.deallocate()
  }
  x.initialize(from: input, count: input.count)
  w.initialize(from: filter, count: filter.count)
  y.initialize(repeating: .nan, count: geometry.outputCount)
  try kernel(x, w, y)
  return Array(UnsafeBufferPointer(start: y, count: geometry.outputCount))
}

/// Expects `actual` within `relative * max(1, |expected|)` of `expected` element by element,
/// naming the worst element.
func expectClose(
  _ actual: [Double], _ expected: [Double], relative: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    Issue.record("\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    return
  }
  let errors = zip(actual, expected).map { a, e in
    a.isNaN ? Double.infinity : abs(a - e) / max(1, abs(e))
  }
  guard let worst = errors.indices.max(by: { errors[$0] < errors[$1] }), errors[worst] > relative else { return }
  Issue.record(
    "worst at flat index \(worst): \(actual[worst]) vs \(expected[worst]) (relative \(errors[worst]))",
    sourceLocation: sourceLocation)
}

/// A plain triple-loop GEMM honouring every argument, to check what the kernel asks for.
func naiveGEMM() -> GEMM<Double> {
  GEMM { transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc throws(TensorError) in
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          sum += (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j])
        }
        c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
      }
    }
  }
}

/// A direct float64 convolution over the geometry, independent of im2col.
func directConvolution(_ input: [Double], _ filter: [Double], _ g: Conv2D.Geometry) -> [Double] {
  var output = [Double](repeating: 0, count: g.outputCount)
  guard g.inputCount > 0 else { return output }
  let groupOutputs = g.outputDepth / max(1, g.groups)
  for n in 0..<g.batch {
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for o in 0..<g.outputDepth {
          let group = o / groupOutputs
          var sum = 0.0
          for kh in 0..<g.filterHeight {
            let ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight
            guard ih >= 0, ih < g.inputHeight else { continue }
            for kw in 0..<g.filterWidth {
              let iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth
              guard iw >= 0, iw < g.inputWidth else { continue }
              for c in 0..<g.filterDepth {
                let x = input[((n * g.inputHeight + ih) * g.inputWidth + iw) * g.inputDepth + group * g.filterDepth + c]
                sum += x * filter[((kh * g.filterWidth + kw) * g.filterDepth + c) * g.outputDepth + o]
              }
            }
          }
          output[((n * g.outputHeight + oh) * g.outputWidth + ow) * g.outputDepth + o] = sum
        }
      }
    }
  }
  return output
}

@Suite struct Conv2DGeometryTests {
  @Test("output shape and pads are TensorFlow's", arguments: Conv2DReference.cases + [Conv2DReference.large])
  func shapeAndPads(reference: Conv2DReference) throws {
    let geometry = try reference.geometry()
    #expect(geometry.outputShape == reference.outputShape)
    #expect([geometry.padTop, geometry.padBottom, geometry.padLeft, geometry.padRight] == reference.pads)
  }

  @Test("refused geometries throw TensorFlow's error and message", arguments: Conv2DReference.errors)
  func errors(reference: Conv2DReference) throws {
    let error = try #require(reference.error)
    #expect(throws: error) { try reference.geometry() }
  }

  @Test("SAME puts the odd padding row after; VALID truncates toward zero as C++ does")
  func paddingArithmetic() throws {
    let same = try Conv2D.Geometry(
      inputShape: [1, 8, 7, 1], filterShape: [4, 4, 1, 1], strides: [1, 3, 3, 1], padding: .same)
    #expect(same.outputShape == [1, 3, 3, 1])
    #expect([same.padTop, same.padBottom, same.padLeft, same.padRight] == [1, 1, 1, 2])
    // (2 - 5 + 4) / 4 is 0 in C++, so TensorFlow returns an empty output rather than failing.
    let valid = try Conv2D.Geometry(
      inputShape: [1, 2, 2, 3], filterShape: [5, 5, 3, 4], strides: [1, 4, 4, 1], padding: .valid)
    #expect(valid.outputShape == [1, 0, 0, 4])
  }

  @Test("groups are the input depth over the filter depth")
  func groups() throws {
    let geometry = try Conv2D.Geometry(
      inputShape: [1, 5, 5, 6], filterShape: [3, 3, 2, 9], strides: [1, 1, 1, 1], padding: .same)
    #expect(geometry.groups == 3)
    #expect(geometry.multiplyAdds == 25 * 9 * 18)
  }
}

@Suite struct Conv2DKernelTests {
  // TensorFlow runs float32 Conv2D through oneDNN, whose summation order differs from
  // OpenBLAS's GEMM; windows here sum at most 54 products, so the two agree to a few ulp:
  // the worst seen is 1.8e-7 of max(1, |value|), inside the 1e-6 asserted.
  @Test("float32 matches TensorFlow to a few ulp", arguments: Conv2DReference.cases)
  func float32(reference: Conv2DReference) throws {
    let geometry = try reference.geometry()
    let (input, filter) = reference.operands()
    let output = try convolved(input.map { Float($0) }, filter.map { Float($0) }, geometry) {
      x, w, y throws(TensorError) in
      try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry)
    }
    expectClose(output.map(Double.init), reference.float32.map(Double.init), relative: 1e-6)
  }

  // TensorFlow's float64 kernel is Eigen's SpatialConvolution (or its matrix-product shortcuts):
  // another summation order again, so agreement is to rounding: the worst seen is 3.4e-16.
  @Test("float64 matches TensorFlow to 1e-12", arguments: Conv2DReference.cases)
  func float64(reference: Conv2DReference) throws {
    let geometry = try reference.geometry()
    let (input, filter) = reference.operands()
    let output = try convolved(input, filter, geometry) { x, w, y throws(TensorError) in
      try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry)
    }
    expectClose(output, reference.float64, relative: 1e-12)
  }

  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    // TensorFlow's CPU kernel widens float16 to float32, convolves and rounds once. With these
    // operands every float32 window sum is exact, so the rounded result must be identical.
    @Test("float16 is TensorFlow's single rounding of a float32 convolution", arguments: Conv2DReference.cases)
    func float16(reference: Conv2DReference) throws {
      let geometry = try reference.geometry()
      let (input, filter) = reference.operands(half: true)
      let output = try convolved(input.map { Float16($0) }, filter.map { Float16($0) }, geometry) {
        x, w, y throws(TensorError) in
        try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry)
      }
      #expect(output.map(Float.init) == reference.float16)
    }
  #endif

  @Test("leading dimensions and offsets passed to the injected GEMM are right", arguments: Conv2DReference.cases)
  func injectedGEMM(reference: Conv2DReference) throws {
    let geometry = try reference.geometry()
    let (input, filter) = reference.operands()
    let output = try convolved(input, filter, geometry) { x, w, y throws(TensorError) in
      try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry, gemm: naiveGEMM())
    }
    expectClose(output, directConvolution(input, filter, geometry), relative: 1e-12)
  }

  // 8192 patch rows of 144 floats: several chunks of the patch buffer, each filled in parallel.
  // Windows of 144 products in float32 drift further from TF's and from the exact sum (worst
  // seen 8.5e-7 and 1.0e-6 of max(1, |value|)), hence 4e-6 here.
  @Test("a larger convolution matches TensorFlow's samples and a direct loop")
  func large() throws {
    let reference = Conv2DReference.large
    let geometry = try reference.geometry()
    let (input, filter) = reference.operands()
    let output = try convolved(input.map { Float($0) }, filter.map { Float($0) }, geometry) {
      x, w, y throws(TensorError) in
      try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry)
    }
    let sampled = Conv2DReference.sampleIndices.map { Double(output[$0]) }
    expectClose(sampled, reference.float32.map(Double.init), relative: 4e-6)
    let direct = directConvolution(input.map { Double(Float($0)) }, filter.map { Double(Float($0)) }, geometry)
    expectClose(output.map(Double.init), direct, relative: 4e-6)
  }

  @Test("1x1 stride-1 convolutions are one GEMM per group on the input itself")
  func pointwiseCallsGEMMOnInput() throws {
    let geometry = try Conv2D.Geometry(
      inputShape: [2, 3, 4, 6], filterShape: [1, 1, 2, 6], strides: [1, 1, 1, 1], padding: .same)
    let calls = CallLog()
    let inner = naiveGEMM()
    let logging = GEMM<Double> { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc throws(TensorError) in
      calls.append([m, n, k, lda, ldb, ldc])
      try inner.multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    let (input, filter) = (
      (0..<geometry.inputCount).map { Double($0 % 7) }, (0..<geometry.filterCount).map { Double($0 % 5) - 2 }
    )
    let output = try convolved(input, filter, geometry) { x, w, y throws(TensorError) in
      try Conv2D.conv2d(input: x, filter: w, output: y, geometry: geometry, gemm: logging)
    }
    #expect(calls.entries == [[24, 2, 2, 6, 6, 6], [24, 2, 2, 6, 6, 6], [24, 2, 2, 6, 6, 6]])
    expectClose(output, directConvolution(input, filter, geometry), relative: 0)
  }
}

/// The GEMM calls a test saw, in order.
final class CallLog: @unchecked Sendable {
  private(set) var entries: [[Int]] = []

  func append(_ entry: [Int]) { entries.append(entry) }
}
