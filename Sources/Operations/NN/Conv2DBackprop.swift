import TensorCore

/// The gradients of `Conv2D` as ops of their own, as TensorFlow registers them:
/// `Conv2DBackpropInput(input_sizes, filter, out_backprop)` and
/// `Conv2DBackpropFilter(input, filter_sizes, out_backprop)`, with `Conv2D`'s attributes. The
/// sizes are int32 tensor inputs; inference reads them when they are constants.
enum ConvolutionBackprop {
  static let ops: [OpDefinition] = [.conv2DBackpropInput, .conv2DBackpropFilter]

  /// Which operand an op computes the gradient of.
  enum Target {
    case input, filter

    /// TF's op name.
    var opName: String { self == .input ? "Conv2DBackpropInput" : "Conv2DBackpropFilter" }
    /// The name of the sizes input.
    var sizesName: String { self == .input ? "input_sizes" : "filter_sizes" }
  }

  /// The output spec: the dtype of the two float operands (which must agree), the shape the
  /// sizes input holds when it is a constant, else four unknown dimensions.
  static func infer(_ target: Target, _ inputs: [TensorSpec], _ attributes: Conv2DAttributes) throws(OpError)
    -> [TensorSpec]
  {
    let (sizes, operand, outBackprop) =
      target == .input ? (inputs[0], inputs[1], inputs[2]) : (inputs[1], inputs[0], inputs[2])
    try ShapeInference.requireSameDType(
      target.opName, operand, outBackprop, names: (target == .input ? "filter" : "input", "out_backprop"))
    if let (attribute, value, allowed) = attributes.disallowedValue {
      let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
      throw .invalidArgument("Attr '\(attribute)' of '\(target.opName)' Op passed string '\(value)' not in: \(list).")
    }
    if let message = Convolution.explicitPaddingProblem(attributes) {
      throw .invalidArgument("\(message) for '{{node $NODE}} = \(target.opName)$INPUTS'.")
    }
    if let rank = sizes.rank, rank != 1 {
      throw .invalidArgument(
        "Shape must be rank 1 but is rank \(rank) for '{{node $NODE}} = \(target.opName)$INPUTS' with input shapes: "
          + inputs.map(\.bracketedShape).joined(separator: ", ") + ".")
    }
    if let values = sizes.value?.int64s, values.count == 4 {
      return [TensorSpec(dtype: operand.dtype, shape: values.map { Int($0) })]
    }
    return [TensorSpec(dtype: operand.dtype, partialShape: [nil, nil, nil, nil])]
  }

  /// The kernel of either op: the attribute checks `Conv2D` makes, the sizes, the geometry
  /// of the forward convolution, the output gradient's shape against it, then the gradient.
  static func kernel(_ target: Target, _ inputs: [Tensor], _ attributes: Conv2DAttributes) throws(TensorError)
    -> Tensor
  {
    let (sizesTensor, operand, outBackprop) =
      target == .input ? (inputs[0], inputs[1], inputs[2]) : (inputs[1], inputs[0], inputs[2])
    guard operand.dtype == outBackprop.dtype else {
      throw .dtypeMismatch(op: target.opName, expected: operand.dtype, actual: outBackprop.dtype, inputIndex: 2)
    }
    if let (attribute, value, allowed) = attributes.disallowedValue {
      let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
      throw .invalidArgument(
        "Value for attr '\(attribute)' of \"\(value)\" is not in the list of allowed values: \(list)\n\t; NodeDef: "
          + "{{node \(target.opName)}}")
    }
    try checkConstruction(target, attributes)
    guard sizesTensor.rank == 1, sizesTensor.scalarCount == 4 else {
      throw .invalidArgument(
        "\(target.opName): \(target.sizesName) must be a vector of 4 elements, got shape "
          + Shape.describe(sizesTensor.shape))
    }
    let sizes = sizesTensor.int64s.map { Int($0) }
    if let negative = sizes.first(where: { $0 < 0 }) {
      throw .invalidArgument("Dimension \(negative) must be >= 0")
    }
    let padding: Conv2D.Padding =
      switch attributes.padding {
      case "SAME": .same
      case "VALID": .valid
      default: .explicit(attributes.explicitPaddings)
      }
    let (inputShape, filterShape) = target == .input ? (sizes, operand.shape) : (operand.shape, sizes)
    let geometry = try Conv2D.Geometry(
      inputShape: inputShape, filterShape: filterShape, strides: attributes.strides, dilations: attributes.dilations,
      padding: padding)
    try checkOutBackprop(target, outBackprop.shape, geometry)
    switch operand.dtype {
    case .float32: return try run(target, operand, outBackprop, geometry, GEMM<Float>.blas)
    case .float64: return try run(target, operand, outBackprop, geometry, GEMM<Double>.blas)
    default:
      throw .unsupported(
        "\(target.opName) on \(operand.dtype.name) tensors (its float32 and float64 kernels are modelled)")
    }
  }

