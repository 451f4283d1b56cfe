import Testing

@testable import TensorCore

@Suite struct ReductionLayoutTests {
  /// The layout's output shape, collapsed dimensions and first flag, or nil when it refuses.
  private func layout(_ shape: [Int], _ axes: [Int]?, keepDims: Bool = false) -> ([Int], [Int], Bool)? {
    ReductionLayout(shape: shape, axes: axes, keepDims: keepDims).map { ($0.outShape, $0.dims, $0.reduceFirst) }
  }

  @Test("size-1 dimensions drop out, neighbours with the same flag merge, repeats and negatives count once")
  func collapsing() {
    #expect(layout([2, 3, 4], [1])! == ([2, 4], [2, 3, 4], false))
    #expect(layout([2, 1, 3], [0, 2])! == ([1], [6], true))
    #expect(layout([3, 4, 5, 6], [0, 2])! == ([4, 6], [3, 4, 5, 6], true))
    #expect(layout([4, 5], [-1])! == ([4], [4, 5], false))
    #expect(layout([2, 3], [0, 0, -2])! == ([3], [2, 3], true))
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
}
