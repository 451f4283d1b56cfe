/// One component of a basic index: `t[2]`, `t[1:3]`, `t[::-1]`.
public enum IndexComponent: Sendable, Equatable {
  /// A single position (negative counts from the end); removes the axis.
  case position(Int)
  /// A range with Python's slice semantics; nil bounds are open.
  case range(start: Int?, end: Int?, step: Int)
}

extension Tensor {
  /// Basic indexing, as NumPy and `tf.Tensor.__getitem__` do it for ints and slices:
  /// components apply to the leading axes, the rest are kept whole.
  public func indexed(_ components: [IndexComponent]) throws(TensorError) -> Tensor {
    guard components.count <= rank else {
      throw .invalidArgument("Index out of range: too many indices for a tensor of rank \(rank)")
    }
    var selections: [[Int]] = []
    var outShape: [Int] = []
    for (axis, component) in components.enumerated() {
      let size = shape[axis]
      switch component {
      case let .position(p):
        let resolved = p < 0 ? p + size : p
        guard (0..<size).contains(resolved) else {
          throw .invalidArgument("index \(p) is out of bounds for axis \(axis) with size \(size)")
        }
        selections.append([resolved])
      case let .range(start, end, step):
        guard step != 0 else { throw .invalidArgument("slice step cannot be zero") }
        func clamp(_ value: Int?, _ fallback: Int) -> Int {
          guard var v = value else { return fallback }
          if v < 0 { v += size }
          return step > 0 ? Swift.min(Swift.max(v, 0), size) : Swift.min(Swift.max(v, -1), size - 1)
        }
        let from = clamp(start, step > 0 ? 0 : size - 1)
        let to = clamp(end, step > 0 ? size : -1)
        let picked = Array(stride(from: from, to: to, by: step))
        selections.append(picked)
        outShape.append(picked.count)
      }
    }
    for axis in components.count..<rank {
      selections.append(Array(0..<shape[axis]))
      outShape.append(shape[axis])
    }
    let strides = Shape.strides(shape)
    // Flat source offsets of every selected element, in row-major order of the result.
    var offsets = [0]
    for (axis, picked) in selections.enumerated() {
      offsets = offsets.flatMap { base in picked.map { base + $0 * strides[axis] } }
    }
    return try ElementCopier.assemble(from: self, shape: outShape) { copier in
      for (index, offset) in offsets.enumerated() { copier.copy(from: offset, to: index, count: 1) }
    }
  }
}

extension Tensor {
  /// The sub-tensors along the first axis (empty for a scalar).
  public func rows() throws(TensorError) -> [Tensor] {
    guard let count = shape.first, count > 0 else { return [] }
    let rowShape = Array(shape.dropFirst())
    let size = Shape.elementCount(rowShape)
    var result: [Tensor] = []
    for row in 0..<count {
      result.append(
        try ElementCopier.assemble(from: self, shape: rowShape) { copier in
          copier.copy(from: row * size, to: 0, count: size)
        })
    }
    return result
  }
}
