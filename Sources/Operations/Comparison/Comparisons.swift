import TensorCore

/// The comparisons `Equal`, `NotEqual`, `Greater`, `GreaterEqual`, `Less`, `LessEqual`
/// (broadcasting, bool output; NaN compares false except under `!=`) and `SelectV2`.
enum Comparisons {
  static let ops: [OpDefinition] = [.equal, .notEqual, .greater, .greaterEqual, .less, .lessEqual, .selectV2]

  /// Declares an ordering comparison (`Greater`, `Less`, …), registered for numbers only.
  static func declare<P: ComparisonPredicate>(_ name: String, _ predicate: P.Type) -> OpDefinition {
    OpDefinition(
      name, gradient: .notDifferentiable,
      infer: { inputs, _ throws(OpError) in
        try ShapeInference.requireSameDType(name, inputs[0], inputs[1], names: ("x", "y"))
        return [TensorSpec(dtype: .bool, partialShape: try ShapeInference.broadcastShapes(name, inputs[0], inputs[1]))]
      },
      binaryKernel: { a, b throws(TensorError) in try ComparisonKernel<P>.run(a, b, op: name) })
  }

  /// Declares `Equal` or `NotEqual`: any dtype, and with `incompatible_shape_error` false,
  /// shapes that do not broadcast give the scalar `mismatch` instead of an error.
  static func declareEquality<P: ComparisonPredicate>(_ name: String, _ predicate: P.Type, mismatch: Bool)
    -> OpDefinition
  {
    OpDefinition(
      name, gradient: .notDifferentiable,
      infer: { inputs, attributes throws(OpError) in
        try ShapeInference.requireSameDType(name, inputs[0], inputs[1], names: ("x", "y"))
        let strict = attributes.incompatibleShapeError
        let node = "\(name)[T=\(inputs[0].dtype.tfEnumName), incompatible_shape_error=\(strict)]"
        do throws(OpError) {
          return [TensorSpec(dtype: .bool, partialShape: try broadcast(inputs, node: node))]
        } catch {
          if strict { throw error }
          return [TensorSpec(dtype: .bool, partialShape: nil)]
        }
      },
      kernel: { inputs, attributes throws(TensorError) in
        let (a, b) = (inputs[0], inputs[1])
        if !attributes.incompatibleShapeError, a.dtype == b.dtype, Shape.broadcast(a.shape, b.shape) == nil {
          return [Tensor(shape: [], scalars: [mismatch])]
        }
        return [try ComparisonKernel<P>.run(a, b, op: name)]
      })
  }

  /// The broadcast of the inputs' partial shapes, taken pairwise from the last two inputs
  /// back (as TF's `SelectV2` shape function does), raising TF's message for `node`
  /// (`Equal[T=DT_FLOAT, incompatible_shape_error=true]`) with every input's shape.
  static func broadcast(_ inputs: [TensorSpec], node: String) throws(OpError) -> [Int?]? {
    var result = inputs[inputs.count - 1]
    for input in inputs.dropLast().reversed() {
      do {
        result.shape = try ShapeInference.broadcastShapes("", input, result)
      } catch {
        guard case let .invalidArgument(message) = error, let cut = message.range(of: " for '") else { throw error }
        let shapes = inputs.map(\.bracketedShape).joined(separator: ", ")
        throw .invalidArgument(
          message[..<cut.lowerBound] + " for '{{node $NODE}} = \(node)$INPUTS' with input shapes: \(shapes).")
      }
    }
    return result.shape
  }

  enum IsEqual: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a == b }
  }
  enum IsNotEqual: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a != b }
  }
  enum IsGreater: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a > b }
  }
  enum IsGreaterOrEqual: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a >= b }
  }
  enum IsLess: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a < b }
  }
  enum IsLessOrEqual: ComparisonPredicate {
    static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool { a <= b }
  }
}

extension OpAttributes {
  /// `Equal`'s and `NotEqual`'s `incompatible_shape_error` (TF's default: true).
  var incompatibleShapeError: Bool {
    if case let .bool(value) = self["incompatible_shape_error"] { return value }
    return true
  }
}

/// A comparison of two scalars of one type.
protocol ComparisonPredicate: SendableMetatype {
  /// Whether the relation holds (IEEE comparisons for floats).
  static func holds<C: Comparable>(_ a: C, _ b: C) -> Bool
}

/// `P` over two tensors of one dtype, broadcasting, giving bools.
struct ComparisonKernel<P: ComparisonPredicate>: NumericKernel {
  let a: Tensor, b: Tensor, op: String

  /// Runs the kernel; both inputs must share a dtype. Bools compare as 0 and 1, strings
  /// (equality only) by their bytes.
  static func run(_ a: Tensor, _ b: Tensor, op: String) throws(TensorError) -> Tensor {
    guard a.dtype == b.dtype else {
      throw .dtypeMismatch(op: op, expected: a.dtype, actual: b.dtype, inputIndex: 1)
    }
    switch a.dtype {
    case .bool: return try Elementwise.zip(a, b, OnBools.self, op: op)
    case .string:
      guard let shape = Shape.broadcast(a.shape, b.shape) else {
        throw .incompatibleShapes(op: op, lhs: a.shape, rhs: b.shape)
      }
      // Only `Equal` and `NotEqual` take strings: compare "same bytes" (0) with 0.
      let (x, y) = (try a.broadcasted(to: shape).strings, try b.broadcasted(to: shape).strings)
      return Tensor(shape: shape, scalars: zip(x, y).map { P.holds($0.utf8.elementsEqual($1.utf8) ? 0 : 1, 0) })
    default: return try ComparisonKernel(a: a, b: b, op: op).dispatch(on: a.dtype, op: op)
    }
  }

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Elementwise.zip(a, b, OnFloats<T>.self, op: op)
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Elementwise.zip(a, b, OnIntegers<T>.self, op: op)
  }

  /// `P` on floats, compared in the compute type (exact for half types) with subnormals read
  /// as zero, as TF's kernels compare.
  enum OnFloats<T: FloatingElement>: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: T, _ b: T) -> Bool { P.holds(a.computeValue, b.computeValue) }
    static var flushesDenormals: Bool { true }
  }

  enum OnIntegers<T: IntegerElement>: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: T, _ b: T) -> Bool { P.holds(a, b) }
  }

  enum OnBools: BinaryElementFunction {
    @inline(__always)
    static func apply(_ a: Bool, _ b: Bool) -> Bool { P.holds(a ? 1 : 0, b ? 1 : 0) }
  }
}

