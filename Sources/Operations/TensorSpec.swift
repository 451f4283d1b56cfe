import TensorCore

/// What is known about a tensor before it is computed: its dtype and a shape whose
/// dimensions (or whole rank) may be unknown, as in a graph built from placeholders.
public struct TensorSpec: Sendable, Equatable {
  /// The element type, always known.
  public var dtype: DType
  /// Dimension sizes, nil where unknown; nil altogether when even the rank is unknown.
  public var shape: [Int?]?
  /// The value itself, when it is a small integer constant known while the graph is built (a
  /// shape, axes): what TF's shape functions read through `constant_value`.
  public var value: Tensor?

  /// The largest constant whose value specs carry.
  public static let maxConstantValue = 1024

  /// A spec that also carries a constant's value, when it is a small integer tensor.
  public init(constant tensor: Tensor) {
    self.init(of: tensor)
    if tensor.dtype.isInteger && tensor.scalarCount <= Self.maxConstantValue { value = tensor }
  }

  /// A spec with a fully known shape.
  public init(dtype: DType, shape: [Int]) {
    self.dtype = dtype
    self.shape = shape.map { $0 }
  }

  /// A spec with a partly known shape.
  public init(dtype: DType, partialShape: [Int?]?) {
    self.dtype = dtype
    self.shape = partialShape
  }

  /// The spec of a computed tensor.
  public init(of tensor: Tensor) {
    self.init(dtype: tensor.dtype, shape: tensor.shape)
  }

  /// The shape, when every dimension is known.
  public var knownShape: [Int]? {
    guard let shape, shape.allSatisfy({ $0 != nil }) else { return nil }
    return shape.map { $0! }
  }

  /// The rank, when known.
  public var rank: Int? { shape?.count }

  /// `(2, None)` as TensorFlow prints a `TensorShape`; `<unknown>` for unknown rank.
  public var shapeDescription: String {
    guard let shape else { return "<unknown>" }
    return Shape.pythonTuple(shape)
  }

  /// `[2,?]` as TensorFlow's C++ layer prints a shape in error messages.
  public var bracketedShape: String {
    guard let shape else { return "?" }
    return "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ",") + "]"
  }

  /// Whether a concrete tensor fits this spec (for `feed_dict`).
  public func accepts(_ tensorShape: [Int]) -> Bool {
    guard let shape else { return true }
    return shape.count == tensorShape.count
      && zip(shape, tensorShape).allSatisfy { $0.0 == nil || $0.0 == $0.1 }
  }
}