  /// The checks TF's CPU kernels (`Conv2DCustomBackpropInputOp`, `…FilterOp`) make when they
  /// are built, in their order: NHWC only, the strides, then dilations, which the CPU kernels
  /// refuse above 1 (TensorCore's kernels could compute them; TF 2.21 does not), then the
  /// explicit paddings.
  static func checkConstruction(_ target: Target, _ attributes: Conv2DAttributes) throws(TensorError) {
    guard !attributes.channelsFirst else {
      throw .invalidArgument(
        "Conv2DCustom\(target == .input ? "BackpropInput" : "BackpropFilter")Op only supports NHWC.")
    }
    let (strides, dilations) = (attributes.strides, attributes.dilations)
    guard strides.count == 4 else {
      throw .invalidArgument("Sliding window strides field must specify 4 dimensions")
    }
    guard strides[0] == 1, strides[3] == 1 else {
      throw .unimplemented("Current implementation does not yet support strides in the batch and depth dimensions.")
    }
    guard dilations.count == 4 else {
      throw .invalidArgument("Sliding window dilations field must specify 4 dimensions")
    }
    guard dilations.allSatisfy({ $0 == 1 }) else {
      throw .invalidArgument("Current CPU implementations do not yet support dilation rates larger than 1.")
    }
    if let message = Convolution.explicitPaddingProblem(attributes) { throw .invalidArgument(message) }
  }

  /// TF's check that `out_backprop` has the forward convolution's output shape, with its
  /// message for a spatial size that differs.
  static func checkOutBackprop(_ target: Target, _ shape: [Int], _ g: Conv2D.Geometry) throws(TensorError) {
    let name = "Conv2DCustom" + (target == .input ? "BackpropInput" : "BackpropFilter")
    guard shape.count == 4 else {
      throw .invalidArgument("\(name): out_backprop must be 4-dimensional")
    }
    guard shape[0] == g.batch else {
      throw .invalidArgument("\(name): input and out_backprop must have the same batch size")
    }
    let spatial = [
      (1, g.inputHeight, g.filterHeight, g.outputHeight, g.strideHeight, g.dilationHeight),
      (2, g.inputWidth, g.filterWidth, g.outputWidth, g.strideWidth, g.dilationWidth),
    ]
    for (dimension, input, filter, computed, stride, dilation) in spatial where shape[dimension] != computed {
      throw .invalidArgument(
        "\(name): Size of out_backprop doesn't match computed: actual = \(shape[dimension]), computed = \(computed) "
          + "spatial_dim: \(dimension) input: \(input) filter: \(filter) output: \(shape[dimension]) "
          + "stride: \(stride) dilation: \(dilation)")
    }
    guard shape[3] == g.outputDepth else {
      throw .invalidArgument("\(name): filter and out_backprop must have the same out_depth")
    }
  }