extension OpDefinition {
  /// `x == y` element-wise, broadcasting.
  public static let equal = Comparisons.declareEquality("Equal", Comparisons.IsEqual.self, mismatch: false)
  /// `x != y` element-wise, broadcasting.
  public static let notEqual = Comparisons.declareEquality("NotEqual", Comparisons.IsNotEqual.self, mismatch: true)
  /// `x > y` element-wise, broadcasting.
  public static let greater = Comparisons.declare("Greater", Comparisons.IsGreater.self)
  /// `x >= y` element-wise, broadcasting.
  public static let greaterEqual = Comparisons.declare("GreaterEqual", Comparisons.IsGreaterOrEqual.self)
  /// `x < y` element-wise, broadcasting.
  public static let less = Comparisons.declare("Less", Comparisons.IsLess.self)
  /// `x <= y` element-wise, broadcasting.
  public static let lessEqual = Comparisons.declare("LessEqual", Comparisons.IsLessOrEqual.self)
}

extension Comparisons {
  /// `SelectV2`'s spec: a bool condition, `t` and `e` of one dtype, all three broadcast.
  static func inferSelect(_ inputs: [TensorSpec]) throws(OpError) -> [TensorSpec] {
    guard inputs[0].dtype == .bool else {
      throw .typeError(
        "Input 'condition' of 'SelectV2' Op has type \(inputs[0].dtype.name) that does not match expected type of bool."
      )
    }
    try ShapeInference.requireSameDType("SelectV2", inputs[1], inputs[2], names: ("t", "e"))
    let node = "SelectV2[T=\(inputs[1].dtype.tfEnumName)]"
    return [TensorSpec(dtype: inputs[1].dtype, partialShape: try broadcast(inputs, node: node))]
  }

  /// `condition ? t : e` element-wise, the three broadcast to one shape.
  static func select(_ condition: Tensor, _ t: Tensor, _ e: Tensor) throws(TensorError) -> Tensor {
    guard condition.dtype == .bool else {
      throw .dtypeMismatch(op: "SelectV2", expected: .bool, actual: condition.dtype, inputIndex: 0)
    }
    guard t.dtype == e.dtype else {
      throw .dtypeMismatch(op: "SelectV2", expected: t.dtype, actual: e.dtype, inputIndex: 2)
    }
    guard let values = Shape.broadcast(t.shape, e.shape), let shape = Shape.broadcast(condition.shape, values) else {
      throw .invalidArgument(
        "condition \(Shape.describe(condition.shape)), then \(Shape.describe(t.shape)), and else "
          + "\(Shape.describe(e.shape)) must be broadcastable")
    }
    let (c, a, b) = (try condition.broadcasted(to: shape), try t.broadcasted(to: shape), try e.broadcasted(to: shape))
    if t.dtype == .string {
      let (x, y, flags) = (a.strings, b.strings, c.scalars(as: Bool.self))
      return Tensor(shape: shape, strings: flags.indices.map { flags[$0] ? x[$0] : y[$0] })
    }
    func run<T: TensorElement>(_ type: T.Type) throws(TensorError) -> Tensor {
      let (out, o) = try Tensor.uninitialized(T.self, shape: shape)
      c.withUnsafeBufferPointer(as: Bool.self) { c in
        a.withUnsafeBufferPointer(as: T.self) { a in
          b.withUnsafeBufferPointer(as: T.self) { b in
            for i in 0..<c.count { (o + i).initialize(to: c[i] ? a[i] : b[i]) }
          }
        }
      }
      return out
    }
    return try run(t.elementType)
  }
}

extension OpDefinition {
  /// `condition ? t : e` element-wise, the three broadcasting together.
  public static let selectV2 = OpDefinition(
    "SelectV2", gradient: .rule(Comparisons.SelectGradient.self),
    infer: { inputs, _ throws(OpError) in try Comparisons.inferSelect(inputs) },
    kernel: { inputs, _ throws(TensorError) in [try Comparisons.select(inputs[0], inputs[1], inputs[2])] })
}

extension Comparisons {
  /// `_SelectGradV2`: the gradient where the condition holds to `t`, elsewhere to `e`, each
  /// summed back to its input's shape; none to the condition.
  enum SelectGradient: GradientFunction {
    @_specialize(where E == EagerEmitter)
    static func gradients<E: GradientEmitter>(_ g: GradientInputs<E>) throws(OpError) -> [E.Value?] {
      let condition = g.inputs[0]
      let zeros = try g.emit(.zerosLike, g.grad)
      return [
        nil,
        try g.unbroadcast(try g.emit(.selectV2, condition, g.grad, zeros), toInput: 1),
        try g.unbroadcast(try g.emit(.selectV2, condition, zeros, g.grad), toInput: 2),
      ]
    }
  }
}
