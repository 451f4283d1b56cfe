import TensorCore

extension Convolution {
  /// The output spec of a `Conv2D` node, checked as TensorFlow 2.21 builds one: the op
  /// builder's dtype and attribute-value checks, then its shape function (`Conv2DShapeImpl`):
  /// ranks, attribute lengths, channel counts, explicit paddings, then each spatial size.
  /// Unknown dimensions stay unknown; checks that need them are skipped, as in TF.
  static func inferConv2D(_ input: TensorSpec, _ filter: TensorSpec, _ attributes: Conv2DAttributes) throws(OpError)
    -> [TensorSpec]
  {
    try ShapeInference.requireSameDType("Conv2D", input, filter, names: ("input", "filter"))
    if let (attribute, value, allowed) = attributes.disallowedValue {
      let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
      throw .invalidArgument("Attr '\(attribute)' of 'Conv2D' Op passed string '\(value)' not in: \(list).")
    }
    let node =
      "for '{{node $NODE}} = \(attributes.nodeDescription(input.dtype))$INPUTS' with input shapes: "
      + "\(input.bracketedShape), \(filter.bracketedShape)."
    func failure(_ message: String) -> OpError { .invalidArgument("\(message) \(node)") }

    let x = try rank4(input, failure)
    let w = try rank4(filter, failure)
    guard attributes.dilations.count == 4 else {
      throw failure(
        "Conv2D requires the dilation attribute to contain 4 values, but got: \(attributes.dilations.count)")
    }
    guard attributes.strides.count == 4 else {
      throw failure(
        "Conv2D on data format \(attributes.dataFormat) requires the stride attribute to contain 4 values, but got: "
          + "\(attributes.strides.count)"
      )
    }
    let layout = attributes.layout
    let (outputDepth, filterDepth) = (w[3], w[2])
    if let inputDepth = x[layout.channels], let filterDepth {
      guard filterDepth != 0 else { throw failure("Depth of filter must not be 0") }
      guard inputDepth % filterDepth == 0 else {
        throw failure("Depth of input (\(inputDepth)) is not a multiple of input depth of filter (\(filterDepth))")
      }
      let groups = inputDepth / filterDepth
      if groups != 1, let outputDepth {
        guard groups != 0 else { throw failure("Number of groups must not be 0") }
        guard outputDepth % groups == 0 else {
          throw failure("Depth of output (\(outputDepth)) is not a multiple of the number of groups (\(groups))")
        }
      }
    }
    if let message = explicitPaddingProblem(attributes) { throw failure(message) }

    var spatial: [Int?] = []
    for (dimension, filterIndex) in [(layout.rows, 0), (layout.columns, 1)] {
      let paddings =
        attributes.padding == "EXPLICIT"
        ? (attributes.explicitPaddings[2 * dimension], attributes.explicitPaddings[2 * dimension + 1]) : (0, 0)
      do {
        spatial.append(
          try windowedOutputSize(
            input: x[dimension], filter: w[filterIndex], dilation: attributes.dilations[dimension],
            stride: attributes.strides[dimension], padding: attributes.padding, paddings: paddings))
      } catch {
        throw failure(error.message)
      }
    }
    let shape =
      attributes.channelsFirst
      ? [x[layout.batch], outputDepth, spatial[0], spatial[1]]
      : [x[layout.batch], spatial[0], spatial[1], outputDepth]
    return [TensorSpec(dtype: input.dtype, partialShape: shape)]
  }

  /// The four dimensions of a spec of rank 4 or unknown rank (`WithRank`).
  private static func rank4(_ spec: TensorSpec, _ failure: (String) -> OpError) throws(OpError) -> [Int?] {
    guard let shape = spec.shape else { return [nil, nil, nil, nil] }
    guard shape.count == 4 else { throw failure("Shape must be rank 4 but is rank \(shape.count)") }
    return shape
  }

  /// TF's `CheckValidPadding` for four dimensions: what is wrong with `explicit_paddings`,
  /// or nil.
  static func explicitPaddingProblem(_ attributes: Conv2DAttributes) -> String? {
    let values = attributes.explicitPaddings
    guard attributes.padding == "EXPLICIT" else {
      return values.isEmpty ? nil : "explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT"
    }
    guard values.count == 8 else {
      return "explicit_paddings attribute must contain 8 values, but got: \(values.count)"
    }
    guard values.allSatisfy({ $0 >= 0 }) else { return "All elements of explicit_paddings must be nonnegative" }
    let (batch, channels) = (attributes.layout.batch, attributes.layout.channels)
    guard values[2 * batch] == 0, values[2 * batch + 1] == 0, values[2 * channels] == 0, values[2 * channels + 1] == 0
    else {
      return "Nonzero explicit padding in the batch or depth dimensions is not supported"
    }
    return nil
  }

  /// A message of TF's shape function, before the node description is appended.
  struct ShapeMessage: Error {
    let message: String
  }

  /// TF's `GetWindowedOutputSizeFromDimsV2`: one spatial output size, nil when an operand
  /// it needs is unknown. VALID and EXPLICIT subtract the dilated filter from the padded
  /// input, which may not go below zero; SAME divides by the stride, rounding up.
  static func windowedOutputSize(
    input: Int?, filter: Int?, dilation: Int, stride: Int, padding: String, paddings: (Int, Int)
  ) throws(ShapeMessage) -> Int? {
    guard stride > 0 else { throw ShapeMessage(message: "Stride must be > 0, but got \(stride)") }
    guard dilation >= 1 else { throw ShapeMessage(message: "Dilation rate must be >= 1, but got \(dilation)") }
    func subtracting(_ b: Int?, from a: Int?) throws(ShapeMessage) -> Int? {
      guard let a, let b else { return nil }
      guard a >= b else { throw ShapeMessage(message: "Negative dimension size caused by subtracting \(b) from \(a)") }
      return a - b
    }
    guard padding != "SAME" else { return input.map { ($0 + stride - 1) / stride } }
    let padded = input.map { $0 + paddings.0 + paddings.1 }
    var window = filter
    if dilation > 1 {
      window = try subtracting(1, from: filter).map { $0 * dilation + 1 }
    }
    return try subtracting(window, from: padded).map { ($0 + stride) / stride }
  }
}
