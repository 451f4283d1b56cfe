extension Conv2D {
  /// The `padding` attribute of TensorFlow's `Conv2D`.
  public enum Padding: Equatable, Sendable {
    /// Output size `ceil(in / stride)`; the zeros needed split with the odd one after.
    case same
    /// No padding: output size `(in - effectiveFilter + stride) / stride`.
    case valid
    /// TensorFlow's flattened `explicit_paddings`, 8 values in NHWC order:
    /// `[0, 0, top, bottom, left, right, 0, 0]`.
    case explicit([Int])
  }

  /// The shapes, windows and padding of one NHWC convolution with an HWIO filter, checked as
  /// TensorFlow 2.21's CPU kernel checks them and sized by its `GetWindowedOutputSizeVerbose`.
  ///
  /// The input has shape `[batch, inputHeight, inputWidth, inputDepth]`, the filter
  /// `[filterHeight, filterWidth, filterDepth, outputDepth]`, the output
  /// `[batch, outputHeight, outputWidth, outputDepth]`. When `inputDepth` is a multiple
  /// `groups` of `filterDepth`, the convolution is grouped, as TensorFlow's CPU kernel allows:
  /// group `g` reads input channels `g * filterDepth ..< (g + 1) * filterDepth` and writes
  /// output channels `g * outputDepth / groups ..< (g + 1) * outputDepth / groups`.
  public struct Geometry: Equatable, Sendable {
    /// Images in the batch.
    public let batch: Int
    /// Rows of each input image.
    public let inputHeight: Int
    /// Columns of each input image.
    public let inputWidth: Int
    /// Channels of each input pixel.
    public let inputDepth: Int
    /// Rows of the filter window.
    public let filterHeight: Int
    /// Columns of the filter window.
    public let filterWidth: Int
    /// Input channels the filter reads per group (`filter.shape[2]`).
    public let filterDepth: Int
    /// Output channels (`filter.shape[3]`).
    public let outputDepth: Int
    /// Step between output rows, in input rows.
    public let strideHeight: Int
    /// Step between output columns, in input columns.
    public let strideWidth: Int
    /// Spacing of filter taps along the rows (1 means adjacent).
    public let dilationHeight: Int
    /// Spacing of filter taps along the columns (1 means adjacent).
    public let dilationWidth: Int
    /// Zero rows added above the input.
    public let padTop: Int
    /// Zero rows added below the input.
    public let padBottom: Int
    /// Zero columns added left of the input.
    public let padLeft: Int
    /// Zero columns added right of the input.
    public let padRight: Int
    /// Rows of each output image.
    public let outputHeight: Int
    /// Columns of each output image.
    public let outputWidth: Int

    /// Checks a convolution as TensorFlow 2.21's eager CPU kernel does, in its order, and
    /// computes its output size and padding.
    ///
    /// - Parameters:
    ///   - inputShape: `[N, H, W, C]`.
    ///   - filterShape: `[KH, KW, C / groups, C_out]`.
    ///   - strides: TensorFlow's 4-element NHWC `strides`, e.g. `[1, 2, 2, 1]`.
    ///   - dilations: TensorFlow's 4-element NHWC `dilations`.
    ///   - padding: SAME, VALID or the 8 explicit paddings.
    /// - Throws: `TensorError.invalidArgument` or `.unimplemented` with TensorFlow's message.
    public init(
      inputShape: [Int], filterShape: [Int], strides: [Int], dilations: [Int] = [1, 1, 1, 1],
      padding: Padding
    ) throws(TensorError) {
      // The attribute checks TensorFlow makes when it builds the kernel.
      guard dilations.count == 4 else {
        throw .invalidArgument("Sliding window dilations field must specify 4 dimensions")
      }
      guard strides.count == 4 else {
        throw .invalidArgument("Sliding window strides field must specify 4 dimensions")
      }
      guard strides[0] == 1, strides[3] == 1 else {
        throw .unimplemented(
          "Current implementation does not yet support strides in the batch and depth dimensions.")
      }
      guard strides[1] > 0, strides[2] > 0 else {
        throw .invalidArgument("Row and column strides should be larger than 0.")
      }
      guard dilations[0] == 1, dilations[3] == 1 else {
        throw .unimplemented(
          "Current implementation does not yet support dilations in the batch and depth dimensions.")
      }
      guard dilations[1] > 0, dilations[2] > 0 else {
        throw .invalidArgument("Dilated rates should be larger than 0.")
      }
      var pads = [0, 0, 0, 0, 0, 0, 0, 0]
      if case let .explicit(values) = padding {
        guard values.count == 8 else {
          throw .invalidArgument("explicit_paddings attribute must contain 8 values, but got: \(values.count)")
        }
        guard values.allSatisfy({ $0 >= 0 }) else {
          throw .invalidArgument("All elements of explicit_paddings must be nonnegative")
        }
        guard values[0] == 0, values[1] == 0, values[6] == 0, values[7] == 0 else {
          throw .invalidArgument("Nonzero explicit padding in the batch or depth dimensions is not supported")
        }
        pads = values
      }

      // The shape checks TensorFlow makes when the kernel runs.
      guard inputShape.count == 4 else {
        throw .invalidArgument("convolution input must be 4-dimensional: \(Shape.describe(inputShape))")
      }
      guard filterShape.count == 4 else {
        throw .invalidArgument("convolution filter must be 4-dimensional: \(Shape.describe(filterShape))")
      }
      let inputDepth = inputShape[3]
      let filterDepth = filterShape[2]
      guard filterDepth > 0 else {
        throw .invalidArgument("filter depth must be stricly positive, got \(filterDepth)")
      }
      guard inputDepth % filterDepth == 0 else {
        throw .invalidArgument(
          "input depth must be evenly divisible by filter depth: \(inputDepth) vs \(filterDepth)")
      }
      let rows = try Self.windowedOutputSize(
        input: inputShape[1], filter: filterShape[0], dilation: dilations[1], stride: strides[1],
        padding: padding, explicitBefore: pads[2], explicitAfter: pads[3])
      let columns = try Self.windowedOutputSize(
        input: inputShape[2], filter: filterShape[1], dilation: dilations[2], stride: strides[2],
        padding: padding, explicitBefore: pads[4], explicitAfter: pads[5])

      batch = inputShape[0]
      inputHeight = inputShape[1]
      inputWidth = inputShape[2]
      self.inputDepth = inputDepth
      filterHeight = filterShape[0]
      filterWidth = filterShape[1]
      self.filterDepth = filterDepth
      outputDepth = filterShape[3]
      strideHeight = strides[1]
      strideWidth = strides[2]
      dilationHeight = dilations[1]
      dilationWidth = dilations[2]
      (outputHeight, padTop, padBottom) = rows
      (outputWidth, padLeft, padRight) = columns

      // TensorFlow's launcher checks these only when there is work: an empty output returns
      // first, and an empty input gives zeros.
      guard outputCount > 0, inputCount > 0 else { return }
      guard filterCount > 0 else {
        throw .invalidArgument("filter must not have zero elements (i.e. all dimensions must be non-zero)")
      }
      let groups = inputDepth / filterDepth
      guard outputDepth % groups == 0 else {
        throw .invalidArgument(
          "output depth must be evenly divisible by number of groups: \(outputDepth) vs \(groups)")
      }
    }

    /// TensorFlow's `GetWindowedOutputSizeVerbose` for one spatial dimension: the output size
    /// and the padding before and after. SAME pads `max(0, (out - 1) * stride + effectiveFilter
    /// - in)` in total, `total / 2` of it before.
    static func windowedOutputSize(
      input: Int, filter: Int, dilation: Int, stride: Int, padding: Padding,
      explicitBefore: Int, explicitAfter: Int
    ) throws(TensorError) -> (size: Int, before: Int, after: Int) {
      let effectiveFilter = (filter - 1) * dilation + 1
      let size: Int
      var before = 0
      var after = 0
      switch padding {
      case .valid:
        // Swift's `/` truncates toward zero as C++'s does, so (2 - 5 + 2) / 2 is 0, not -1.
        size = (input - effectiveFilter + stride) / stride
      case .explicit:
        before = explicitBefore
        after = explicitAfter
        size = (input + before + after - effectiveFilter + stride) / stride
      case .same:
        size = (input + stride - 1) / stride
        let needed = max(0, (size - 1) * stride + effectiveFilter - input)
        before = needed / 2
        after = needed - before
      }
      guard size >= 0 else {
        throw .invalidArgument(
          "Computed output size would be negative: \(size) [input_size: \(input), "
            + "effective_filter_size: \(effectiveFilter), stride: \(stride)]")
      }
      return (size, before, after)
    }

    /// The number of groups: `inputDepth / filterDepth` (0 for an input with no channels).
    public var groups: Int { inputDepth / filterDepth }

    /// `[batch, inputHeight, inputWidth, inputDepth]`.
    public var inputShape: [Int] { [batch, inputHeight, inputWidth, inputDepth] }

    /// `[filterHeight, filterWidth, filterDepth, outputDepth]`.
    public var filterShape: [Int] { [filterHeight, filterWidth, filterDepth, outputDepth] }

    /// `[batch, outputHeight, outputWidth, outputDepth]`.
    public var outputShape: [Int] { [batch, outputHeight, outputWidth, outputDepth] }

    /// Elements of the input.
    public var inputCount: Int { batch * inputHeight * inputWidth * inputDepth }

    /// Elements of the filter.
    public var filterCount: Int { filterHeight * filterWidth * filterDepth * outputDepth }

    /// Elements of the output.
    public var outputCount: Int { batch * outputHeight * outputWidth * outputDepth }

    /// Multiply-adds the convolution performs (each output element sums one window).
    public var multiplyAdds: Int { outputCount * filterHeight * filterWidth * filterDepth }
  }
}
