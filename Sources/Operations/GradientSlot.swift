import TensorCore

/// A gradient rule: given the upstream gradient and the op's inputs and outputs, the
/// gradient with respect to each input (nil where the input is not differentiable).
///
/// Rules are declared beside their ops, in the op's definition, and serve both graph-mode
/// `tf.gradients` and the eager `tf.GradientTape` (the drivers live in Autodiff).
public struct GradientRule: Sendable {
  /// Computes the input gradients.
  public let pullback: @Sendable (_ upstream: [Tensor], _ inputs: [Tensor], _ outputs: [Tensor]) throws -> [Tensor?]

  /// Makes a rule from its pullback.
  public init(pullback: @escaping @Sendable ([Tensor], [Tensor], [Tensor]) throws -> [Tensor?]) {
    self.pullback = pullback
  }
}

/// What an op declares about its gradient.
public enum GradientSlot: Sendable {
  /// Lockstep cannot differentiate the op yet (its rule is still to come).
  case pending
  /// The op has no gradient in TensorFlow either (`ops.NotDifferentiable`).
  case notDifferentiable
  /// The op's rule.
  case rule(GradientRule)
}
