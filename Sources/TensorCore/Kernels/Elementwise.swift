/// The drivers of element-wise kernels: an op supplies the scalar function, a driver walks
/// the operands (contiguous runs, broadcasting, all cores over `Parallel.threshold`).
///
/// Drivers are `@inlinable` and take the scalar function as a type, so that each op's
/// function is specialised and inlined per dtype in the module that declares the op: no call
/// per element, and loops the compiler vectorises. The closure forms serve cold paths (casts
/// of small tensors, NumPy helpers).
public enum Elementwise {
  /// `F` applied to each element of `x`.
  @inlinable
  public static func map<F: UnaryElementFunction>(_ x: Tensor, _ function: F.Type) throws(TensorError) -> Tensor {
    let (out, o) = try Tensor.uninitialized(F.Output.self, shape: x.shape)
    x.withUnsafeBufferPointer(as: F.Input.self) { input in
      guard let p = input.baseAddress else { return }
      Parallel.forEachRange(input.count) { range in
        flushing(F.flushesDenormals) { for i in range { (o + i).initialize(to: F.apply(p[i])) } }
      }
    }
    return out
  }

  /// `F` applied to each pair of broadcast elements of `lhs` and `rhs`. Throws
  /// `incompatibleShapes` naming `op`.
  @inlinable
  public static func zip<F: BinaryElementFunction>(
    _ lhs: Tensor, _ rhs: Tensor, _ function: F.Type, op: String
  ) throws(TensorError) -> Tensor {
    if lhs.shape == rhs.shape {
      let (out, o) = try Tensor.uninitialized(F.Output.self, shape: lhs.shape)
      withElements(lhs, rhs, as: F.Input.self) { a, b in
        Parallel.forEachRange(out.scalarCount) { range in
          flushing(F.flushesDenormals) { for i in range { (o + i).initialize(to: F.apply(a[i], b[i])) } }
        }
      }
      return out
    }
    if let result = try zipRows(lhs, rhs, F.self) { return result }
    guard let plan = BroadcastPlan(lhs.shape, rhs.shape) else {
      throw .incompatibleShapes(op: op, lhs: lhs.shape, rhs: rhs.shape)
    }
    let (out, o) = try Tensor.uninitialized(F.Output.self, shape: plan.outShape)
    guard out.scalarCount > 0 else { return out }
    withElements(lhs, rhs, as: F.Input.self) { a, b in
      if plan.runCount == 1 {
        Parallel.forEachRange(plan.inner) { range in
          flushing(F.flushesDenormals) { run(F.self, o, a, plan.lhsInner, b, plan.rhsInner, range) }
        }
      } else {
        Parallel.forEachRange(plan.runCount, cost: plan.inner, granule: 1) { runs in
          flushing(F.flushesDenormals) {
            plan.forEachRun(in: runs) { outOffset, lhsOffset, rhsOffset in
              run(F.self, o + outOffset, a + lhsOffset, plan.lhsInner, b + rhsOffset, plan.rhsInner, 0..<plan.inner)
            }
          }
        }
      }
    }
    return out
  }

  /// `zip` for the broadcasts most programs make, without building a `BroadcastPlan`: one
  /// operand's shape ends the other's (a bias added to each row, or a one-element operand
  /// such as `0.01 * g`), so the output takes the longer shape and the shorter operand repeats
  /// along it, row by row. Nil for any other pair of shapes.
  @inlinable
  static func zipRows<F: BinaryElementFunction>(
    _ lhs: Tensor, _ rhs: Tensor, _ function: F.Type
  ) throws(TensorError) -> Tensor? {
    let lhsRepeats: Bool
    if lhs.rank < rhs.rank && rhs.shape.suffix(lhs.rank).elementsEqual(lhs.shape) {
      lhsRepeats = true
    } else if rhs.rank < lhs.rank && lhs.shape.suffix(rhs.rank).elementsEqual(rhs.shape) {
      lhsRepeats = false
    } else {
      return nil
    }
    let long = lhsRepeats ? rhs : lhs
    let row = (lhsRepeats ? lhs : rhs).scalarCount
    let (out, o) = try Tensor.uninitialized(F.Output.self, shape: long.shape)
    guard out.scalarCount > 0 else { return out }
    withElements(lhs, rhs, as: F.Input.self) { a, b in
      if row == 1 {
        Parallel.forEachRange(out.scalarCount) { range in
          flushing(F.flushesDenormals) { run(F.self, o, a, lhsRepeats ? 0 : 1, b, lhsRepeats ? 1 : 0, range) }
        }
        return
      }
      Parallel.forEachRange(out.scalarCount / row, cost: row, granule: 1) { rows in
        flushing(F.flushesDenormals) {
          for r in rows {
            let offset = r * row
            run(F.self, o + offset, lhsRepeats ? a : a + offset, 1, lhsRepeats ? b + offset : b, 1, 0..<row)
          }
        }
      }
    }
    return out
  }

