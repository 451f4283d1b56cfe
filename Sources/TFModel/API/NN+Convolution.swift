import Operations
import PythonRuntime
import TensorCore

/// `tf.nn.conv2d` and `tf.compat.v1.nn.conv2d`: nn_ops's argument handling (`filter`/`filters`,
/// `convert_padding`, `_get_sequence`), then gen_nn_ops's attribute conversion, then `Conv2D`.
extension TFRuntime {
  /// The conv2d functions of `tf.nn` (TF2's `conv2d_v2`) or `tf.compat.v1.nn` (TF1's `conv2d`).
  func conv2dFunction(_ api: String, v1: Bool) -> PyValue {
    let signature: [Arguments.Parameter] =
      v1
      ? [
        .required("input"), .optional("filter"), .optional("strides"), .optional("padding"),
        .optional("use_cudnn_on_gpu"), .optional("data_format"), .optional("dilations"), .optional("name"),
        .optional("filters"),
      ]
      : [
        .required("input"), .required("filters"), .required("strides"), .required("padding"),
        .optional("data_format"), .optional("dilations"), .optional("name"),
      ]
    return function(api, signature) { [unowned self] bound, _ throws(RuntimeError) in
      var filter = bound["filters"]
      var useCudnnOnGPU: PyValue = .bool(true)
      if v1 {
        // deprecation.deprecated_argument_lookup("filters", filters, "filter", filter)
        if case .none = bound["filter"] {
        } else {
          if case .none = filter {} else { throw .valueError("Cannot specify both 'filter' and 'filters'.") }
          filter = bound["filter"]
        }
        useCudnnOnGPU = bound["use_cudnn_on_gpu"]
      }
      return try self.conv2d(
        bound["input"], filter, strides: bound["strides"], padding: bound["padding"], useCudnnOnGPU: useCudnnOnGPU,
        dataFormat: bound["data_format"], dilations: bound["dilations"], name: bound["name"])
    }
  }

  /// nn_ops.conv2d from its `convert_padding` on.
  private func conv2d(
    _ input: PyValue, _ filter: PyValue, strides: PyValue, padding: PyValue, useCudnnOnGPU: PyValue,
    dataFormat: PyValue, dilations: PyValue, name: PyValue
  ) throws(RuntimeError) -> PyValue {
    let (paddingValue, explicitPaddings) = try Self.convertPadding(padding)
    let format: String
    switch dataFormat {
    case .none: format = "NHWC"
    case let .string(text): format = text
    default: throw .exception("AttributeError", "'\(dataFormat.typeName)' object has no attribute 'startswith'")
    }
    let channelsFirst = format.hasPrefix("NC")
    let strideValues = try Self.sequence(strides, name: "strides", channelsFirst: channelsFirst)
    let dilationValues = try Self.sequence(dilations, name: "dilations", channelsFirst: channelsFirst)

    // `input.shape`: tensors and NumPy values have one, Python values do not.
    let rank: Int?
    switch input {
    case let .object(tensor as TensorValue): rank = tensor.spec.rank
    case let .object(array as NDArray): rank = array.value.rank
    default: throw .exception("AttributeError", "'\(input.typeName)' object has no attribute 'shape'")
    }
    if let rank, rank > 4 {
      throw .unsupported("tf.nn.conv2d on a rank-\(rank) input (batch dimensions before the last three)")
    }

    // gen_nn_ops.conv2d converts the attributes before the inputs.
    let attributes = OpAttributes.conv2D(
      strides: try strideValues.map { item throws(RuntimeError) in try Self.attributeInt(item, "strides") },
      padding: try Self.attributeString(paddingValue, "padding"),
      explicitPaddings: try explicitPaddings.map { item throws(RuntimeError) in
        try Self.attributeInt(item, "explicit_paddings")
      },
      dilations: try dilationValues.map { item throws(RuntimeError) in try Self.attributeInt(item, "dilations") },
      dataFormat: format,
      useCudnnOnGPU: try Self.attributeBool(useCudnnOnGPU, "use_cudnn_on_gpu"))

    let graph = try graphFor([input, filter])
    if case .none = filter {
      throw .valueError(
        graph == nil
          ? "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor."
          : "Tried to convert 'filter' to a tensor and failed. Error: None values not supported.")
    }
    let baseName: String
    switch name {
    case .none: baseName = "Conv2D"
    case let .string(given): baseName = given
    default: throw .unsupported("a '\(name.typeName)' value as `name`")
    }
    let scope = scopeName(baseName, graph: graph)
    let (x, w) = try convertInputs(
      input, filter, rule: .sharedType, opName: "Conv2D", graph: graph, scope: scope, parameters: ("input", "filter"))
    return try apply(Op(.conv2D, attributes), [x, w], name: scope, graph: graph, nameIsUnique: true)
  }

