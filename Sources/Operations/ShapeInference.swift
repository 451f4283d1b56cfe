import TensorCore

/// Shape and dtype rules shared by many ops, with TensorFlow's graph-construction messages.
public enum ShapeInference {
  /// The one output of an op whose output is its first input's spec (`Neg`, `ClipByValue`).
  @Sendable
  public static func sameAsFirst(_ inputs: [TensorSpec], _ attributes: OpAttributes) throws(OpError) -> [TensorSpec] {
    [inputs[0]]
  }

  /// Two inputs of one dtype broadcast together (`AddV2`, `Maximum`).
  public static func broadcastBinary(_ op: String, _ inputs: [TensorSpec], names: (String, String)) throws(OpError)
    -> [TensorSpec]
  {
    try requireSameDType(op, inputs[0], inputs[1], names: names)
    return [TensorSpec(dtype: inputs[0].dtype, partialShape: try broadcastShapes(op, inputs[0], inputs[1]))]
  }

  /// `Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'.`
  public static func requireSameDType(_ op: String, _ a: TensorSpec, _ b: TensorSpec, names: (String, String))
    throws(OpError)
  {
    guard a.dtype == b.dtype else {
      throw .typeError(
        "Input '\(names.1)' of '\(op)' Op has type \(b.dtype.name) that does not match type \(a.dtype.name) of "
          + "argument '\(names.0)'."
      )
    }
  }

  /// The broadcast of two partial shapes, nil when either rank is unknown.
  public static func broadcastShapes(_ op: String, _ a: TensorSpec, _ b: TensorSpec) throws(OpError) -> [Int?]? {
    guard let lhs = a.shape, let rhs = b.shape else { return nil }
    let rank = max(lhs.count, rhs.count)
    var out: [Int?] = []
    for index in 0..<rank {
      let l: Int? = index < rank - lhs.count ? 1 : lhs[index - (rank - lhs.count)]
      let r: Int? = index < rank - rhs.count ? 1 : rhs[index - (rank - rhs.count)]
      switch (l, r) {
      case let (x?, y?) where x == y || y == 1: out.append(x)
      case let (1?, y): out.append(y)
      case let (x, 1?): out.append(x)
      // An unknown dimension broadcast against a known one above 1 must be 1 or equal to it.
      case let (nil, y?): out.append(y)
      case let (x?, nil): out.append(x)
      case (nil, nil): out.append(nil)
      case let (x?, y?):
        throw .invalidArgument(
          "Dimensions must be equal, but are \(x) and \(y) for '{{node $NODE}} = "
            + "\(op)[T=\(a.dtype.tfEnumName)]$INPUTS' with input shapes: \(a.bracketedShape), \(b.bracketedShape)."
        )
      }
    }
    return out
  }
}
