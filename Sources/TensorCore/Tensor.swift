/// An n-dimensional array with a dtype and a fully known shape: the engine's value type.
///
/// A tensor is a shape over a shared, immutable `TensorBuffer`; kernels write their results
/// into fresh buffers, so tensors are values. The one exception is a buffer that no other
/// tensor shares (`holdsUniqueBuffer`), which an update may overwrite (`Elementwise.zipInPlace`).
public struct Tensor: Sendable {
  /// The size of each dimension; empty for a scalar.
  public let shape: [Int]
  /// The elements in row-major order.
  public private(set) var buffer: TensorBuffer

  /// A tensor over `buffer`, whose element count must match the shape.
  public init(shape: [Int], buffer: TensorBuffer) {
    precondition(Shape.elementCount(shape) == buffer.count, "buffer does not fill shape \(shape)")
    self.init(unchecked: shape, buffer)
  }

  /// A tensor over a buffer just allocated for `shape`.
  @usableFromInline
  init(unchecked shape: [Int], _ buffer: TensorBuffer) {
    self.shape = shape
    self.buffer = buffer
  }

  /// The element type.
  public var dtype: DType { buffer.dtype }
  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var scalarCount: Int { buffer.count }

  /// A tensor of `scalars` in row-major order.
  public init<T: TensorElement>(shape: [Int], scalars: [T]) {
    precondition(Shape.elementCount(shape) == scalars.count, "\(scalars.count) scalars do not fill shape \(shape)")
    if T.dtype == .string {
      preconditionFailure("string tensors are made with init(shape:strings:)")
    }
    let buffer: TensorBuffer
    do {
      buffer = try TensorBuffer(dtype: T.dtype, count: scalars.count, shape: shape, enforcingLimit: false)
    } catch {
      preconditionFailure("the system refused memory for \(scalars.count) elements: \(error)")
    }
    let pointer = buffer.pointer(as: T.self)
    scalars.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: $0.count) }
    self.init(shape: shape, buffer: buffer)
  }

  /// A string tensor.
  public init(shape: [Int], strings: [String]) {
    self.init(shape: shape, buffer: TensorBuffer(strings: strings))
  }

  /// A tensor whose elements the caller writes through the returned pointer before the
  /// tensor is used or shared. Throws when the memory budget cannot hold it.
  public static func uninitialized<T: TensorElement>(
    _ type: T.Type, shape: [Int]
  ) throws(TensorError) -> (Tensor, UnsafeMutablePointer<T>) {
    let count = try Shape.checkedElementCount(shape, dtype: T.dtype)
    let buffer = try TensorBuffer(dtype: T.dtype, count: count, shape: shape)
    return (Tensor(unchecked: shape, buffer), buffer.base.bindMemory(to: T.self, capacity: count))
  }

  /// Calls `body` with the elements, which must be of type `T`.
  @inlinable @inline(__always)
  public func withUnsafeBufferPointer<T: TensorElement, R, E: Error>(
    as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeBufferPointer(start: buffer.pointer(as: T.self), count: scalarCount))
  }

  /// The elements as a Swift array of `T`, which must be the dtype's element type.
  public func scalars<T: TensorElement>(as type: T.Type) -> [T] {
    withUnsafeBufferPointer(as: T.self) { Array($0) }
  }

  /// The elements of a string tensor.
  public var strings: [String] {
    precondition(dtype == .string, "strings of a \(dtype.name) tensor")
    return buffer.strings
  }

  /// Whether no other tensor shares this tensor's buffer: only then may its elements be
  /// overwritten in place, as no other value can observe the change.
  public mutating func holdsUniqueBuffer() -> Bool { isKnownUniquelyReferenced(&buffer) }

  /// The same elements viewed with another shape of equal element count (shares the buffer).
  public func reshaped(to newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, buffer: buffer)
  }
}

