extension Tensor {
  /// Reshapes to `requested`, where at most one dimension may be -1 and is inferred.
  /// Throws TensorFlow's message when the element counts cannot match.
  public func reshaped(toRequested requested: [Int]) throws(TensorError) -> Tensor {
    let inferred = requested.indices.filter { requested[$0] == -1 }
    guard inferred.count <= 1 else {
      throw .invalidArgument("Only one input size may be -1, not both \(inferred[0]) and \(inferred[1])")
    }
    if let bad = requested.first(where: { $0 < -1 }) {
      throw .invalidArgument("Size \(requested.firstIndex(of: bad)!) must be non-negative, not \(bad)")
    }
    var dims = requested
    let known = requested.filter { $0 != -1 }.reduce(1, *)
    if let axis = inferred.first {
      guard known != 0, scalarCount % known == 0 else {
        throw .invalidArgument(
          "Input to reshape is a tensor with \(scalarCount) values, but the requested shape "
            + "requires a multiple of \(known)")
      }
      dims[axis] = scalarCount / known
    } else if known != scalarCount {
      throw .invalidArgument(
        "Input to reshape is a tensor with \(scalarCount) values, but the requested shape has \(known)")
    }
    return reshaped(to: dims)
  }
}

extension Tensor {
  /// The tensor broadcast to `target`, which must be a broadcast of its shape.
  public func broadcasted(to target: [Int]) throws(TensorError) -> Tensor {
    // One element (a gradient spread over a reduced input) repeats without a plan.
    if scalarCount == 1, rank <= target.count, target.allSatisfy({ $0 >= 0 }), shape != target {
      return try ElementCopier.assemble(from: self, shape: target) { copier in
        copier.copy(from: 0, step: 0, to: 0, count: Shape.elementCount(target))
      }
    }
    guard let plan = BroadcastPlan(shape, target), plan.outShape == target else {
      throw .incompatibleShapes(op: "BroadcastTo", lhs: shape, rhs: target)
    }
    if shape == target { return self }
    return try ElementCopier.assemble(from: self, shape: target) { copier in
      plan.forEachRun(in: 0..<plan.runCount) { out, from, _ in
        copier.copy(from: from, step: plan.lhsInner, to: out, count: plan.inner)
      }
    }
  }
}
