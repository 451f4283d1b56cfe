import TensorCore

/// One TensorFlow operation with its attributes: the single definition that eager mode runs
/// at once and graph mode records and runs later in a session.
///
/// `infer` checks the inputs and computes the output's spec (graph construction errors
/// happen here, as in TensorFlow); `compute` produces the value.
public enum Op: Sendable {
  case constant(Tensor)
  case binary(BinaryOp)
  case unary(UnaryOp)
  /// A reduction over `axes` (all when nil); `scalarAxis` records that the program passed
  /// one int rather than a list, which TF's messages show.
  case reduce(ReductionOp, axes: [Int]?, keepDims: Bool, scalarAxis: Bool = false)
  case matmul(transposeA: Bool, transposeB: Bool)
  case cast(DType)
  case reshape([Int])
  case clip
  case sparseSoftmaxCrossEntropy

  /// TensorFlow's op type (`AddV2`, `MatMul`), used for node names and messages.
  public var typeName: String {
    switch self {
    case .constant: "Const"
    case let .binary(op): op.opName
    case let .unary(op): op.opName
    case let .reduce(op, _, _, _): op.opName
    case .matmul: "MatMul"
    case .cast: "Cast"
    case .reshape: "Reshape"
    case .clip: "ClipByValue"
    case .sparseSoftmaxCrossEntropy: "SparseSoftmaxCrossEntropyWithLogits"
    }
  }

  /// The names TF gives the op's inputs (and so the constants it converts literals to,
  /// `Sum/input`, `MatMul/b`).
  var inputParameters: [String] {
    switch self {
    case .constant: []
    case .binary: ["x", "y"]
    case .unary, .cast: ["x"]
    case .reduce: ["input"]
    case .matmul: ["a", "b"]
    case .reshape: ["tensor"]
    case .clip: ["t", "clip_value_min", "clip_value_max"]
    case .sparseSoftmaxCrossEntropy: ["labels", "logits"]
    }
  }

  /// The CPU kernel TF 2.21 runs eagerly, as its error messages name it, and the op name:
  /// float32 MatMul goes through oneDNN's `_MklMatMul`.
  func eagerKernelName(for dtype: DType?) -> (name: String, op: String) {
    if case .matmul = self, dtype == .float32 { return ("_MklMatMul", typeName) }
    return (typeName, typeName)
  }

  /// Checks input dtypes and shapes and returns the output's spec, raising TensorFlow's
  /// graph-construction errors.
  public func infer(_ inputs: [TensorSpec]) throws(OpError) -> TensorSpec {
    switch self {
    case let .constant(tensor):
      return TensorSpec(of: tensor)
    case .binary:
      try requireSameDType(inputs, names: ["x", "y"])
      let dtype = inputs[0].dtype
      return TensorSpec(dtype: dtype, partialShape: try broadcastShapes(inputs[0], inputs[1]))
    case .unary:
      return inputs[0]
    case let .reduce(_, axes, keepDims, scalarAxis):
      guard let shape = inputs[0].shape else { return TensorSpec(dtype: inputs[0].dtype, partialShape: nil) }
      let rank = shape.count
      var reduced = Set<Int>()
      for axis in axes ?? Array(0..<rank) {
        guard let normalized = Shape.normalizedAxis(axis, rank: rank), rank > 0 else {
          let all = axes ?? []
          let axesShape = scalarAxis ? "[]" : "[\(all.count)]"
          let computed = all.map(String.init).joined(separator: " ")
          throw .invalidArgument(
            "Invalid reduction dimension \(axis) for input with \(rank) dimensions. for '{{node $NODE}} = \(typeName)[T=\(inputs[0].dtype.tfEnumName), Tidx=DT_INT32, keep_dims=\(keepDims)]$INPUTS' with input shapes: \(inputs[0].bracketedShape), \(axesShape) and with computed input tensors: input[1] = <\(computed)>.")
        }
        reduced.insert(normalized)
      }
      var out: [Int?] = []
      for (axis, dim) in shape.enumerated() {
        if !reduced.contains(axis) { out.append(dim) } else if keepDims { out.append(1) }
      }
      return TensorSpec(dtype: inputs[0].dtype, partialShape: out)
    case let .matmul(transposeA, transposeB):
      try requireSameDType(inputs, names: ["a", "b"])
      guard let a = inputs[0].shape, let b = inputs[1].shape else {
        return TensorSpec(dtype: inputs[0].dtype, partialShape: nil)
      }
      guard a.count == 2, b.count == 2 else {
        if a.count < 2 || b.count < 2 {
          throw .invalidArgument("Shape must be rank 2 but is rank \(a.count < 2 ? a.count : b.count) for '{{node $NODE}} = MatMul[T=\(inputs[0].dtype.tfEnumName), grad_a=false, grad_b=false, transpose_a=\(transposeA), transpose_b=\(transposeB)]$INPUTS' with input shapes: \(inputs[0].bracketedShape), \(inputs[1].bracketedShape).")
        }
        return TensorSpec(dtype: inputs[0].dtype, partialShape: nil)
      }
      let k1 = transposeA ? a[0] : a[1]
      let k2 = transposeB ? b[1] : b[0]
      if let k1, let k2, k1 != k2 {
        throw .invalidArgument(
          "Dimensions must be equal, but are \(k1) and \(k2) for '{{node $NODE}} = MatMul[T=\(inputs[0].dtype.tfEnumName), grad_a=false, grad_b=false, transpose_a=\(transposeA), transpose_b=\(transposeB)]$INPUTS' with input shapes: \(inputs[0].bracketedShape), \(inputs[1].bracketedShape).")
      }
      return TensorSpec(dtype: inputs[0].dtype, partialShape: [transposeA ? a[1] : a[0], transposeB ? b[0] : b[1]])
    case let .cast(dtype):
      return TensorSpec(dtype: dtype, partialShape: inputs[0].shape)
    case let .reshape(requested):
      let input = inputs[0]
      if let known = input.knownShape {
        let probe = Tensor.zeros(shape: [Shape.elementCount(known)], dtype: .bool)
        do {
          return TensorSpec(dtype: input.dtype, shape: try probe.reshaped(toRequested: requested).shape)
        } catch {
          let count = Shape.elementCount(known)
          let partial = "[" + requested.map { $0 == -1 ? "?" : String($0) }.joined(separator: ",") + "]"
          let node = "for '{{node $NODE}} = Reshape[T=\(input.dtype.tfEnumName), Tshape=DT_INT32]$INPUTS' with input shapes: "
            + "\(input.bracketedShape), [\(requested.count)] and with input tensors computed as partial shapes: input[1] = \(partial)."
          let known = requested.filter { $0 != -1 }.reduce(1, *)
          if requested.contains(-1) && known != 0 && count % known != 0 {
            throw .invalidArgument("Dimension size must be evenly divisible by \(known) but is \(count) \(node)")
          }
          throw .invalidArgument(
            "Cannot reshape a tensor with \(count) elements to shape \(Shape.describe(requested)) (\(requested.reduce(1, *)) elements) \(node)")
        }
      }
      return TensorSpec(dtype: input.dtype, partialShape: requested.map { $0 == -1 ? nil : $0 })
    case .clip:
      return inputs[0]
    case .sparseSoftmaxCrossEntropy:
      // inputs: labels, logits
      guard let logits = inputs[1].shape else { return TensorSpec(dtype: inputs[1].dtype, partialShape: nil) }
      return TensorSpec(dtype: inputs[1].dtype, partialShape: Array(logits.dropLast()))
    }
  }