  /// nn_ops.convert_padding: a padding string passes unchanged; a list of 4 `[before, after]`
  /// pairs becomes `EXPLICIT` and the flattened pairs.
  static func convertPadding(_ padding: PyValue) throws(RuntimeError) -> (PyValue, [PyValue]) {
    if case .string("EXPLICIT") = padding {
      throw .valueError(
        "'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a list.")
    }
    let pairs: [PyValue]
    switch padding {
    case let .list(list): pairs = list.items
    case let .tuple(items): pairs = items
    case .object(is NDArray), .object(is TensorValue): throw .unsupported("an array or tensor as `padding`")
    default: return (padding, [])
    }
    var explicit: [PyValue] = []
    for (index, pair) in pairs.enumerated() {
      let values: [PyValue]
      switch pair {
      case let .list(list): values = list.items
      case let .tuple(items): values = items
      default:
        throw .valueError(
          "When `padding` is a list, each element of `padding` must be a list/tuple of size 2. Received: "
            + "padding=\(padding.str) with element at index \(index) of type <class '\(pair.typeName)'>"
        )
      }
      guard values.count == 2 else {
        throw .valueError(
          "When `padding` is a list, each element of `padding` must be a list/tuple of size 2. Received: "
            + "padding=\(padding.str) with element at index \(index) of size \(values.count)"
        )
      }
      explicit += values
    }
    guard pairs.count == 4 else {
      throw .valueError(
        "When padding is a list, it must be of size 4. Received: padding=\(padding.str) of size \(pairs.count)")
    }
    return (.string("EXPLICIT"), explicit)
  }

  /// nn_ops._get_sequence for two spatial dimensions: None is all ones; one value is used
  /// for both rows and columns; two are rows and columns; four are taken as they are. Batch
  /// and channel entries (1) are added where `data_format` puts them.
  static func sequence(_ value: PyValue, name: String, channelsFirst: Bool) throws(RuntimeError) -> [PyValue] {
    var items: [PyValue]
    switch value {
    case .none: return Array(repeating: .int(1), count: 4)
    case let .list(list): items = list.items
    case let .tuple(tuple): items = tuple
    // `list(value)` of a string is its characters.
    case let .string(text): items = text.map { .string(String($0)) }
    case let .object(array as NDArray) where array.value.rank == 1 && array.value.dtype != .string:
      items = array.value.doubles.map { array.value.dtype.isFloatingPoint ? .float($0) : .int(Int($0)) }
    case .int, .bool, .float: items = [value]
    case let .object(array as NDArray) where array.value.rank == 0 && !array.isZeroDimensionalArray: items = [value]
    default: throw .unsupported("a '\(value.typeName)' value as `\(name)`")
    }
    switch items.count {
    case 4: return items
    case 1: items += items
    case 2: break
    default:
      throw .valueError(
        "\(name) should be of length 1, 2 or 4. Received: \(name)=\(PyValue.list(PyList(items)).str) of length "
          + "\(items.count)"
      )
    }
    return channelsFirst ? [.int(1), .int(1)] + items : [.int(1)] + items + [.int(1)]
  }

  /// `_execute.make_int`: Python's `int(value)`, refusing strings.
  static func attributeInt(_ value: PyValue, _ name: String) throws(RuntimeError) -> Int {
    let refused = RuntimeError.typeError("Expected int for argument '\(name)' not \(value.repr).")
    switch value {
    case let .int(number): return number
    case let .bool(flag): return flag ? 1 : 0
    case let .float(number):
      if number.isNaN { throw refused }
      guard number.isFinite else { throw .exception("OverflowError", "cannot convert float infinity to integer") }
      guard let truncated = Int(exactly: number.rounded(.towardZero)) else {
        throw .unsupported("an integer attribute beyond 64 bits")
      }
      return truncated
    case let .object(array as NDArray) where array.value.rank == 0 && array.value.dtype != .string:
      return try attributeInt(
        array.value.dtype.isFloatingPoint ? .float(array.value.doubles[0]) : .int(array.value.integers[0]), name)
    default: throw refused
    }
  }

  /// `_execute.make_str`: the value must be a string.
  static func attributeString(_ value: PyValue, _ name: String) throws(RuntimeError) -> String {
    guard case let .string(text) = value else {
      throw .typeError("Expected string for argument '\(name)' not \(value.repr).")
    }
    return text
  }

  /// `_execute.make_bool`: the value must be a bool (None takes the op's default, true).
  static func attributeBool(_ value: PyValue, _ name: String) throws(RuntimeError) -> Bool {
    switch value {
    case let .bool(flag): return flag
    case .none: return true
    default: throw .typeError("Expected bool for argument '\(name)' not \(value.repr).")
    }
  }
}
