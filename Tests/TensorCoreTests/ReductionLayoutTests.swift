import Testing

@testable import TensorCore

@Suite struct ReductionLayoutTests {
  /// The layout's output shape, collapsed dimensions and first flag, or nil when it refuses.
  private func layout(_ shape: [Int], _ axes: [Int]?, keepDims: Bool = false) -> ([Int], [Int], Bool)? {
    (try? ReductionLayout(shape: shape, axes: axes, keepDims: keepDims)).map { ($0.outShape, $0.dims, $0.reduceFirst) }
  }

  @Test("size-1 dimensions drop out, neighbours with the same flag merge, negatives count from the end")
  func collapsing() {
    #expect(layout([2, 3, 4], [1])! == ([2, 4], [2, 3, 4], false))
    #expect(layout([2, 1, 3], [0, 2])! == ([1], [6], true))
    #expect(layout([3, 4, 5, 6], [0, 2])! == ([4, 6], [3, 4, 5, 6], true))
    #expect(layout([4, 5], [-1])! == ([4], [4, 5], false))
    #expect(layout([2, 3], nil)! == ([], [6], true))
  }

  @Test("keep_dims keeps reduced axes as 1; an all-ones shape reduces one element; a bad axis is refused")
  func edges() {
    #expect(layout([2, 3], [1], keepDims: true)! == ([2, 1], [2, 3], false))
    #expect(layout([1, 1], nil, keepDims: true)! == ([1, 1], [1], true))
    #expect(layout([], nil)! == ([], [1], true))
    #expect(layout([2, 3], [2]) == nil)
    #expect(layout([2, 3], [-3]) == nil)
  }

  @Test("an axis out of range or named twice raises TF's message, checked in the order given")
  func badAxes() {
    #expect(throws: TensorError.invalidArgument("Invalid reduction dimension (2 for input with 2 dimension(s)")) {
      try ReductionLayout(shape: [2, 3], axes: [2], keepDims: false)
    }
    #expect(throws: TensorError.invalidArgument("Invalid reduction arguments: Axes contains duplicate dimension: 0")) {
      try ReductionLayout(shape: [2, 3], axes: [0, -2, 5], keepDims: false)
    }
    #expect(throws: TensorError.invalidArgument("Invalid reduction dimension (0 for input with 0 dimension(s)")) {
      try ReductionLayout(shape: [], axes: [0], keepDims: true)
    }
  }
}
