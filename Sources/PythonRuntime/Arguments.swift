/// The arguments of one call: positional values, then `name=value` keywords in call order.
public struct Arguments {
  /// Positional arguments.
  public var positional: [PyValue]
  /// Keyword arguments, in the order written.
  public var keywords: [(name: String, value: PyValue)]

  /// Makes an argument list.
  public init(_ positional: [PyValue] = [], keywords: [(name: String, value: PyValue)] = []) {
    self.positional = positional
    self.keywords = keywords
  }

  /// Binds these arguments to a signature the way Python does, raising Python's `TypeError`
  /// messages for missing, surplus or unknown arguments. The result remembers which
  /// parameters took their default, so reports can name the defaults behind a difference.
  public func bind(_ function: String, _ signature: [Parameter]) throws(RuntimeError) -> BoundArguments {
    guard positional.count <= signature.count else {
      let required = signature.filter { $0.defaultValue == nil }.count
      let takes = required == signature.count ? "\(signature.count)" : "from \(required) to \(signature.count)"
      throw .typeError(
        "\(function)() takes \(takes) positional argument\(signature.count == 1 ? "" : "s") but \(positional.count) \(positional.count == 1 ? "was" : "were") given")
    }
    var values: [String: PyValue] = [:]
    for (parameter, value) in zip(signature, positional) { values[parameter.name] = value }
    for (name, value) in keywords {
      guard signature.contains(where: { $0.name == name }) else {
        throw .typeError("\(function)() got an unexpected keyword argument '\(name)'")
      }
      guard values[name] == nil else {
        throw .typeError("\(function)() got multiple values for argument '\(name)'")
      }
      values[name] = value
    }
    var defaulted: [String] = []
    var missing: [String] = []
    for parameter in signature where values[parameter.name] == nil {
      if let defaultValue = parameter.defaultValue {
        values[parameter.name] = defaultValue
        defaulted.append(parameter.name)
      } else {
        missing.append(parameter.name)
      }
    }
    if !missing.isEmpty {
      let names = missing.map { "'\($0)'" }
      let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
      throw .typeError(
        "\(function)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
    }
    return BoundArguments(function: function, values: values, defaulted: defaulted)
  }

  /// One parameter of a signature.
  public struct Parameter {
    /// The parameter's name.
    public var name: String
    /// Its default, or nil when the argument is required.
    public var defaultValue: PyValue?

    /// A required parameter.
    public static func required(_ name: String) -> Parameter { Parameter(name: name, defaultValue: nil) }
    /// A parameter with a default.
    public static func optional(_ name: String, _ value: PyValue = .none) -> Parameter {
      Parameter(name: name, defaultValue: value)
    }
  }
}

/// Arguments bound to a signature: every parameter has a value, and those that were not
/// passed are listed as defaulted.
public struct BoundArguments {
  /// The function the arguments were bound for, for messages.
  public let function: String
  /// The value of each parameter.
  public let values: [String: PyValue]
  /// Parameters that took their default, in signature order.
  public let defaulted: [String]

  /// Makes a binding directly (for callers that adjust one).
  public init(function: String, values: [String: PyValue], defaulted: [String]) {
    self.function = function
    self.values = values
    self.defaulted = defaulted
  }

  /// The value of a parameter of the signature.
  public subscript(_ name: String) -> PyValue {
    guard let value = values[name] else {
      preconditionFailure("\(name) is not a parameter of \(function)")
    }
    return value
  }

}
