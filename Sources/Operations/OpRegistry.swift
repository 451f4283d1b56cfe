/// Every op Lockstep models, by TensorFlow name. Each family folder lists its ops once in
/// its `ops` table; the registry gathers the families.
public enum OpRegistry {
  /// The ops by name.
  public static let byName: [String: OpDefinition] = {
    var table: [String: OpDefinition] = [:]
    for family in families {
      for op in family {
        precondition(table[op.name] == nil, "op \(op.name) declared twice")
        table[op.name] = op
      }
    }
    return table
  }()

  /// The op named `name` (`AddV2`), or nil when Lockstep does not model it.
  public static func definition(named name: String) -> OpDefinition? { byName[name] }

  private static let families: [[OpDefinition]] = [
    Arithmetic.ops, UnaryMath.ops, Reductions.ops, ShapeOps.ops, LinearAlgebra.ops, Losses.ops,
    Convolution.ops, StateOps.ops, Comparisons.ops, ShapeQueries.ops, Products.ops, Powers.ops, Activations.ops,
    ConvolutionBackprop.ops, Permutations.ops, Cumulative.ops, SafeDivision.ops,
  ]
}