  /// Computes the output from concrete inputs (whose specs `infer` accepted).
  public func compute(_ inputs: [Tensor]) throws(OpError) -> Tensor {
    do throws(TensorError) {
      switch self {
      case let .constant(tensor): return tensor
      case let .binary(op): return try inputs[0].applying(op, inputs[1])
      case let .unary(op): return try inputs[0].applying(op)
      case let .reduce(op, axes, keepDims, _): return try inputs[0].reduced(op, axes: axes, keepDims: keepDims)
      case let .matmul(transposeA, transposeB):
        let (a, b) = (inputs[0], inputs[1])
        if a.dtype == b.dtype && (a.rank < 2 || b.rank < 2) && a.rank <= 2 && b.rank <= 2 {
          // TF's CPU kernels word this differently: oneDNN (float32) and Eigen (the rest).
          if a.dtype == .float32 {
            throw TensorError.invalidArgument("In[\(a.rank < 2 ? 0 : 1)] ndims must be >= 2")
          }
          if a.rank != b.rank {
            throw TensorError.invalidArgument("In[0] and In[1] has different ndims: \(Shape.describe(a.shape)) vs. \(Shape.describe(b.shape))")
          }
          throw TensorError.invalidArgument("In[0] and In[1] ndims must be == 2: \(a.rank)")
        }
        return try a.matmul(b, transposeA: transposeA, transposeB: transposeB)
      case let .cast(dtype): return inputs[0].cast(to: dtype)
      case let .reshape(requested): return try inputs[0].reshaped(toRequested: requested)
      case .clip:
        return try inputs[0].applying(.maximum, inputs[1]).applying(.minimum, inputs[2])
      case .sparseSoftmaxCrossEntropy:
        return try inputs[1].sparseSoftmaxCrossEntropy(labels: inputs[0])
      }
    } catch {
      throw .tensor(error)
    }
  }

  private func requireSameDType(_ inputs: [TensorSpec], names: [String]) throws(OpError) {
    guard inputs[0].dtype == inputs[1].dtype else {
      throw .typeError(
        "Input '\(names[1])' of '\(typeName)' Op has type \(inputs[1].dtype.name) that does not match type \(inputs[0].dtype.name) of argument '\(names[0])'.")
    }
  }

  private func broadcastShapes(_ a: TensorSpec, _ b: TensorSpec) throws(OpError) -> [Int?]? {
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
          "Dimensions must be equal, but are \(x) and \(y) for '{{node $NODE}} = \(typeName)[T=\(a.dtype.tfEnumName)]$INPUTS' with input shapes: \(a.bracketedShape), \(b.bracketedShape).")
      }
    }
    return out
  }
}

/// A failure of an op, before the TF model names it as the Python exception TF raises.
public enum OpError: Error, Sendable {
  /// Graph-construction `TypeError` (mismatched input dtypes).
  case typeError(String)
  /// Graph-construction `ValueError` (incompatible static shapes).
  case invalidArgument(String)
  /// A kernel failure at run time.
  case tensor(TensorError)
}

extension DType {
  /// TensorFlow's enum spelling (`DT_FLOAT`, `DT_INT32`) used in node descriptions.
  public var tfEnumName: String {
    switch self {
    case .float32: "DT_FLOAT"
    case .float64: "DT_DOUBLE"
    case .int32: "DT_INT32"
    case .int64: "DT_INT64"
    case .bool: "DT_BOOL"
    }
  }
}
