import TensorCore

/// Convolution ops.
enum Convolution {
  static let ops: [OpDefinition] = [.conv2D]
}

/// The attributes of a `Conv2D` node, with TensorFlow's defaults for those left unset.
///
/// `strides`, `dilations` and `explicit_paddings` are in the order `data_format` names
/// (`NHWC` or `NCHW`), as TensorFlow keeps them.
struct Conv2DAttributes {
  /// The four strides, in data-format order.
  let strides: [Int]
  /// `SAME`, `VALID` or `EXPLICIT`.
  let padding: String
  /// With `EXPLICIT`, 8 values: before and after each dimension, in data-format order.
  let explicitPaddings: [Int]
  /// The four dilations, in data-format order (`[1, 1, 1, 1]` when unset).
  let dilations: [Int]
  /// `NHWC` (the default) or `NCHW`.
  let dataFormat: String
  /// Ignored on the CPU; shown in node descriptions.
  let useCudnnOnGPU: Bool

  /// The values `padding` may take.
  static let paddings = ["SAME", "VALID", "EXPLICIT"]
  /// The values `data_format` may take.
  static let dataFormats = ["NHWC", "NCHW"]

  init(_ attributes: OpAttributes) {
    strides = attributes.ints("strides") ?? []
    padding = attributes.string("padding") ?? ""
    explicitPaddings = attributes.ints("explicit_paddings") ?? []
    dilations = attributes.ints("dilations") ?? [1, 1, 1, 1]
    dataFormat = attributes.string("data_format") ?? "NHWC"
    if case let .bool(value) = attributes["use_cudnn_on_gpu"] { useCudnnOnGPU = value } else { useCudnnOnGPU = true }
  }

  /// Whether the layout is `NCHW` (channels before rows and columns).
  var channelsFirst: Bool { dataFormat == "NCHW" }

  /// The positions of the batch, row, column and channel dimensions in data-format order.
  var layout: (batch: Int, rows: Int, columns: Int, channels: Int) {
    channelsFirst ? (0, 2, 3, 1) : (0, 1, 2, 3)
  }

  /// `values` (one per dimension, in data-format order) reordered to NHWC; unchanged when
  /// there are not four of them.
  func nhwc<T>(_ values: [T]) -> [T] {
    guard channelsFirst, values.count == 4 else { return values }
    return [values[0], values[2], values[3], values[1]]
  }

  /// `explicit_paddings` reordered to NHWC, the order the kernel's geometry takes.
  var nhwcExplicitPaddings: [Int] {
    guard channelsFirst, explicitPaddings.count == 8 else { return explicitPaddings }
    let pairs = stride(from: 0, to: 8, by: 2).map { Array(explicitPaddings[$0..<$0 + 2]) }
    return nhwc(pairs).flatMap { $0 }
  }

  /// The first attribute whose string is not one TF's registry allows: its name, value and
  /// the allowed values.
  var disallowedValue: (attribute: String, value: String, allowed: [String])? {
    if !Self.paddings.contains(padding) { return ("padding", padding, Self.paddings) }
    if !Self.dataFormats.contains(dataFormat) { return ("data_format", dataFormat, Self.dataFormats) }
    return nil
  }

  /// `Conv2D[T=DT_FLOAT, data_format="NHWC", …]` as TF describes the node in messages.
  func nodeDescription(_ dtype: DType) -> String {
    func list(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }
    return "Conv2D[T=\(dtype.tfEnumName), data_format=\"\(dataFormat)\", dilations=\(list(dilations)), "
      + "explicit_paddings=\(list(explicitPaddings)), padding=\"\(padding)\", strides=\(list(strides)), "
      + "use_cudnn_on_gpu=\(useCudnnOnGPU)]"
  }
}

extension OpDefinition {
  /// A 2-D convolution of an image batch (`NHWC` or `NCHW`) with an `HWIO` filter, as
  /// TensorFlow 2.21's CPU kernel computes it: float16, float32 and float64 through
  /// TensorCore's im2col + GEMM kernel. TF's CPU kernel refuses `NCHW` (`UnimplementedError`)
  /// once the shapes pass its checks; int32 and bfloat16, which TF also runs, are unsupported.
  ///
  /// ```swift
  /// let attributes = OpAttributes.conv2D(strides: [1, 2, 2, 1], padding: "SAME")
  /// let y = try OpDefinition.conv2D(x, w, attributes: attributes)  // x [1,5,5,3], w [3,3,3,8] → y [1,3,3,8]
  /// ```
  public static let conv2D = OpDefinition(
    "Conv2D", gradient: .rule(Convolution.Conv2DGradient.self),
    infer: { inputs, attributes throws(OpError) in
      try Convolution.inferConv2D(inputs[0], inputs[1], Conv2DAttributes(attributes))
    },
    kernel: { inputs, attributes throws(TensorError) in
      [try Convolution.conv2D(inputs[0], inputs[1], Conv2DAttributes(attributes))]
    })
}

