/// The elements of a tensor, stored in row-major order in their own Swift type.
///
/// Each case wraps a Swift array, so a `Tensor` is a value type with copy-on-write storage.
public enum TensorStorage: Sendable, Equatable {
  case float32([Float])
  case float64([Double])
  case int32([Int32])
  case int64([Int64])
  case bool([Bool])

  /// The dtype of these elements.
  public var dtype: DType {
    switch self {
    case .float32: .float32
    case .float64: .float64
    case .int32: .int32
    case .int64: .int64
    case .bool: .bool
    }
  }

  /// The number of elements.
  public var count: Int {
    switch self {
    case let .float32(v): v.count
    case let .float64(v): v.count
    case let .int32(v): v.count
    case let .int64(v): v.count
    case let .bool(v): v.count
    }
  }
}

/// An n-dimensional array with a dtype and a fully known shape: the engine's value type.
public struct Tensor: Sendable, Equatable {
  /// The size of each dimension; empty for a scalar.
  public let shape: [Int]
  /// The elements in row-major order.
  public let storage: TensorStorage

  /// Makes a tensor, checking that the element count matches the shape.
  public init(shape: [Int], storage: TensorStorage) {
    precondition(Shape.elementCount(shape) == storage.count, "storage does not fill shape \(shape)")
    self.shape = shape
    self.storage = storage
  }

  /// The element type.
  public var dtype: DType { storage.dtype }
  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var scalarCount: Int { storage.count }

  /// A scalar or array of doubles in the given dtype (values are rounded to it).
  public init(doubles: [Double], shape: [Int], dtype: DType) {
    self.init(shape: shape, storage: TensorStorage.converting(doubles, to: dtype))
  }

  /// A tensor of `count` zeros (or `false`) of the given dtype.
  public static func zeros(shape: [Int], dtype: DType) -> Tensor {
    Tensor(doubles: [Double](repeating: 0, count: Shape.elementCount(shape)), shape: shape, dtype: dtype)
  }

  /// A tensor of ones (or `true`) of the given dtype.
  public static func ones(shape: [Int], dtype: DType) -> Tensor {
    Tensor(doubles: [Double](repeating: 1, count: Shape.elementCount(shape)), shape: shape, dtype: dtype)
  }

  /// Every element widened to Double (exact for all dtypes except int64 beyond 2^53).
  public var doubles: [Double] {
    switch storage {
    case let .float32(v): v.map(Double.init)
    case let .float64(v): v
    case let .int32(v): v.map(Double.init)
    case let .int64(v): v.map(Double.init)
    case let .bool(v): v.map { $0 ? 1 : 0 }
    }
  }

  /// The same elements viewed with another shape of equal element count.
  public func reshaped(to newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, storage: storage)
  }
}

extension TensorStorage {
  /// Elements converted from Doubles into `dtype`, as a C cast would convert them.
  public static func converting(_ values: [Double], to dtype: DType) -> TensorStorage {
    switch dtype {
    case .float32: .float32(values.map(Float.init))
    case .float64: .float64(values)
    case .int32: .int32(values.map { Int32(truncatingClamped: $0) })
    case .int64: .int64(values.map { Int64(truncatingClamped: $0) })
    case .bool: .bool(values.map { $0 != 0 })
    }
  }
}

extension FixedWidthInteger where Self: SignedInteger {
  /// Truncates toward zero like TensorFlow's CPU cast; NaN, infinities and values out of
  /// range become `min`, as x86's truncating conversion produces (TF: `cast(inf, int32)` is
  /// -2147483648).
  init(truncatingClamped value: Double) {
    let truncated = value.rounded(.towardZero)
    if value.isNaN || truncated < Double(Self.min) || truncated >= -Double(Self.min) {
      self = .min
    } else {
      self = Self(truncated)
    }
  }
}
