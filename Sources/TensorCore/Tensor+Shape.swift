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

  /// The elements converted to `target`, as TensorFlow's `Cast` converts them: floats to
  /// integers truncate toward zero, anything to bool is `!= 0`, bool to numbers is 0 or 1.
  public func cast(to target: DType) -> Tensor {
    if target == dtype { return self }
    let converted: TensorStorage
    switch (storage, target) {
    case let (.float64(v), .float32): converted = .float32(v.map(Float.init))
    case let (.int32(v), .int64): converted = .int64(v.map(Int64.init))
    case let (.int64(v), .int32): converted = .int32(v.map { Int32(truncatingIfNeeded: $0) })
    case let (.int64(v), .float64): converted = .float64(v.map(Double.init))
    case let (.int64(v), .float32): converted = .float32(v.map(Float.init))
    case let (.int64(v), .bool): converted = .bool(v.map { $0 != 0 })
    case let (.float32(v), .int64): converted = .int64(v.map { Int64(truncatingClamped: Double($0)) })
    case let (.float64(v), .int64): converted = .int64(v.map { Int64(truncatingClamped: $0) })
    default: converted = TensorStorage.converting(doubles, to: target)
    }
    return Tensor(shape: shape, storage: converted)
  }
}

extension Tensor {
  /// The tensor broadcast to `target`, which must be a broadcast of its shape.
  public func broadcasted(to target: [Int]) throws(TensorError) -> Tensor {
    guard Shape.broadcast(shape, target) == target else {
      throw .incompatibleShapes(op: "BroadcastTo", lhs: shape, rhs: target)
    }
    func spread<T>(_ values: [T]) -> [T] {
      Broadcasting.apply(values, shape, [values.first!], [], outShape: target) { value, _ in value }
    }
    if scalarCount == 0 || shape == target { return reshaped(to: target) }
    switch storage {
    case let .float32(v): return Tensor(shape: target, storage: .float32(spread(v)))
    case let .float64(v): return Tensor(shape: target, storage: .float64(spread(v)))
    case let .int32(v): return Tensor(shape: target, storage: .int32(spread(v)))
    case let .int64(v): return Tensor(shape: target, storage: .int64(spread(v)))
    case let .bool(v): return Tensor(shape: target, storage: .bool(spread(v)))
    }
  }
}
