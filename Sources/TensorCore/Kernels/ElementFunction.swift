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
}

/// A scalar function of two elements, as a type (see `UnaryElementFunction`).
public protocol BinaryElementFunction {
  /// The element type of both inputs.
  associatedtype Input: TensorElement
  /// The output element type.
  associatedtype Output: TensorElement
  /// The function.
  static func apply(_ a: Input, _ b: Input) -> Output
}