extension OpAttributes {
  /// The attributes of a `Conv2D` node; `strides`, `dilations` and `explicitPaddings` in
  /// `dataFormat` order.
  public static func conv2D(
    strides: [Int], padding: String, explicitPaddings: [Int] = [], dilations: [Int] = [1, 1, 1, 1],
    dataFormat: String = "NHWC", useCudnnOnGPU: Bool = true
  ) -> OpAttributes {
    OpAttributes([
      "strides": .ints(strides), "padding": .string(padding), "explicit_paddings": .ints(explicitPaddings),
      "dilations": .ints(dilations), "data_format": .string(dataFormat), "use_cudnn_on_gpu": .bool(useCudnnOnGPU),
    ])
  }
}

extension Convolution {
  /// TF's `NHWC`-only CPU kernel: its attribute checks and shape checks (in the kernel's
  /// geometry, in its order), an empty output or an input with no elements returned before
  /// any layout is refused, then the convolution.
  static func conv2D(_ input: Tensor, _ filter: Tensor, _ attributes: Conv2DAttributes) throws(TensorError) -> Tensor {
    guard input.dtype == filter.dtype else {
      throw .dtypeMismatch(op: "Conv2D", expected: input.dtype, actual: filter.dtype, inputIndex: 1)
    }
    if let (attribute, value, allowed) = attributes.disallowedValue {
      let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
      throw .invalidArgument(
        "Value for attr '\(attribute)' of \"\(value)\" is not in the list of allowed values: \(list)\n\t; NodeDef: "
          + "{{node Conv2D}}"
      )
    }
    if attributes.padding != "EXPLICIT" && !attributes.explicitPaddings.isEmpty {
      throw .invalidArgument("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT")
    }
    let padding: Conv2D.Padding =
      switch attributes.padding {
      case "SAME": .same
      case "VALID": .valid
      default: .explicit(attributes.nhwcExplicitPaddings)
      }
    let geometry = try Conv2D.Geometry(
      inputShape: input.rank == 4 ? attributes.nhwc(input.shape) : input.shape, filterShape: filter.shape,
      strides: attributes.nhwc(attributes.strides), dilations: attributes.nhwc(attributes.dilations), padding: padding)
    guard !attributes.channelsFirst else {
      let o = geometry.outputShape
      let shape = [o[0], o[3], o[1], o[2]]
      guard geometry.outputCount > 0, geometry.inputCount > 0 else {
        return try Tensor.zeros(shape: shape, dtype: input.dtype)
      }
      throw .unimplemented(
        "The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: NCHW")
    }
    switch input.dtype {
    case .float32:
      return try convolve(input, filter, geometry, Float.self) { x, w, y, g throws(TensorError) in
        try Conv2D.conv2d(input: x, filter: w, output: y, geometry: g)
      }
    case .float64:
      return try convolve(input, filter, geometry, Double.self) { x, w, y, g throws(TensorError) in
        try Conv2D.conv2d(input: x, filter: w, output: y, geometry: g)
      }
    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
      case .float16:
        return try convolve(input, filter, geometry, Float16.self) { x, w, y, g throws(TensorError) in
          try Conv2D.conv2d(input: x, filter: w, output: y, geometry: g)
        }
    #endif
    default:
      // TensorFlow's CPU kernel also takes int32 and bfloat16.
      throw .unsupported(
        "Conv2D on \(input.dtype.name) tensors (its float16, float32 and float64 kernels are modelled)")
    }
  }

  /// A new output tensor of `geometry`'s shape filled by `kernel` from the two inputs' elements.
  private static func convolve<T: TensorElement>(
    _ input: Tensor, _ filter: Tensor, _ geometry: Conv2D.Geometry, _ type: T.Type,
    _ kernel: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Conv2D.Geometry) throws(TensorError) -> Void
  ) throws(TensorError) -> Tensor {
    let (output, y) = try Tensor.uninitialized(T.self, shape: geometry.outputShape)
    try input.withUnsafeBufferPointer(as: T.self) { x throws(TensorError) in
      try filter.withUnsafeBufferPointer(as: T.self) { w throws(TensorError) in
        guard let x = x.baseAddress, let w = w.baseAddress else {
          preconditionFailure("tensor buffers always have storage")
        }
        try kernel(x, w, y, geometry)
      }
    }
    return output
  }
}
