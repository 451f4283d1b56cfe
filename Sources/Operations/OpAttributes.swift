import TensorCore

/// One attribute value of an op, typed as TensorFlow's `AttrValue` is.
public enum AttrValue: Sendable, Equatable {
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case type(DType)
  case ints([Int])
  case tensor(Tensor)
}

/// An op's attributes by name (`transpose_a`, `keep_dims`, `DstT`); what a graph node
/// records with its op and what the op's inference and kernel read.
public struct OpAttributes: Sendable, Equatable {
  private var values: [String: AttrValue]

  /// Attributes from name–value pairs.
  public init(_ values: [String: AttrValue] = [:]) { self.values = values }

  /// The value of an attribute, or nil when it is not set.
  public subscript(name: String) -> AttrValue? {
    get { values[name] }
    set { values[name] = newValue }
  }

  /// A bool attribute; `false` when unset.
  public func bool(_ name: String) -> Bool {
    if case let .bool(value) = values[name] { return value }
    return false
  }

  /// An int list attribute, or nil when unset.
  public func ints(_ name: String) -> [Int]? {
    if case let .ints(value) = values[name] { return value }
    return nil
  }

  /// A type attribute, or nil when unset.
  public func type(_ name: String) -> DType? {
    if case let .type(value) = values[name] { return value }
    return nil
  }

  /// A tensor attribute, or nil when unset.
  public func tensor(_ name: String) -> Tensor? {
    if case let .tensor(value) = values[name] { return value }
    return nil
  }

  /// A string attribute, or nil when unset.
  public func string(_ name: String) -> String? {
    if case let .string(value) = values[name] { return value }
    return nil
  }
}
