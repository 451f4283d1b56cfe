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
///
/// An op has a handful of attributes and every eager op builds and reads them, so they are
/// kept as pairs and found by comparing names, with no hashing.
public struct OpAttributes: Sendable, Equatable {
  private var pairs: [(name: String, value: AttrValue)]

  /// Attributes from name–value pairs (a later pair for a name replaces an earlier one).
  public init(_ pairs: KeyValuePairs<String, AttrValue> = [:]) {
    self.pairs = []
    self.pairs.reserveCapacity(pairs.count)
    for (name, value) in pairs { self[name] = value }
  }

  /// The value of an attribute, or nil when it is not set.
  public subscript(name: String) -> AttrValue? {
    get { pairs.first { $0.name == name }?.value }
    set {
      let index = pairs.firstIndex { $0.name == name }
      switch (index, newValue) {
      case let (index?, value?): pairs[index].value = value
      case let (index?, nil): pairs.remove(at: index)
      case let (nil, value?): pairs.append((name, value))
      case (nil, nil): break
      }
    }
  }

  /// The same attributes, whatever order they were set in.
  public static func == (lhs: OpAttributes, rhs: OpAttributes) -> Bool {
    lhs.pairs.count == rhs.pairs.count && lhs.pairs.allSatisfy { rhs[$0.name] == $0.value }
  }

  /// A bool attribute; `false` when unset.
  public func bool(_ name: String) -> Bool {
    if case let .bool(value) = self[name] { return value }
    return false
  }

  /// An int list attribute, or nil when unset.
  public func ints(_ name: String) -> [Int]? {
    if case let .ints(value) = self[name] { return value }
    return nil
  }

  /// A type attribute, or nil when unset.
  public func type(_ name: String) -> DType? {
    if case let .type(value) = self[name] { return value }
    return nil
  }

  /// A tensor attribute, or nil when unset.
  public func tensor(_ name: String) -> Tensor? {
    if case let .tensor(value) = self[name] { return value }
    return nil
  }

  /// A string attribute, or nil when unset.
  public func string(_ name: String) -> String? {
    if case let .string(value) = self[name] { return value }
    return nil
  }
}
