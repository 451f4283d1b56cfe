import Operations
import PythonRuntime
import TensorCore

/// NumPy's reductions and a few ufuncs, with NumPy's dtype rules: sums of integers and
/// bools are int64, means of them float64, max and min keep the dtype.
extension TFRuntime {
  func registerNumpyReductions() {
    let reductions: [(String, NumpyReduction.Kind)] = [
      ("sum", .sum), ("mean", .mean), ("max", .max), ("amax", .max), ("min", .min), ("amin", .min),
    ]
    var members: [String: PyValue] = [:]
    for (name, op) in reductions {
      members[name] = function(
        "np.\(name)", [.required("a"), .optional("axis"), .optional("dtype"), .optional("out"), .optional("keepdims")]
      ) { bound, _ throws(RuntimeError) in
        if case .object = bound["out"] { throw .unsupported("np.\(name)(out=…)") }
        let tensor = try Conversion.numpyArray(bound["a"], dtype: nil)
        return try NumpyReduction.reduce(
          tensor, op, name: name, axes: try bound.axes("axis"), keepDims: try bound.bool("keepdims"),
          dtype: try DTypeArgument.parse(bound["dtype"], argument: "dtype"))
      }
    }
    for name in ["abs", "absolute"] {
      members[name] = function("np.\(name)", [.required("x")]) { bound, context throws(RuntimeError) in
        let tensor = try Conversion.numpyArray(bound["x"], dtype: nil)
        let result =
          tensor.dtype == .bool
          ? tensor : try Conversion.kernel { () throws(TensorError) in try OpDefinition.abs(tensor) }
        return NumpyReduction.wrap(result)
      }
    }
    members["allclose"] = function(
      "np.allclose", [.required("a"), .required("b"), .optional("rtol"), .optional("atol"), .optional("equal_nan")]
    ) { bound, _ throws(RuntimeError) in
      let a = try Conversion.numpyArray(bound["a"], dtype: nil)
      let b = try Conversion.numpyArray(bound["b"], dtype: nil)
      return .bool(
        try NumpyReduction.allClose(
          a, b, rtol: try bound.double("rtol"), atol: try bound.double("atol"), equalNaN: try bound.bool("equal_nan")))
    }
    register(ModuleName.numpy, members)
  }
}

/// The shared implementation of NumPy reductions, used by `np.sum` and `ndarray.sum` alike.
enum NumpyReduction {
  /// The reductions NumPy arrays have.
  enum Kind {
    case sum, mean, max, min

    /// NumPy's word for the reduction in its error messages.
    var ufuncName: String {
      switch self {
      case .sum, .mean: "add"
      case .max: "maximum"
      case .min: "minimum"
      }
    }

    /// The TF op that computes it.
    var op: OpDefinition {
      switch self {
      case .sum: .sum
      case .mean: .mean
      case .max: .max
      case .min: .min
      }
    }
  }

  static func reduce(_ tensor: Tensor, _ op: Kind, name: String, axes: [Int]?, keepDims: Bool, dtype: DType?)
    throws(RuntimeError) -> PyValue
  {
    for axis in axes ?? [] where Shape.normalizedAxis(axis, rank: tensor.rank) == nil {
      throw .exception("AxisError", "axis \(axis) is out of bounds for array of dimension \(tensor.rank)")
    }
    if let axes, Set(axes.compactMap { Shape.normalizedAxis($0, rank: tensor.rank) }).count < axes.count {
      throw .valueError("duplicate value in 'axis'")
    }
    // NumPy refuses a maximum or minimum over no elements (some reduced axis of length 0),
    // even when the result is empty; other empty inputs reduce to empty results.
    let reducedCount = axes.map { $0.reduce(1) { $0 * tensor.shape[Shape.normalizedAxis($1, rank: tensor.rank)!] } }
    if op == .max || op == .min, (reducedCount ?? tensor.scalarCount) == 0 {
      throw .valueError("zero-size array to reduction operation \(op.ufuncName) which has no identity")
    }
    let input = tensor
    var resultType = tensor.dtype
    switch op {
    case .sum where !tensor.dtype.isFloatingPoint: resultType = .int64
    case .mean where !tensor.dtype.isFloatingPoint: resultType = .float64
    default: break
    }
    if let dtype { resultType = dtype }
    // Bools have no Max kernel: reduce them as integers and convert back.
    let result = try Conversion.kernel { () throws(TensorError) in
      let converted = try input.cast(to: resultType == .bool ? .int64 : resultType)
      let reduced: Tensor
      switch op {
      case .sum, .mean:
        let layout = try ReductionLayout(shape: converted.shape, axes: axes, keepDims: keepDims)
        reduced = try NumpySum(x: converted, layout: layout, mean: op == .mean).dispatch(on: converted.dtype, op: "add")
      case .max, .min:
        reduced = try op.op(converted, attributes: .reduction(axes: axes, keepDims: keepDims))
      }
      return resultType == .bool ? try reduced.cast(to: .bool) : reduced
    }
    return wrap(result)
  }

  /// A result as NumPy returns it: a NumPy scalar at rank 0, an array otherwise.
  static func wrap(_ tensor: Tensor) -> PyValue {
    .object(NDArray(tensor))
  }

  /// `np.allclose`: every pair within `atol + rtol·|b|`, broadcasting; NaNs match only with `equal_nan`.
  static func allClose(_ a: Tensor, _ b: Tensor, rtol: Double, atol: Double, equalNaN: Bool) throws(RuntimeError)
    -> Bool
  {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      throw .valueError(
        "operands could not be broadcast together with shapes "
          + "\(Shape.pythonTuple(a.shape).replacingOccurrences(of: " ", with: "")) "
          + "\(Shape.pythonTuple(b.shape).replacingOccurrences(of: " ", with: "")) "
      )
    }
    let x = try Conversion.kernel { () throws(TensorError) in try a.broadcasted(to: shape).doubles }
    let y = try Conversion.kernel { () throws(TensorError) in try b.broadcasted(to: shape).doubles }
    for (p, q) in zip(x, y) {
      if p.isNaN || q.isNaN {
        if !(equalNaN && p.isNaN && q.isNaN) { return false }
      } else if p.isInfinite || q.isInfinite {
        if p != q { return false }
      } else if abs(p - q) > atol + rtol * abs(q) {
        return false
      }
    }
    return true
  }
}

/// NumPy's sum and mean: floats accumulate in double and round once (close to, not bit for
/// bit, NumPy's pairwise summation), integers wrap.
struct NumpySum: NumericKernel {
  let x: Tensor, layout: ReductionLayout, mean: Bool

  func floating<T: FloatingElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    let count = Double(layout.reducedCount)
    let sums = try Reduction.fold(try x.cast(to: .float64), Double.self, layout: layout, identity: 0, +)
    return try Elementwise.map(sums, Double.self, to: T.self) { [mean] in T(castingFrom: mean ? $0 / count : $0) }
  }

  func integer<T: IntegerElement>(_ type: T.Type) throws(TensorError) -> Tensor {
    try Reduction.fold(x, T.self, layout: layout, identity: 0, &+)
  }
}
