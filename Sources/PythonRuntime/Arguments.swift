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
  ///
  /// Every API call binds, so this hashes nothing: signatures are short, and names are
  /// matched by comparing them.
  public func bind(_ function: String, _ signature: [Parameter]) throws(RuntimeError) -> BoundArguments {
    precondition(signature.count <= BoundArguments.maxParameters, "\(function): too many parameters")
    guard positional.count <= signature.count else {
      let required = signature.filter { $0.defaultValue == nil }.count
      let takes = required == signature.count ? "\(signature.count)" : "from \(required) to \(signature.count)"
      let given = "\(positional.count) \(positional.count == 1 ? "was" : "were") given"
      throw .typeError(
        "\(function)() takes \(takes) positional argument\(signature.count == 1 ? "" : "s") but \(given)")
    }
    for (index, keyword) in keywords.enumerated() {
      guard let parameter = signature.firstIndex(where: { $0.name == keyword.name }) else {
        throw .typeError("\(function)() got an unexpected keyword argument '\(keyword.name)'")
      }
      guard parameter >= positional.count, !keywords[..<index].contains(where: { $0.name == keyword.name }) else {
        throw .typeError("\(function)() got multiple values for argument '\(keyword.name)'")
      }
    }
    var values = positional
    values.reserveCapacity(signature.count)
    var defaulted: UInt64 = 0
    var missing: [String] = []
    for index in positional.count..<signature.count {
      let parameter = signature[index]
      if let keyword = keywords.first(where: { $0.name == parameter.name }) {
        values.append(keyword.value)
      } else if let defaultValue = parameter.defaultValue {
        values.append(defaultValue)
        defaulted |= 1 << UInt64(index)
      } else {
        missing.append(parameter.name)
        values.append(.none)
      }
    }
    if !missing.isEmpty {
      let names = missing.map { "'\($0)'" }
      let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
      throw .typeError(
        "\(function)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
    }
    return BoundArguments(function: function, signature: signature, values: values, defaultedMask: defaulted)
  }

  /// One parameter of a signature.
  public struct Parameter: Sendable {
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
  /// The most parameters a signature may have (one bit each in the defaulted mask).
  public static let maxParameters = 64

  /// The function the arguments were bound for, for messages.
  public let function: String
  /// The signature bound to.
  private let signature: [Arguments.Parameter]
  /// The value of each parameter, in signature order.
  private let slots: [PyValue]
  /// Bit `i` is set when parameter `i` took its default.
  public let defaultedMask: UInt64

  init(function: String, signature: [Arguments.Parameter], values: [PyValue], defaultedMask: UInt64) {
    self.function = function
    self.signature = signature
    self.slots = values
    self.defaultedMask = defaultedMask
  }

  /// Makes a binding directly (for callers that adjust one).
  public init(function: String, values: [String: PyValue], defaulted: [String]) {
    let names = values.keys.sorted()
    var mask: UInt64 = 0
    for (index, name) in names.enumerated() where defaulted.contains(name) { mask |= 1 << UInt64(index) }
    self.init(
      function: function, signature: names.map { .required($0) }, values: names.map { values[$0]! },
      defaultedMask: mask)
  }

  /// The same binding counting only the parameters whose bits are set in `mask` as defaulted.
  public func keepingDefaulted(_ mask: UInt64) -> BoundArguments {
    BoundArguments(function: function, signature: signature, values: slots, defaultedMask: defaultedMask & mask)
  }

  /// The bits of the parameters of `signature` that `names` names.
  public static func mask(of names: Set<String>, in signature: [Arguments.Parameter]) -> UInt64 {
    var mask: UInt64 = 0
    for (index, parameter) in signature.enumerated() where names.contains(parameter.name) {
      mask |= 1 << UInt64(index)
    }
    return mask
  }

  /// Parameters that took their default, in signature order.
  public var defaulted: [String] {
    guard defaultedMask != 0 else { return [] }
    return signature.indices.filter { defaultedMask & (1 << UInt64($0)) != 0 }.map { signature[$0].name }
  }

  /// The value of a parameter, or nil when the signature has no such parameter.
  public func value(_ name: String) -> PyValue? {
    signature.firstIndex { $0.name == name }.map { slots[$0] }
  }

  /// The value of a parameter of the signature.
  public subscript(_ name: String) -> PyValue {
    guard let value = value(name) else {
      preconditionFailure("\(name) is not a parameter of \(function)")
    }
    return value
  }
}
