import TensorCore

/// A gradient rule: given the upstream gradient and the op's inputs and output, the
/// gradient with respect to each input (nil where the input is not differentiable).
///
/// One table of these serves both graph-mode `tf.gradients` and the eager
/// `tf.GradientTape`; no rules are registered yet, and differentiation is reported as
/// unsupported until they are.
public struct GradientRule: Sendable {
  /// Computes the input gradients.
  public let pullback: @Sendable (_ upstream: Tensor, _ inputs: [Tensor], _ output: Tensor) throws -> [Tensor?]

  /// Makes a rule from its pullback.
  public init(pullback: @escaping @Sendable (Tensor, [Tensor], Tensor) throws -> [Tensor?]) {
    self.pullback = pullback
  }
}

/// The registered gradient rules, keyed by TensorFlow op name (`"AddV2"`, `"MatMul"`).
public enum GradientRules {
  /// The rule for an op, or nil when Lockstep cannot differentiate it yet.
  public static func rule(for opName: String) -> GradientRule? { table[opName] }

  private static let table: [String: GradientRule] = [:]
}