  /// Calls `body` with the first elements of `lhs` and `rhs`, read as `T`; not at all when
  /// either is empty.
  @inlinable @inline(__always)
  static func withElements<T: TensorElement>(
    _ lhs: Tensor, _ rhs: Tensor, as type: T.Type, _ body: (UnsafePointer<T>, UnsafePointer<T>) -> Void
  ) {
    lhs.withUnsafeBufferPointer(as: T.self) { a in
      rhs.withUnsafeBufferPointer(as: T.self) { b in
        guard let a = a.baseAddress, let b = b.baseAddress else { return }
        body(a, b)
      }
    }
  }

  /// `F` applied to each pair of elements of `target` and `operand` (of one shape), written
  /// over `target`'s elements: the values `zip` computes, for a `target` whose buffer no other
  /// tensor shares (`Tensor.holdsUniqueBuffer`), so no other value sees them change.
  @inlinable
  public static func zipInPlace<F: BinaryElementFunction>(
    into target: Tensor, _ operand: Tensor, _ function: F.Type
  ) where F.Output == F.Input {
    precondition(
      target.shape == operand.shape && target.dtype == F.Input.dtype && operand.dtype == F.Input.dtype,
      "an in-place update of a \(target.dtype.name) \(target.shape) by a \(operand.dtype.name) \(operand.shape)")
    let count = target.scalarCount
    let o = target.buffer.base.bindMemory(to: F.Output.self, capacity: count)
    let b = UnsafePointer(operand.buffer.base.bindMemory(to: F.Input.self, capacity: count))
    withExtendedLifetime((target, operand)) {
      Parallel.forEachRange(count) { range in
        flushing(F.flushesDenormals) { for i in range { o[i] = F.apply(o[i], b[i]) } }
      }
    }
  }

  /// Runs `body` with subnormals flushed when `flush` is set (`BinaryElementFunction.flushesDenormals`),
  /// on the thread that runs it: MXCSR is per thread.
  @inlinable @inline(__always)
  static func flushing(_ flush: Bool, _ body: () -> Void) {
    if flush { flushingDenormals(body) } else { body() }
  }

  @usableFromInline
  static func flushingDenormals(_ body: () -> Void) { EigenMath.withFlushedDenormals(body) }

  /// One run of `F`: each operand steps by 1 (contiguous) or 0 (repeated).
  @inlinable @inline(__always)
  static func run<F: BinaryElementFunction>(
    _ function: F.Type, _ o: UnsafeMutablePointer<F.Output>, _ a: UnsafePointer<F.Input>, _ sa: Int,
    _ b: UnsafePointer<F.Input>, _ sb: Int, _ range: Range<Int>
  ) {
    switch (sa, sb) {
    case (1, 1): for i in range { (o + i).initialize(to: F.apply(a[i], b[i])) }
    case (1, _): let y = b[0]; for i in range { (o + i).initialize(to: F.apply(a[i], y)) }
    case (_, 1): let x = a[0]; for i in range { (o + i).initialize(to: F.apply(x, b[i])) }
    default: let v = F.apply(a[0], b[0]); for i in range { (o + i).initialize(to: v) }
    }
  }

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
}