extension Tensor: Equatable {
  /// Same shape, dtype and elements (compared as their type compares: NaN differs from
  /// itself, -0.0 equals 0.0).
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    guard lhs.shape == rhs.shape, lhs.dtype == rhs.dtype else { return false }
    if lhs.buffer === rhs.buffer && !lhs.dtype.isFloatingPoint { return true }
    func equal<T: TensorElement & Equatable>(_ type: T.Type) -> Bool {
      lhs.withUnsafeBufferPointer(as: T.self) { a in
        rhs.withUnsafeBufferPointer(as: T.self) { b in a.elementsEqual(b) }
      }
    }
    switch lhs.dtype {
    case .float16: return equal(Float16.self)
    case .bfloat16: return lhs.doubles == rhs.doubles
    case .float32: return equal(Float.self)
    case .float64: return equal(Double.self)
    case .int8: return equal(Int8.self)
    case .int16: return equal(Int16.self)
    case .int32: return equal(Int32.self)
    case .int64: return equal(Int64.self)
    case .uint8: return equal(UInt8.self)
    case .uint16: return equal(UInt16.self)
    case .bool: return equal(Bool.self)
    case .string: return lhs.strings == rhs.strings
    }
  }
}

extension Tensor {
  /// A tensor of `doubles` converted to `dtype` as `Cast` converts them.
  public init(doubles: [Double], shape: [Int], dtype: DType) {
    precondition(dtype != .string, "string tensors are made with init(shape:strings:)")
    func make<T: TensorElement>(_ type: T.Type) -> Tensor {
      Tensor(shape: shape, scalars: doubles.map { T(castingFrom: $0) })
    }
    // The common dtypes by name: a generic call through `elementType` (an existential
    // metatype) is not specialised, and costs more than the scalar `0.01` it converts.
    switch dtype {
    case .float32: self = make(Float.self)
    case .float64: self = make(Double.self)
    case .int32: self = make(Int32.self)
    case .int64: self = make(Int64.self)
    default: self = make(dtype.elementType)
    }
  }

  /// A tensor of `shape` with every element `value` (converted as `Cast` converts it).
  public static func filled(
    with value: Double, shape: [Int], dtype: DType
  ) throws(TensorError) -> Tensor {
    func fill<T: TensorElement>(_ type: T.Type) throws(TensorError) -> Tensor {
      let (tensor, pointer) = try uninitialized(T.self, shape: shape)
      pointer.initialize(repeating: T(castingFrom: value), count: tensor.scalarCount)
      return tensor
    }
    switch dtype {
    case .float16: return try fill(Float16.self)
    case .bfloat16: return try fill(BFloat16.self)
    case .float32: return try fill(Float.self)
    case .float64: return try fill(Double.self)
    case .int8: return try fill(Int8.self)
    case .int16: return try fill(Int16.self)
    case .int32: return try fill(Int32.self)
    case .int64: return try fill(Int64.self)
    case .uint8: return try fill(UInt8.self)
    case .uint16: return try fill(UInt16.self)
    case .bool: return try fill(Bool.self)
    case .string:
      let count = try Shape.checkedElementCount(shape, dtype: .string)
      return Tensor(shape: shape, strings: [String](repeating: "", count: count))
    }
  }

  /// A tensor of zeros (or `false`) of the given dtype.
  public static func zeros(shape: [Int], dtype: DType) throws(TensorError) -> Tensor {
    try filled(with: 0, shape: shape, dtype: dtype)
  }

  /// A tensor of ones (or `true`) of the given dtype.
  public static func ones(shape: [Int], dtype: DType) throws(TensorError) -> Tensor {
    try filled(with: 1, shape: shape, dtype: dtype)
  }

  /// Every element widened to Double (exact for all dtypes except int64 beyond 2^53).
  public var doubles: [Double] {
    func widen<T: TensorElement>(_ type: T.Type) -> [Double] {
      withUnsafeBufferPointer(as: T.self) { $0.map { $0.doubleValue } }
    }
    return widen(elementType)
  }
}
