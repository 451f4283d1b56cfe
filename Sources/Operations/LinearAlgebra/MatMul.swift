import TensorCore

/// Matrix products.
enum LinearAlgebra {
  static let ops: [OpDefinition] = [.matMul]

  /// `[T=DT_FLOAT, grad_a=false, …]` as TF describes a MatMul node.
  static func nodeDescription(_ dtype: DType, _ attributes: OpAttributes) -> String {
    "MatMul[T=\(dtype.tfEnumName), grad_a=false, grad_b=false, transpose_a=\(attributes.bool("transpose_a")), "
      + "transpose_b=\(attributes.bool("transpose_b"))]"
  }
}

extension OpDefinition {
  /// The product of two matrices, either transposed by `transpose_a` / `transpose_b`.
  /// float32 runs oneDNN's `_MklMatMul` in TF 2.21, which its eager messages name.
  public static let matMul = OpDefinition(
    "MatMul", gradient: .rule(LinearAlgebra.MatMulGradient.self),
    eagerKernelName: { $0 == .float32 ? "_MklMatMul" : "" },
    infer: { inputs, attributes throws(OpError) in
      try ShapeInference.requireSameDType("MatMul", inputs[0], inputs[1], names: ("a", "b"))
      let dtype = inputs[0].dtype
      guard let a = inputs[0].shape, let b = inputs[1].shape else {
        return [TensorSpec(dtype: dtype, partialShape: nil)]
      }
      let node =
        "for '{{node $NODE}} = \(LinearAlgebra.nodeDescription(dtype, attributes))$INPUTS' with input shapes: "
        + "\(inputs[0].bracketedShape), \(inputs[1].bracketedShape)."
      guard a.count == 2, b.count == 2 else {
        if a.count < 2 || b.count < 2 {
          throw .invalidArgument("Shape must be rank 2 but is rank \(a.count < 2 ? a.count : b.count) \(node)")
        }
        return [TensorSpec(dtype: dtype, partialShape: nil)]
      }
      let (transposeA, transposeB) = (attributes.bool("transpose_a"), attributes.bool("transpose_b"))
      let k1 = transposeA ? a[0] : a[1]
      let k2 = transposeB ? b[1] : b[0]
      if let k1, let k2, k1 != k2 {
        throw .invalidArgument("Dimensions must be equal, but are \(k1) and \(k2) \(node)")
      }
      return [TensorSpec(dtype: dtype, partialShape: [transposeA ? a[1] : a[0], transposeB ? b[0] : b[1]])]
    },
    kernel: { inputs, attributes throws(TensorError) in
      let (a, b) = (inputs[0], inputs[1])
      if a.dtype == b.dtype && (a.rank < 2 || b.rank < 2) && a.rank <= 2 && b.rank <= 2 {
        // TF 2.21 words this by mode. Eagerly, oneDNN's `_MklMatMul` (float32, the path Lockstep
        // models) and Eigen's MatMulOp (the rest) word it differently; a graph run words it the
        // same for every dtype, with or without oneDNN.
        let first = a.rank < 2 ? 0 : 1
        let eager =
          a.dtype == .float32
          ? "In[\(first)] ndims must be >= 2"
          : a.rank != b.rank
            ? "In[0] and In[1] has different ndims: \(Shape.describe(a.shape)) vs. \(Shape.describe(b.shape))"
            : "In[0] and In[1] ndims must be == 2: \(a.rank)"
        let graph = "In[\(first)] ndims must be >= 2: \(first == 0 ? a.rank : b.rank)"
        throw .invalidArgumentByMode(eager: eager, graph: graph)
      }
      return [try a.matmul(b, transposeA: attributes.bool("transpose_a"), transposeB: attributes.bool("transpose_b"))]
    })
}

extension OpAttributes {
  /// A MatMul's attributes, made once for each of the four combinations.
  public static func matMul(transposeA: Bool, transposeB: Bool) -> OpAttributes {
    matMulTransposes[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)]
  }

  /// (transpose_a, transpose_b) as 2·a + b.
  private static let matMulTransposes = [(false, false), (false, true), (true, false), (true, true)].map { a, b in
    OpAttributes(["transpose_a": .bool(a), "transpose_b": .bool(b)])
  }
}

extension LinearAlgebra {
  /// `_MatMulGrad`: each input's gradient as a product of the gradient and the other input,
  /// transposed as TF's rule does for each of the four transpose combinations.
  enum MatMulGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let (a, b, grad) = (g.inputs[0], g.inputs[1], g.grad)
      guard g.spec(a).rank == 2, g.spec(b).rank == 2 else {
        throw .unimplemented("the gradient of a batched matmul")
      }
      func matmul(_ x: E.Value, _ y: E.Value, _ transposeA: Bool, _ transposeB: Bool) throws(OpError) -> E.Value {
        try g.emit(.matMul, x, y, attributes: .matMul(transposeA: transposeA, transposeB: transposeB))
      }
      // Each input's product runs only when its gradient is wanted (TF's skip_input_indices).
      let wantA = g.wanted[0], wantB = g.wanted[1]
      switch (g.op.attributes.bool("transpose_a"), g.op.attributes.bool("transpose_b")) {
      case (false, false):
        return [wantA ? try matmul(grad, b, false, true) : nil, wantB ? try matmul(a, grad, true, false) : nil]
      case (false, true):
        return [wantA ? try matmul(grad, b, false, false) : nil, wantB ? try matmul(grad, a, true, false) : nil]
      case (true, false):
        return [wantA ? try matmul(b, grad, false, true) : nil, wantB ? try matmul(a, grad, false, false) : nil]
      case (true, true):
        return [wantA ? try matmul(b, grad, true, true) : nil, wantB ? try matmul(grad, a, true, true) : nil]
      }
    }
  }
}
