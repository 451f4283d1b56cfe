import TensorCore

/// `Transpose(x, perm)` and `InvertPermutation(x)`: the permutation is a real int32/int64
/// tensor input; inference reads it when it is a constant.
enum Permutations {
  static let ops: [OpDefinition] = [.transpose, .invertPermutation]

  /// `Transpose`'s spec: dimension `i` of the output is dimension `perm[i]` of `x`, unknown
  /// where either is; TF's messages for a perm of the wrong size or out of range.
  static func inferTranspose(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    let (x, perm) = (inputs[0], inputs[1])
    let node =
      "for '{{node $NODE}} = Transpose[T=\(x.dtype.tfEnumName), Tperm=\(perm.dtype.tfEnumName)]$INPUTS' with input "
      + "shapes: \(x.bracketedShape), \(perm.bracketedShape)"
    if let rank = perm.rank, rank != 1 {
      throw .invalidArgument("Shape must be rank 1 but is rank \(rank) \(node).")
    }
    let rank = x.rank ?? perm.shape?[0] ?? nil
    if let xRank = x.rank, let count = perm.shape?[0] ?? nil, xRank != count {
      throw .invalidArgument("Dimension must be \(xRank) but is \(count) \(node).")
    }
    guard let rank else { return [TensorSpec(dtype: x.dtype, partialShape: nil)] }
    guard let values = perm.value?.int64s.map({ Int($0) }) else {
      return [TensorSpec(dtype: x.dtype, partialShape: [Int?](repeating: nil, count: rank))]
    }
    var out: [Int?] = []
    for axis in values {
      guard axis >= 0, axis < rank else {
        throw .invalidArgument("perm dim \(axis) is out of range of input rank \(rank) \(node)")
      }
      out.append(x.shape?[axis] ?? nil)
    }
    return [TensorSpec(dtype: x.dtype, partialShape: out)]
  }

  /// The permutation `perm` holds, checked as TF's `TransposeOp` checks it against `rank`.
  static func permutation(_ perm: Tensor, rank: Int) throws(TensorError) -> [Int] {
    guard perm.rank == 1 else {
      throw .invalidArgument("perm must be rank 1, got shape \(Shape.describe(perm.shape))")
    }
    let values = perm.int64s.map { Int($0) }
    guard values.count == rank else {
      throw .invalidArgument(
        "transpose expects a vector of size \(rank). But input(1) is a vector of size \(values.count)")
    }
    var seen = [Bool](repeating: false, count: rank)
    for axis in values {
      guard axis >= 0, axis < rank else { throw .invalidArgument("\(axis) is out of range [0 .. \(rank))") }
      seen[axis] = true
    }
    if let missing = seen.firstIndex(of: false) {
      let list = values.map(String.init).joined(separator: ",")
      throw .invalidArgument("\(missing) is missing from {\(list)}.")
    }
    return values
  }

  /// `x` with its dimensions reordered by `perm`: element by element, any dtype.
  static func transpose(_ x: Tensor, _ perm: [Int]) throws(TensorError) -> Tensor {
    let rank = x.rank
    let outShape = perm.map { x.shape[$0] }
    var inStrides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) {
      inStrides[axis] = inStrides[axis + 1] * x.shape[axis + 1]
    }
    let strides = perm.map { inStrides[$0] }
    let count = Shape.elementCount(outShape)
    return try ElementCopier.assemble(from: x, shape: outShape) { copier in
      guard count > 0 else { return }
      var index = [Int](repeating: 0, count: rank)
      var source = 0
      for target in 0..<count {
        copier.copy(from: source, to: target, count: 1)
        // Advance the output index, last dimension fastest.
        var axis = rank - 1
        while axis >= 0 {
          index[axis] += 1
          source += strides[axis]
          if index[axis] < outShape[axis] { break }
          source -= strides[axis] * outShape[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }
}

extension OpDefinition {
  /// `x` with dimension `i` of the result taken from dimension `perm[i]` (an int vector).
  public static let transpose = OpDefinition(
    "Transpose", gradient: .rule(Permutations.TransposeGradient.self),
    infer: { inputs, _ throws(OpError) in try Permutations.inferTranspose(inputs) },
    kernel: { inputs, _ throws(TensorError) in
      [try Permutations.transpose(inputs[0], try Permutations.permutation(inputs[1], rank: inputs[0].rank))]
    })

  /// The inverse of the permutation `x` (an int32 or int64 vector): `y[x[i]] = i`.
  public static let invertPermutation = OpDefinition(
    "InvertPermutation", gradient: .notDifferentiable,
    infer: { inputs, _ throws(OpError) in
      let x = inputs[0]
      if let rank = x.rank, rank != 1 {
        throw .invalidArgument(
          "Shape must be rank 1 but is rank \(rank) for '{{node $NODE}} = InvertPermutation[T=\(x.dtype.tfEnumName)]"
            + "$INPUTS' with input shapes: \(x.bracketedShape).")
      }
      if let values = x.value?.int64s, let inverse = try? Permutations.inverse(values.map { Int($0) }) {
        return [TensorSpec(constant: ShapeQueries.vector(inverse, dtype: x.dtype))]
      }
      return [TensorSpec(dtype: x.dtype, partialShape: x.shape ?? [nil])]
    },
    kernel: { inputs, _ throws(TensorError) in
      let x = inputs[0]
      guard x.rank == 1 else { throw .invalidArgument("invert_permutation expects a 1D vector.") }
      return [ShapeQueries.vector(try Permutations.inverse(x.int64s.map { Int($0) }), dtype: x.dtype)]
    })
}

extension Permutations {
  /// The inverse permutation, with TF's messages for a value out of range or repeated.
  static func inverse(_ values: [Int]) throws(TensorError) -> [Int] {
    var inverse = [Int](repeating: -1, count: values.count)
    for (position, value) in values.enumerated() {
      guard value >= 0, value < values.count else {
        throw .invalidArgument("\(value) is not between 0 and \(values.count)")
      }
      guard inverse[value] == -1 else { throw .invalidArgument("\(value) is duplicated in the input.") }
      inverse[value] = position
    }
    return inverse
  }

  /// `_TransposeGrad`: the gradient transposed by `InvertPermutation(perm)`; `perm` has none.
  enum TransposeGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      [try g.emit(.transpose, g.grad, try g.emit(.invertPermutation, g.inputs[1])), nil]
    }
  }
}
