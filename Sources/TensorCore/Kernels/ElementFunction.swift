/// A scalar function of one element, as a type: drivers call `apply` statically, so each
/// op's function is specialised and inlined into the driver's loop, which the compiler then
/// vectorises (a closure value would be one indirect call per element).
public protocol UnaryElementFunction {
  /// The input element type.
  associatedtype Input: TensorElement
  /// The output element type.
  associatedtype Output: TensorElement
  /// The function.
  static func apply(_ x: Input) -> Output
  /// Whether drivers run the function with MXCSR's flush-to-zero and denormals-are-zero
  /// bits set, as TF's CPU kernels run (subnormal floats read and written as zero).
  static var flushesDenormals: Bool { get }
}

/// A scalar function of two elements, as a type (see `UnaryElementFunction`).
public protocol BinaryElementFunction {
  /// The element type of both inputs.
  associatedtype Input: TensorElement
  /// The output element type.
  associatedtype Output: TensorElement
  /// The function.
  static func apply(_ a: Input, _ b: Input) -> Output
  /// Whether drivers run the function with subnormals flushed (see `UnaryElementFunction`).
  static var flushesDenormals: Bool { get }
}

extension UnaryElementFunction {
  /// Subnormals are kept unless a function asks otherwise.
  @inlinable public static var flushesDenormals: Bool { false }
}

extension BinaryElementFunction {
  /// Subnormals are kept unless a function asks otherwise.
  @inlinable public static var flushesDenormals: Bool { false }
}
