import Operations
import Testing

@testable import TensorCore

/// One TF 2.21 recording of `Conv2DBackpropInput` and `Conv2DBackpropFilter` for a convolution
/// (Tools/record_conv_grad_refs.py), on the deterministic operands `pattern` gives.
struct Conv2DBackpropReference: Sendable, CustomTestStringConvertible {
  let label: String
  let input: [Int]
  let filter: [Int]
  let output: [Int]
  let strides: [Int]
  let padding: String
  let explicitPaddings: [Int]
  let dilations: [Int]
  let inputGradient: [Double]
  let filterGradient: [Double]
  var testDescription: String { label }

  init(
    _ label: String, input: [Int], filter: [Int], output: [Int], strides: [Int], padding: String,
    explicitPaddings: [Int], dilations: [Int], inputGradient: [Double], filterGradient: [Double]
  ) {
    self.label = label
    self.input = input
    self.filter = filter
    self.output = output
    self.strides = strides
    self.padding = padding
    self.explicitPaddings = explicitPaddings
    self.dilations = dilations
    self.inputGradient = inputGradient
    self.filterGradient = filterGradient
  }

  /// Element i is `((i * 37 + seed * 11) % 23 - 11) / 8`, exact in float32 (the recorder's
  /// `pattern`).
  static func pattern(_ shape: [Int], seed: Int, dtype: DType = .float32) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(
      doubles: (0..<count).map { Double(($0 * 37 + seed * 11) % 23 - 11) / 8 }, shape: shape, dtype: dtype)
  }

  var attributes: OpAttributes {
    .conv2D(strides: strides, padding: padding, explicitPaddings: explicitPaddings, dilations: dilations)
  }
}

/// An int32 vector.
private func int32s(_ values: [Int]) -> Tensor { Tensor(shape: [values.count], scalars: values.map { Int32($0) }) }

@Suite struct Conv2DBackpropTests {
  /// Within 1e-5 relative to the largest magnitude: float32 sums each gradient element in
  /// the GEMM's order, which differs from TF's (oneDNN / Eigen), so the last bits may differ.
  @Test("the backprop kernels match TF 2.21 in float32 (1e-5 relative)", arguments: Conv2DBackpropReference.recorded)
  func float32References(_ reference: Conv2DBackpropReference) throws {
    let x = Conv2DBackpropReference.pattern(reference.input, seed: 1)
    let w = Conv2DBackpropReference.pattern(reference.filter, seed: 2)
    let dy = Conv2DBackpropReference.pattern(reference.output, seed: 3)
    let forward = try OpDefinition.conv2D(x, w, attributes: reference.attributes)
    #expect(forward.shape == reference.output)
    let dx = try OpDefinition.conv2DBackpropInput(int32s(reference.input), w, dy, attributes: reference.attributes)
    let dw = try OpDefinition.conv2DBackpropFilter(x, int32s(reference.filter), dy, attributes: reference.attributes)
    let inputScale = max(1, reference.inputGradient.map(abs).max() ?? 0)
    let filterScale = max(1, reference.filterGradient.map(abs).max() ?? 0)
    expectTensor(
      dx, Tensor(doubles: reference.inputGradient, shape: reference.input, dtype: .float32),
      tolerance: 1e-5 * inputScale)
    expectTensor(
      dw, Tensor(doubles: reference.filterGradient, shape: reference.filter, dtype: .float32),
      tolerance: 1e-5 * filterScale)
  }

  @Test(
    "float64 agrees with the float32 recordings (the operands are exact)", arguments: Conv2DBackpropReference.recorded)
  func float64(_ reference: Conv2DBackpropReference) throws {
    let x = Conv2DBackpropReference.pattern(reference.input, seed: 1, dtype: .float64)
    let w = Conv2DBackpropReference.pattern(reference.filter, seed: 2, dtype: .float64)
    let dy = Conv2DBackpropReference.pattern(reference.output, seed: 3, dtype: .float64)
    let dx = try OpDefinition.conv2DBackpropInput(int32s(reference.input), w, dy, attributes: reference.attributes)
    let dw = try OpDefinition.conv2DBackpropFilter(x, int32s(reference.filter), dy, attributes: reference.attributes)
    expectTensor(
      dx, Tensor(doubles: reference.inputGradient, shape: reference.input, dtype: .float64), tolerance: 1e-4)
    expectTensor(
      dw, Tensor(doubles: reference.filterGradient, shape: reference.filter, dtype: .float64), tolerance: 1e-4)
  }

  /// Geometries for `directSums`: SAME with stride, and one whose patch matrix (4096 rows of
  /// 144 float64s) spans three chunks of the 2 MB patch budget.
  static let geometries: [Conv2D.Geometry] = [
    try! Conv2D.Geometry(inputShape: [1, 4, 5, 2], filterShape: [2, 3, 2, 2], strides: [1, 2, 1, 1], padding: .same),
    try! Conv2D.Geometry(
      inputShape: [1, 64, 64, 16], filterShape: [3, 3, 16, 4], strides: [1, 1, 1, 1], padding: .same),
    try! Conv2D.Geometry(
      inputShape: [2, 6, 7, 3], filterShape: [3, 2, 3, 2], strides: [1, 2, 3, 1],
      padding: .explicit([0, 0, 2, 1, 1, 0, 0, 0])),
  ]

