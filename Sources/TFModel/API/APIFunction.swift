import Operations
import PythonRuntime
import TensorCore

/// Real module names (`__name__`) of the modules Lockstep implements members of.
enum ModuleName {
  static let tf = "tensorflow"
  static let tfMath = "tensorflow._api.v2.math"
  static let v1 = "tensorflow._api.v2.compat.v1"
  static let v1Math = "tensorflow._api.v2.compat.v1.math"
  static let v1Train = "tensorflow._api.v2.compat.v1.train"
  static let v1Nn = "tensorflow._api.v2.compat.v1.nn"
  static let tfNn = "tensorflow._api.v2.nn"
  static let keras = "keras._tf_keras.keras"
  static let kerasMetrics = "keras._tf_keras.keras.metrics"
  static let kerasLosses = "keras._tf_keras.keras.losses"
  static let kerasOptimizers = "keras._tf_keras.keras.optimizers"
  static let numpy = "numpy"
}

extension TFRuntime {
  /// Wraps an API implementation: binds arguments to the signature as Python does, with
  /// defaults from the profile table, records which arguments that change numbers (such as
  /// `epsilon` or `dtype`) were left to their defaults, then runs `body`.
  func function(
    _ api: String, _ parameters: [Arguments.Parameter],
    _ body: @escaping (BoundArguments, CallContext) throws(RuntimeError) -> PyValue
  ) -> PyValue {
    let (signature, reported) = resolvedSignature(api, parameters)
    let reportedMask = BoundArguments.mask(of: reported, in: signature)
    let shortName = api.split(separator: ".").last.map(String.init) ?? api
    return .builtin(
      BuiltinFunction(api) { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind(shortName, signature)
        context.recordDefaults(api: api, bound.keepingDefaulted(reportedMask), describe: \.repr)
        return try body(bound, context)
      })
  }
}

extension TFRuntime {
  /// Declares one Python API under every path it has (`tf.add`, `tf.math.add`,
  /// `tf.compat.v1.add` …): one signature and one body, registered in each path's module
  /// and reported under the spelling the program used. Each path's module is resolved
  /// through the profile's API table, so a path the real TF does not have is refused.
  func declare(
    _ paths: [String], _ parameters: [Arguments.Parameter],
    _ body: @escaping (BoundArguments, CallContext) throws(RuntimeError) -> PyValue
  ) {
    for path in paths {
      guard let dot = path.lastIndex(of: ".") else { preconditionFailure("\(path) names no module") }
      let module = String(path[..<dot])
      let dotted = module.hasPrefix("np") ? "numpy" + module.dropFirst(2) : "tensorflow" + module.dropFirst(2)
      guard let realModule = api.resolveModule(dotted) else {
        unknownImplementations.append(path)
        continue
      }
      register(realModule, [String(path[path.index(after: dot)...]): function(path, parameters, body)])
    }
  }
}

extension BoundArguments {
  /// A Python bool argument.
  func bool(_ name: String) throws(RuntimeError) -> Bool {
    switch self[name] {
    case let .bool(b): return b
    case let .int(i): return i != 0
    case .none: return false
    default: throw .typeError("Expected bool for argument '\(name)' not \(self[name].repr).")
    }
  }

  /// A Python float argument (ints accepted).
  func double(_ name: String) throws(RuntimeError) -> Double {
    switch self[name] {
    case let .float(f): return f
    case let .int(i): return Double(i)
    default: throw .typeError("Expected float for argument '\(name)' not \(self[name].repr).")
    }
  }

  /// An optional axis list: None, an int, or a list/tuple of ints.
  func axes(_ name: String) throws(RuntimeError) -> [Int]? {
    switch self[name] {
    case .none: return nil
    case let .int(i): return [i]
    case let .list(list): return try list.items.map { item throws(RuntimeError) in try Self.integer(item, name) }
    case let .tuple(items): return try items.map { item throws(RuntimeError) in try Self.integer(item, name) }
    case let .object(array as NDArray) where array.value.dtype.isInteger: return array.value.integers
    case let .object(tensor as EagerTensor) where tensor.value.dtype.isInteger: return tensor.value.integers
    default: throw .unsupported("a '\(self[name].typeName)' value as `\(name)`")
    }
  }

  /// A shape argument: a list or tuple of ints (None for unknown where `allowUnknown`).
  func shape(_ name: String, allowUnknown: Bool) throws(RuntimeError) -> [Int?]? {
    let items: [PyValue]
    switch self[name] {
    case .none: return nil
    case let .list(list): items = list.items
    case let .tuple(tuple): items = tuple
    case let .int(i): items = [.int(i)]
    case let .object(shape as TensorShapeObject): return shape.dims
    default:
      throw .typeError(
        "Dimension value must be integer or None or have an __index__ method, got value '\(self[name].repr)' with "
          + "type '\(self[name].typeName)'"
      )
    }
    var dims: [Int?] = []
    for item in items {
      switch item {
      case let .int(i) where i >= (allowUnknown ? -1 : 0): dims.append(i == -1 ? nil : i)
      case .none where allowUnknown: dims.append(nil)
      default:
        throw .typeError(
          "Dimension value must be integer or None or have an __index__ method, got value '\(item.repr)' with type "
            + "'\(item.typeName)'"
        )
      }
    }
    try TFRuntime.checkSize(TensorSpec(dtype: .float32, partialShape: dims))
    return dims
  }

  private static func integer(_ value: PyValue, _ name: String) throws(RuntimeError) -> Int {
    guard case let .int(i) = value else {
      throw .typeError(
        "Value passed to parameter '\(name)' has DataType \(value.typeName) not in list of allowed values: int32, int64"
      )
    }
    return i
  }
}