  /// A new tensor of the gradient's shape filled by TensorCore's backprop kernel.
  private static func run<T: TensorElement & BinaryFloatingPoint>(
    _ target: Target, _ operand: Tensor, _ outBackprop: Tensor, _ geometry: Conv2D.Geometry, _ gemm: GEMM<T>
  ) throws(TensorError) -> Tensor {
    let shape = target == .input ? geometry.inputShape : geometry.filterShape
    let (result, gradient) = try Tensor.uninitialized(T.self, shape: shape)
    try operand.withUnsafeBufferPointer(as: T.self) { a throws(TensorError) in
      try outBackprop.withUnsafeBufferPointer(as: T.self) { dy throws(TensorError) in
        guard let a = a.baseAddress, let dy = dy.baseAddress else {
          preconditionFailure("tensor buffers always have storage")
        }
        if target == .input {
          try Conv2D.backpropInput(filter: a, outBackprop: dy, inputGradient: gradient, geometry: geometry, gemm: gemm)
        } else {
          try Conv2D.backpropFilter(input: a, outBackprop: dy, filterGradient: gradient, geometry: geometry, gemm: gemm)
        }
      }
    }
    return result
  }
}

extension OpDefinition {
  /// The gradient of `Conv2D` with respect to its input, of the shape `input_sizes` (an int32
  /// vector of 4) holds: `out_backprop · filterᵀ` scattered back through the windows (col2im).
  /// float32 and float64 are modelled; NCHW is unimplemented on the CPU, as for `Conv2D`.
  public static let conv2DBackpropInput = OpDefinition(
    "Conv2DBackpropInput", gradient: .rule(ConvolutionBackprop.BackpropInputGradient.self),
    infer: { inputs, attributes throws(OpError) in
      try ConvolutionBackprop.infer(.input, inputs, Conv2DAttributes(attributes))
    },
    kernel: { inputs, attributes throws(TensorError) in
      [try ConvolutionBackprop.kernel(.input, inputs, Conv2DAttributes(attributes))]
    })

  /// The gradient of `Conv2D` with respect to its filter, of the shape `filter_sizes` (an
  /// int32 vector of 4) holds: `im2col(input)ᵀ · out_backprop`.
  public static let conv2DBackpropFilter = OpDefinition(
    "Conv2DBackpropFilter", gradient: .rule(ConvolutionBackprop.BackpropFilterGradient.self),
    infer: { inputs, attributes throws(OpError) in
      try ConvolutionBackprop.infer(.filter, inputs, Conv2DAttributes(attributes))
    },
    kernel: { inputs, attributes throws(TensorError) in
      [try ConvolutionBackprop.kernel(.filter, inputs, Conv2DAttributes(attributes))]
    })
}

// MARK: - Gradients (TF's nn_grad.py)

extension Convolution {
  /// `_Conv2DGrad`: `Conv2DBackpropInput(shape(input), filter, grad)` and
  /// `Conv2DBackpropFilter(input, shape(filter), grad)`, with the op's attributes.
  enum Conv2DGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, w) = (g.inputs[0], g.inputs[1])
      let (inputShape, filterShape) = (try g.shapeVector(x), try g.shapeVector(w))
      let attributes = g.op.attributes
      return [
        try g.emit(.conv2DBackpropInput, inputShape, w, g.grad, attributes: attributes),
        try g.emit(.conv2DBackpropFilter, x, filterShape, g.grad, attributes: attributes),
      ]
    }
  }
}

extension ConvolutionBackprop {
  /// `_Conv2DBackpropInputGrad`: the sizes have none; the filter's is
  /// `Conv2DBackpropFilter(grad, shape(filter), out_backprop)`, the output gradient's
  /// `Conv2D(grad, filter)`.
  enum BackpropInputGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (w, dy) = (g.inputs[1], g.inputs[2])
      let attributes = g.op.attributes
      return [
        nil,
        try g.emit(.conv2DBackpropFilter, g.grad, try g.shapeVector(w), dy, attributes: attributes),
        try g.emit(.conv2D, g.grad, w, attributes: attributes),
      ]
    }
  }

  /// `_Conv2DBackpropFilterGrad`: the input's is `Conv2DBackpropInput(shape(input), grad,
  /// out_backprop)`, the sizes have none, the output gradient's is `Conv2D(input, grad)`.
  enum BackpropFilterGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (x, dy) = (g.inputs[0], g.inputs[2])
      let attributes = g.op.attributes
      return [
        try g.emit(.conv2DBackpropInput, try g.shapeVector(x), g.grad, dy, attributes: attributes),
        nil,
        try g.emit(.conv2D, x, g.grad, attributes: attributes),
      ]
    }
  }
}
