import TensorCore

/// The reduction `Prod` over the axes in the `reduction_indices` attribute (all axes when
/// unset), declared as `Sum` is.
enum Products {
  static let ops: [OpDefinition] = [.prod]
}

/// The product over axes. Integer products wrap and do not depend on the order; float
/// products multiply in input order (TF's Eigen reducer may round differently).
struct ProductKernel: NumericKernel {
  let x: Tensor, layout: ReductionLayout

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Reduction.fold(x, T.self, layout: layout, identity: T(computed: 1)) { a, b in
      T(computed: a.computeValue * b.computeValue)
    }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Reduction.fold(x, T.self, layout: layout, identity: 1) { $0 &* $1 }
  }
}

extension OpDefinition {
  /// The product over axes.
  public static let prod = Reductions.declare("Prod", gradient: .rule(Products.ProdGradient.self)) {
    x, layout throws(TensorError) in
    try ProductKernel(x: x, layout: layout).dispatch(on: x.dtype, op: "Prod")
  }
}

// MARK: - Gradient (TF's math_grad.py)

extension Products {
  /// `_ProdGrad`, for an input of known shape: the reduced axes are moved first
  /// (`Transpose(x, reduced + other)`) and flattened into `[reducedCount, otherCount]`; each
  /// element's gradient is the product of the others, `Cumprod(exclusive) *
  /// Cumprod(exclusive, reverse)` down that axis (no division, so zeros are fine), transposed
  /// back by `InvertPermutation(perm)` and multiplied by the gradient broadcast to the input.
  enum ProdGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let x = g.inputs[0]
      let shape = try g.knownShape(x)
      let rank = shape.count
      let axes = g.op.attributes.ints("reduction_indices")
      // (reduction_indices + rank) % rank, in the order given, then the other axes in order.
      let reduced = rank == 0 ? [] : (axes ?? Array(0..<rank)).map { (($0 % rank) + rank) % rank }
      let other = (0..<rank).filter { !reduced.contains($0) }
      let perm = reduced + other
      let reducedCount = reduced.reduce(1) { $0 * shape[$1] }
      let otherCount = other.reduce(1) { $0 * shape[$1] }

      var grad = g.grad
      if !g.op.attributes.bool("keep_dims") {
        grad = try g.emit(.reshape, grad, try g.keptDimensions(of: x, axes: axes))
      }
      grad = try g.emit(.broadcastTo, grad, try g.vector(shape))

      let permVector = try g.vector(perm)
      let permuted = try g.emit(.transpose, x, permVector)
      let reshaped = try g.reshape(permuted, to: [reducedCount, otherCount])
      let axis = try g.emitter.constant(Tensor(shape: [], scalars: [Int32(0)]))
      let left = try g.emit(.cumprod, reshaped, axis, attributes: Cumulative.attributes(exclusive: true))
      let right = try g.emit(
        .cumprod, reshaped, axis, attributes: Cumulative.attributes(exclusive: true, reverse: true))
      let y = try g.reshape(try g.emit(.mul, left, right), to: perm.map { shape[$0] })
      let unpermuted = try g.emit(.transpose, y, try g.emit(.invertPermutation, permVector))
      return [try g.reshape(try g.emit(.mul, grad, unpermuted), to: shape)]
    }
  }
}
