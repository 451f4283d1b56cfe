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
  public static let prod = Reductions.declare("Prod") { x, layout, _ throws(TensorError) in
    try ProductKernel(x: x, layout: layout).dispatch(on: x.dtype, op: "Prod")
  }
}
