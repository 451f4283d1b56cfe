import TensorCore

/// A variable's `assign_add` and `assign_sub`: the values `AddV2` and `Sub` compute, written
/// over the variable's own elements when no other tensor shares its buffer (as TF updates a
/// variable's buffer in place), else into a new buffer. A tensor read from the variable before
/// the update shares the buffer, so it keeps its value either way.
public enum VariableUpdate {
  /// `variable += value`, as `AddV2` computes it.
  public static func add(_ variable: inout Tensor, _ value: Tensor) throws(TensorError) {
    try update(&variable, value, Arithmetic.Add.self, .addV2)
  }

  /// `variable -= value`, as `Sub` computes it.
  public static func subtract(_ variable: inout Tensor, _ value: Tensor) throws(TensorError) {
    try update(&variable, value, Arithmetic.Subtract.self, .sub)
  }

  private static func update<F: BinaryScalarFunction>(
    _ variable: inout Tensor, _ value: Tensor, _ function: F.Type, _ definition: OpDefinition
  ) throws(TensorError) {
    guard variable.shape == value.shape, variable.dtype == value.dtype, variable.holdsUniqueBuffer() else {
      variable = try definition(variable, value)
      return
    }
    let kernel = InPlaceKernel<F>(target: variable, operand: value, op: definition.name)
    try kernel.dispatch(on: variable.dtype, op: definition.name)
  }

  /// `F` over `target` and `operand` written over `target`, per dtype as `BinaryKernel` runs it.
  private struct InPlaceKernel<F: BinaryScalarFunction>: NumericKernel {
    let target: Tensor, operand: Tensor, op: String

    func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) {
      Elementwise.zipInPlace(into: target, operand, BinaryKernel<F>.Floating<T>.self)
    }

    func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) {
      guard F.hasIntegerKernel else { throw .unsupportedDType(op: op, dtype: T.dtype) }
      Elementwise.zipInPlace(into: target, operand, BinaryKernel<F>.Integer<T>.self)
    }
  }
}