  @Test("the backprop kernels equal the definition summed directly (small integers, exact)", arguments: geometries)
  func directSums(_ g: Conv2D.Geometry) throws {
    // dX[n,ih,iw,c] = Σ w[kh,kw,c,o] dy[n,oh,ow,o] and dW[kh,kw,c,o] = Σ x[n,ih,iw,c] dy[n,oh,ow,o]
    // over the taps with ih = oh * stride + kh - padTop inside the image (likewise iw).
    let x = (0..<g.inputCount).map { Double(($0 * 5) % 7 - 3) }
    let w = (0..<g.filterCount).map { Double(($0 * 3) % 5 - 2) }
    let dy = (0..<g.outputCount).map { Double(($0 * 7) % 9 - 4) }
    var dx = [Double](repeating: .nan, count: g.inputCount)
    var dw = [Double](repeating: .nan, count: g.filterCount)
    try Conv2D.backpropInput(filter: w, outBackprop: dy, inputGradient: &dx, geometry: g, gemm: .blas)
    try Conv2D.backpropFilter(input: x, outBackprop: dy, filterGradient: &dw, geometry: g, gemm: .blas)
    var expectedX = [Double](repeating: 0, count: g.inputCount)
    var expectedW = [Double](repeating: 0, count: g.filterCount)
    for n in 0..<g.batch {
      for oh in 0..<g.outputHeight {
        for ow in 0..<g.outputWidth {
          for kh in 0..<g.filterHeight {
            for kw in 0..<g.filterWidth {
              let ih = oh * g.strideHeight + kh - g.padTop
              let iw = ow * g.strideWidth + kw - g.padLeft
              guard ih >= 0, ih < g.inputHeight, iw >= 0, iw < g.inputWidth else { continue }
              for c in 0..<g.inputDepth {
                for o in 0..<g.outputDepth {
                  let xi = ((n * g.inputHeight + ih) * g.inputWidth + iw) * g.inputDepth + c
                  let wi = ((kh * g.filterWidth + kw) * g.filterDepth + c) * g.outputDepth + o
                  let yi = ((n * g.outputHeight + oh) * g.outputWidth + ow) * g.outputDepth + o
                  expectedX[xi] += w[wi] * dy[yi]
                  expectedW[wi] += x[xi] * dy[yi]
                }
              }
            }
          }
        }
      }
    }
    #expect(dx == expectedX)
    #expect(dw == expectedW)
  }

  @Test("inference reads constant sizes; unknown sizes give rank 4")
  func inference() throws {
    let attributes = OpAttributes.conv2D(strides: [1, 1, 1, 1], padding: "SAME")
    let sizes = TensorSpec(constant: int32s([1, 5, 5, 2]))
    let w = TensorSpec(dtype: .float32, shape: [3, 3, 2, 3])
    let dy = TensorSpec(dtype: .float32, shape: [1, 5, 5, 3])
    let known = try Op(.conv2DBackpropInput, attributes).infer([sizes, w, dy])
    #expect(known[0].knownShape == [1, 5, 5, 2])
    let unknown = try Op(.conv2DBackpropFilter, attributes).infer([
      TensorSpec(dtype: .float32, shape: [1, 5, 5, 2]), TensorSpec(dtype: .int32, shape: [4]), dy,
    ])
    #expect(unknown[0].rank == 4 && unknown[0].knownShape == nil)
  }

  @Test(
    "TF 2.21's CPU kernels refuse dilations above 1, NCHW and a mis-sized out_backprop",
    arguments: Conv2DBackpropReference.refusals)
  func refusals(_ refusal: Conv2DBackpropRefusal) throws {
    let attributes = OpAttributes.conv2D(
      strides: refusal.strides, padding: refusal.padding, dilations: refusal.dilations, dataFormat: refusal.dataFormat)
    let dy = try Tensor.ones(shape: refusal.output, dtype: .float32)
    #expect(throws: TensorError.invalidArgument(refusal.message)) {
      if refusal.op == "Conv2DBackpropInput" {
        let w = try Tensor.ones(shape: refusal.filter, dtype: .float32)
        _ = try OpDefinition.conv2DBackpropInput(int32s(refusal.input), w, dy, attributes: attributes)
      } else {
        let x = try Tensor.ones(shape: refusal.input, dtype: .float32)
        _ = try OpDefinition.conv2DBackpropFilter(x, int32s(refusal.filter), dy, attributes: attributes)
      }
    }
  }
}

/// A call TF 2.21's CPU backprop kernels refuse, with the message they give (recorded).
struct Conv2DBackpropRefusal: Sendable, CustomTestStringConvertible {
  let label: String
  let op: String
  let input: [Int]
  let filter: [Int]
  let output: [Int]
  let strides: [Int]
  let padding: String
  let dilations: [Int]
  let dataFormat: String
  let message: String
  var testDescription: String { "\(op) \(label)" }

  init(
    _ label: String, op: String, input: [Int], filter: [Int], output: [Int], strides: [Int], padding: String,
    dilations: [Int], dataFormat: String, message: String
  ) {
    self.label = label
    self.op = op
    self.input = input
    self.filter = filter
    self.output = output
    self.strides = strides
    self.padding = padding
    self.dilations = dilations
    self.dataFormat = dataFormat
    self.message = message
  }
}
