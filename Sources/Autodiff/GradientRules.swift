import Operations

/// The gradient rules the drivers use: each op's own rule, declared beside the op in its
/// family folder (`OpDefinition.gradient`).
public enum GradientRules {
  /// The rule for an op, or nil when Lockstep cannot differentiate it yet.
  public static func rule(for opName: String) -> GradientRule? {
    guard case let .rule(rule) = OpRegistry.definition(named: opName)?.gradient else { return nil }
    return rule
  }
}
