/// The drivers of element-wise kernels: an op supplies the scalar function, a driver walks
/// the operands (contiguous runs, broadcasting, all cores over `Parallel.threshold`).
///
/// Drivers are `@inlinable` so that each op's function is specialised and inlined per dtype
/// in the module that declares the op: no closure call per element.
public enum Elementwise {
  /// `f` applied to each element of `x` (of element type `T`), giving a tensor of `R`.
  @inlinable @inline(__always)
  public static func map<T: TensorElement, R: TensorElement>(
    _ x: Tensor, _ type: T.Type, to result: R.Type, cost: Int = 1, _ f: (T) -> R
  ) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(R.self, shape: x.shape)
    x.withUnsafeBufferPointer(as: T.self) { input in
      let p = input.baseAddress!
      Parallel.forEachRange(input.count, cost: cost) { range in
        for i in range { (o + i).initialize(to: f(p[i])) }
      }
    }
    return out
  }

  /// `f` applied to each pair of broadcast elements of `lhs` and `rhs` (both of element
  /// type `T`), giving a tensor of `R`. Throws `incompatibleShapes` naming `op`.
  @inlinable @inline(__always)
  public static func zip<T: TensorElement, R: TensorElement>(
    _ lhs: Tensor, _ rhs: Tensor, _ type: T.Type, to result: R.Type, op: String, cost: Int = 1,
    _ f: (T, T) -> R
  ) throws(TensorError) -> Tensor {
    if lhs.shape == rhs.shape {
      // The common case: one contiguous run, no plan to build.
      let (out, o) = try Tensor.uninitialized(R.self, shape: lhs.shape)
      lhs.withUnsafeBufferPointer(as: T.self) { a in
        rhs.withUnsafeBufferPointer(as: T.self) { b in
          guard let a = a.baseAddress, let b = b.baseAddress else { return }
          Parallel.forEachRange(out.scalarCount, cost: cost) { range in run(o, a, 1, b, 1, range, f) }
        }
      }
      return out
    }
    guard let plan = BroadcastPlan(lhs.shape, rhs.shape) else {
      throw .incompatibleShapes(op: op, lhs: lhs.shape, rhs: rhs.shape)
    }
    let (out, o) = try Tensor.uninitialized(R.self, shape: plan.outShape)
    guard out.scalarCount > 0 else { return out }
    lhs.withUnsafeBufferPointer(as: T.self) { lhsBuffer in
      rhs.withUnsafeBufferPointer(as: T.self) { rhsBuffer in
        let a = lhsBuffer.baseAddress!
        let b = rhsBuffer.baseAddress!
        let inner = plan.inner
        // Split by runs when there are many, else split the one run's elements.
        if plan.runCount == 1 {
          Parallel.forEachRange(inner, cost: cost) { range in
            run(o, a, plan.lhsInner, b, plan.rhsInner, range, f)
          }
        } else {
          Parallel.forEachRange(plan.runCount, cost: cost * inner, granule: 1) { runs in
            plan.forEachRun(in: runs) { outOffset, lhsOffset, rhsOffset in
              run(o + outOffset, a + lhsOffset, plan.lhsInner, b + rhsOffset, plan.rhsInner, 0..<inner, f)
            }
          }
        }
      }
    }
    return out
  }

  /// One run: each operand steps by 1 (contiguous) or 0 (repeated).
  @inlinable @inline(__always)
  static func run<T, R>(
    _ o: UnsafeMutablePointer<R>, _ a: UnsafePointer<T>, _ sa: Int, _ b: UnsafePointer<T>, _ sb: Int,
    _ range: Range<Int>, _ f: (T, T) -> R
  ) {
    switch (sa, sb) {
    case (1, 1): for i in range { (o + i).initialize(to: f(a[i], b[i])) }
    case (1, _): let y = b[0]; for i in range { (o + i).initialize(to: f(a[i], y)) }
    case (_, 1): let x = a[0]; for i in range { (o + i).initialize(to: f(x, b[i])) }
    default: let v = f(a[0], b[0]); for i in range { (o + i).initialize(to: v) }
    }
  }
}
