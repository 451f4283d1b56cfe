import Operations
import Testing

@testable import TensorCore

/// A `Conv2D` node TensorFlow 2.21 built from two placeholders in a `tf.compat.v1` graph: the
/// output shape it inferred or the ValueError it raised, verbatim.
struct Conv2DInferenceCase: Sendable, CustomTestStringConvertible {
  let name: String
  let input: [Int?]?
  let filter: [Int?]?
  let attributes: OpAttributes
  var shape: [Int?]? = nil
  var error: String? = nil
  var testDescription: String { name }
}

/// The Conv2D op: inference against TF 2.21's shape function (messages recorded from real TF
/// in graph mode, with its node and placeholder names), and the kernel against TF's outputs.
@Suite struct Conv2DOpTests {
  static let same =
    #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="SAME", "#
      + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true]"#
  static let valid =
    #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="VALID", "#
      + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true]"#

  static let inference: [Conv2DInferenceCase] = [
    Conv2DInferenceCase(
      name: "SAME keeps the size", input: [1, 5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"), shape: [1, 5, 5, 4]),
    Conv2DInferenceCase(
      name: "unknown dimensions stay unknown", input: [nil, 5, nil, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 2, 2, 1], padding: "SAME"), shape: [nil, 3, nil, 4]),
    Conv2DInferenceCase(
      name: "an input of unknown rank", input: nil, filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 2, 2, 1], padding: "SAME"), shape: [nil, nil, nil, 4]),
    Conv2DInferenceCase(
      name: "VALID with unknown channels", input: [nil, 5, 5, nil], filter: [3, 3, nil, 4],
      attributes: .conv2D(strides: [1, 2, 2, 1], padding: "VALID"), shape: [nil, 2, 2, 4]),
    Conv2DInferenceCase(
      name: "a filter of unknown rank", input: [nil, 5, 5, 3], filter: nil,
      attributes: .conv2D(strides: [1, 2, 2, 1], padding: "VALID"), shape: [nil, nil, nil, nil]),
    Conv2DInferenceCase(
      name: "NCHW puts channels second", input: [1, 3, 5, 7], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 2, 2], padding: "VALID", dataFormat: "NCHW"), shape: [1, 4, 2, 3]),
    Conv2DInferenceCase(
      name: "the padded input may equal the window", input: [1, 3, 3, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "VALID"), shape: [1, 1, 1, 4]),
    Conv2DInferenceCase(
      name: "channels not a multiple of the filter's", input: [1, 5, 5, 3], filter: [3, 3, 2, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"),
      error:
        "Depth of input (3) is not a multiple of input depth of filter (2) for '{{node Conv2D}} = "
        + "\(same)(Placeholder, Placeholder_1)' with input shapes: [1,5,5,3], [3,3,2,4]."
    ),
    Conv2DInferenceCase(
      name: "groups not dividing the output channels", input: [1, 5, 5, 4], filter: [3, 3, 2, 3],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"),
      error:
        "Depth of output (3) is not a multiple of the number of groups (2) for '{{node Conv2D}} = "
        + "\(same)(Placeholder, Placeholder_1)' with input shapes: [1,5,5,4], [3,3,2,3]."
    ),
    Conv2DInferenceCase(
      name: "a filter with no channels", input: [1, 5, 5, 0], filter: [3, 3, 0, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"),
      error:
        "Depth of filter must not be 0 for '{{node Conv2D}} = \(same)(Placeholder, Placeholder_1)' with input shapes: "
        + "[1,5,5,0], [3,3,0,4]."
    ),
    Conv2DInferenceCase(
      name: "a window larger than the input", input: [1, 2, 2, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "VALID"),
      error:
        "Negative dimension size caused by subtracting 3 from 2 for '{{node Conv2D}} = \(valid)(Placeholder, "
        + "Placeholder_1)' with input shapes: [1,2,2,3], [3,3,3,4]."
    ),
    Conv2DInferenceCase(
      name: "columns checked after rows", input: [1, 8, 2, 3], filter: [3, 5, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "VALID"),
      error:
        "Negative dimension size caused by subtracting 5 from 2 for '{{node Conv2D}} = \(valid)(Placeholder, "
        + "Placeholder_1)' with input shapes: [1,8,2,3], [3,5,3,4]."
    ),
    Conv2DInferenceCase(
      name: "the dilated window", input: [1, 2, 2, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "VALID", dilations: [1, 2, 2, 1]),
      error:
        #"Negative dimension size caused by subtracting 5 from 2 for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, "#
          + #"data_format="NHWC", dilations=[1, 2, 2, 1], explicit_paddings=[], padding="VALID", strides=[1, 1, 1, "#
          + #"1], use_cudnn_on_gpu=true](Placeholder, Placeholder_1)' with input shapes: [1,2,2,3], [3,3,3,4]."#
    ),
    Conv2DInferenceCase(
      name: "explicit padding counts in the input", input: [1, 2, 2, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "EXPLICIT", explicitPaddings: [0, 0, 1, 0, 0, 0, 0, 0]),
      error:
        #"Negative dimension size caused by subtracting 3 from 2 for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, "#
          + #"data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[0, 0, 1, 0, 0, 0, 0, 0], "#
          + #"padding="EXPLICIT", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Placeholder, Placeholder_1)' with "#
          + #"input shapes: [1,2,2,3], [3,3,3,4]."#
    ),
    Conv2DInferenceCase(
      name: "an input of rank 3", input: [5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"),
      error:
        "Shape must be rank 4 but is rank 3 for '{{node Conv2D}} = \(same)(Placeholder, Placeholder_1)' with input "
        + "shapes: [5,5,3], [3,3,3,4]."
    ),
    Conv2DInferenceCase(
      name: "a filter of rank 3", input: [1, 5, 5, 3], filter: [3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME"),
      error:
        "Shape must be rank 4 but is rank 3 for '{{node Conv2D}} = \(same)(Placeholder, Placeholder_1)' with input "
        + "shapes: [1,5,5,3], [3,3,4]."
    ),
    Conv2DInferenceCase(
      name: "a zero stride", input: [1, 5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 0, 1, 1], padding: "SAME"),
      error:
        #"Stride must be > 0, but got 0 for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, "#
          + #"1, 1, 1], explicit_paddings=[], padding="SAME", strides=[1, 0, 1, 1], "#
          + #"use_cudnn_on_gpu=true](Placeholder, Placeholder_1)' with input shapes: [1,5,5,3], [3,3,3,4]."#
    ),
    Conv2DInferenceCase(
      name: "a zero dilation", input: [1, 5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME", dilations: [1, 0, 0, 1]),
      error:
        #"Dilation rate must be >= 1, but got 0 for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, data_format="NHWC", "#
          + #"dilations=[1, 0, 0, 1], explicit_paddings=[], padding="SAME", strides=[1, 1, 1, 1], "#
          + #"use_cudnn_on_gpu=true](Placeholder, Placeholder_1)' with input shapes: [1,5,5,3], [3,3,3,4]."#
    ),
    Conv2DInferenceCase(
      name: "negative explicit padding", input: [1, 5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "EXPLICIT", explicitPaddings: [0, 0, -1, 1, 1, 1, 0, 0]),
      error:
        #"All elements of explicit_paddings must be nonnegative for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, "#
          + #"data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[0, 0, -1, 1, 1, 1, 0, 0], "#
          + #"padding="EXPLICIT", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Placeholder, Placeholder_1)' with "#
          + #"input shapes: [1,5,5,3], [3,3,3,4]."#
    ),
    Conv2DInferenceCase(
      name: "a padding TF's registry does not allow", input: [1, 5, 5, 3], filter: [3, 3, 3, 4],
      attributes: .conv2D(strides: [1, 1, 1, 1], padding: "same"),
      error: #"Attr 'padding' of 'Conv2D' Op passed string 'same' not in: "SAME", "VALID", "EXPLICIT"."#),
  ]

  @Test("inference gives TF 2.21's shapes and graph-construction messages", arguments: inference)
  func infer(_ testCase: Conv2DInferenceCase) {
    let specs = [
      TensorSpec(dtype: .float32, partialShape: testCase.input),
      TensorSpec(dtype: .float32, partialShape: testCase.filter),
    ]
    do {
      let output = try Op(.conv2D, testCase.attributes).infer(specs)
      #expect(testCase.error == nil, "inferred \(output)")
      #expect(output == [TensorSpec(dtype: .float32, partialShape: testCase.shape)])
    } catch {
      let message = error.message.replacingOccurrences(of: "$NODE", with: "Conv2D")
        .replacingOccurrences(of: "$INPUTS", with: "(Placeholder, Placeholder_1)")
      #expect(message == testCase.error)
    }
  }

  @Test("inference refuses mismatched dtypes with the op builder's TypeError")
  func dtypes() {
    let specs = [TensorSpec(dtype: .float32, shape: [1, 5, 5, 3]), TensorSpec(dtype: .float64, shape: [3, 3, 3, 4])]
    #expect(
      throws: OpError.typeError(
        "Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32 of argument 'input'.")
    ) {
      try Op(.conv2D, .conv2D(strides: [1, 1, 1, 1], padding: "SAME")).infer(specs)
    }
  }

  /// Element i of the `[1, 4, 4, 2]` input is `(i * 7) % 11 - 5`, of the `[3, 3, 2, 3]`
  /// filter `(i * 5) % 7 - 3`: small integers, so every dtype's sums are exact.
  func operands(_ dtype: DType) -> (Tensor, Tensor) {
    (
      Tensor(doubles: (0..<32).map { Double(($0 * 7) % 11 - 5) }, shape: [1, 4, 4, 2], dtype: dtype),
      Tensor(doubles: (0..<54).map { Double(($0 * 5) % 7 - 3) }, shape: [3, 3, 2, 3], dtype: dtype)
    )
  }

  @Test("the kernel computes TF 2.21's outputs in float32, float64 and float16")
  func kernel() throws {
    var (x, w) = operands(.float32)
    expectTensor(
      try OpDefinition.conv2D(x, w, attributes: .conv2D(strides: [1, 2, 2, 1], padding: "SAME")),
      Tensor(doubles: [3, -12, 22, 14, -14, 7, -18, 23, -6, 15, -3, -7], shape: [1, 2, 2, 3], dtype: .float32))
    expectTensor(
      try OpDefinition.conv2D(
        x, w,
        attributes: .conv2D(
          strides: [1, 1, 1, 1], padding: "EXPLICIT", explicitPaddings: [0, 0, 1, 0, 0, 2, 0, 0],
          dilations: [1, 2, 2, 1])),
      Tensor(doubles: [-24, 27, 1, 0, -1, 12], shape: [1, 1, 2, 3], dtype: .float32))
    (x, w) = operands(.float64)
    expectTensor(
      try OpDefinition.conv2D(x, w, attributes: .conv2D(strides: [1, 1, 2, 1], padding: "VALID")),
      Tensor(doubles: [3, -12, 22, -3, 10, -5], shape: [1, 2, 1, 3], dtype: .float64))
    (x, w) = operands(.float16)
    expectTensor(
      try OpDefinition.conv2D(x, w, attributes: .conv2D(strides: [1, 1, 1, 1], padding: "SAME")),
      Tensor(
        doubles: [
          20, -8, -36, -13, -37, 23, -44, -12, 27, -15, 18, 2, 14, 13, -2, 3, -12, 22, -4, 10, -4, 14, -14, 7,
          -14, 4, 29, -3, 10, -5, 12, -1, -42, 27, -38, 2, -9, -19, 34, -18, 23, -6, 11, -2, -8, 15, -3, -7,
        ], shape: [1, 4, 4, 3], dtype: .float16))
  }

  @Test("NCHW runs TF's shape checks, returns empty outputs, then is unimplemented on the CPU")
  func channelsFirst() throws {
    let w = try Tensor.zeros(shape: [3, 3, 2, 4], dtype: .float32)
    let nchw = OpAttributes.conv2D(strides: [1, 1, 2, 2], padding: "SAME", dataFormat: "NCHW")
    #expect(
      throws: TensorError.unimplemented(
        "The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: NCHW")
    ) {
      try OpDefinition.conv2D(try Tensor.zeros(shape: [1, 2, 5, 5], dtype: .float32), w, attributes: nchw)
    }
    #expect(throws: TensorError.invalidArgument("input depth must be evenly divisible by filter depth: 5 vs 2")) {
      try OpDefinition.conv2D(try Tensor.zeros(shape: [1, 5, 5, 2], dtype: .float32), w, attributes: nchw)
    }
    let empty = try OpDefinition.conv2D(try Tensor.zeros(shape: [0, 2, 5, 5], dtype: .float32), w, attributes: nchw)
    #expect(empty.shape == [0, 4, 3, 3])
  }

  @Test("the kernel refuses mismatched dtypes as TF's executor does, and int32 as unsupported")
  func kernelDTypes() throws {
    let attributes = OpAttributes.conv2D(strides: [1, 1, 1, 1], padding: "SAME")
    let (x, _) = operands(.float32)
    let (_, w) = operands(.float64)
    #expect(throws: TensorError.dtypeMismatch(op: "Conv2D", expected: .float32, actual: .float64, inputIndex: 1)) {
      try OpDefinition.conv2D(x, w, attributes: attributes)
    }
    let (xi, wi) = operands(.int32)
    #expect(
      throws: TensorError.unsupported("Conv2D on int32 tensors (its float16, float32 and float64 kernels are modelled)")
    ) {
      try OpDefinition.conv2D(xi, wi, attributes: attributes)
    }
  }
}
