import Operations
import Testing

@testable import TensorCore

/// An `ExpandDims` or `Squeeze` node TensorFlow 2.21 built in a `tf.compat.v1` graph from a
/// constant or placeholder (`inputs`, as TF's message names them): the output shape it
/// inferred or the ValueError it raised, verbatim.
struct ShapeInferenceCase: Sendable, CustomTestStringConvertible {
  let name: String
  let op: OpDefinition
  let dtype: DType
  let input: [Int?]?
  let attributes: OpAttributes
  var inputs = ""
  var shape: [Int?]? = nil
  var error: String? = nil
  var testDescription: String { name }
}

/// ExpandDims and Squeeze: inference against TF 2.21's shape functions, and kernels that
/// return a view of the input's buffer with TF's eager messages.
@Suite struct ShapeOpTests {
  static let expand = "ExpandDims[T=DT_FLOAT, Tdim=DT_INT32]"

  static let inference: [ShapeInferenceCase] = [
    ShapeInferenceCase(
      name: "expand at 1", op: .expandDims, dtype: .float32, input: [2, 3], attributes: .expandDims([1], scalar: true),
      shape: [2, 1, 3]),
    ShapeInferenceCase(
      name: "expand at -1 keeps unknown dims", op: .expandDims, dtype: .float32, input: [nil, 3],
      attributes: .expandDims([-1], scalar: true), shape: [nil, 3, 1]),
    ShapeInferenceCase(
      name: "expand at -3 is the front", op: .expandDims, dtype: .float32, input: [2, 3],
      attributes: .expandDims([-3], scalar: true), shape: [1, 2, 3]),
    ShapeInferenceCase(
      name: "expand of unknown rank", op: .expandDims, dtype: .float32, input: nil,
      attributes: .expandDims([0], scalar: true), shape: nil),
    ShapeInferenceCase(
      name: "expand past the end", op: .expandDims, dtype: .float32, input: [2, 3],
      attributes: .expandDims([3], scalar: true),
      inputs: "(Const, ExpandDims/dim)",
      error:
        "dim 3 not in the interval [-3, 2]. for '{{node ExpandDims}} = \(expand)(Const, ExpandDims/dim)' with input "
        + "shapes: [2,3], [] and with computed input tensors: input[1] = <3>."
    ),
    ShapeInferenceCase(
      name: "expand before the front", op: .expandDims, dtype: .float32, input: [2, 3],
      attributes: .expandDims([-4], scalar: true),
      inputs: "(Const, ExpandDims/dim)",
      error:
        "dim -4 not in the interval [-3, 2]. for '{{node ExpandDims}} = \(expand)(Const, ExpandDims/dim)' with input "
        + "shapes: [2,3], [] and with computed input tensors: input[1] = <-4>."
    ),
    ShapeInferenceCase(
      name: "expand a placeholder past the end", op: .expandDims, dtype: .float32, input: [nil, 3],
      attributes: .expandDims([3], scalar: true),
      inputs: "(Placeholder, ExpandDims/dim)",
      error:
        "dim 3 not in the interval [-3, 2]. for '{{node ExpandDims}} = \(expand)(Placeholder, ExpandDims/dim)' with "
        + "input shapes: [?,3], [] and with computed input tensors: input[1] = <3>."
    ),
    ShapeInferenceCase(
      name: "expand an int32 vector", op: .expandDims, dtype: .int32, input: [2],
      attributes: .expandDims([5], scalar: true),
      inputs: "(Const_1, ExpandDims/dim)",
      error:
        "dim 5 not in the interval [-2, 1]. for '{{node ExpandDims}} = ExpandDims[T=DT_INT32, Tdim=DT_INT32](Const_1, "
        + "ExpandDims/dim)' with input shapes: [2], [] and with computed input tensors: input[1] = <5>."
    ),
    ShapeInferenceCase(
      name: "expand at two axes", op: .expandDims, dtype: .float32, input: [2, 3],
      attributes: .expandDims([0, 1], scalar: false),
      inputs: "(Const, ExpandDims/dim)",
      error:
        "'dim' input must be a tensor with a single value for '{{node ExpandDims}} = \(expand)(Const, "
        + "ExpandDims/dim)' with input shapes: [2,3], [2] and with computed input tensors: input[1] = <0 1>."
    ),
    ShapeInferenceCase(
      name: "squeeze nothing of size 1", op: .squeeze, dtype: .float32, input: [2, 3], attributes: .squeeze([]),
      shape: [2, 3]),
    ShapeInferenceCase(
      name: "squeeze all with an unknown dim", op: .squeeze, dtype: .float32, input: [1, nil, 1],
      attributes: .squeeze([]), shape: nil),
    ShapeInferenceCase(
      name: "squeeze all of [?,3]", op: .squeeze, dtype: .float32, input: [nil, 3], attributes: .squeeze([]), shape: nil
    ),
    ShapeInferenceCase(
      name: "squeeze a known 1 beside an unknown", op: .squeeze, dtype: .float32, input: [1, nil, 1],
      attributes: .squeeze([0]), shape: [nil, 1]),
    ShapeInferenceCase(
      name: "squeeze an unknown dim", op: .squeeze, dtype: .float32, input: [1, nil, 1], attributes: .squeeze([1]),
      shape: [1, 1]),
    ShapeInferenceCase(
      name: "squeeze unknown rank", op: .squeeze, dtype: .float32, input: nil, attributes: .squeeze([1]), shape: nil),
    ShapeInferenceCase(
      name: "squeeze a repeated axis", op: .squeeze, dtype: .float32, input: [1, 3, 1], attributes: .squeeze([0, 0]),
      shape: [3, 1]),
    ShapeInferenceCase(
      name: "squeeze a placeholder's first dim", op: .squeeze, dtype: .float32, input: [nil, 3],
      attributes: .squeeze([0]), shape: [3]),
    ShapeInferenceCase(
      name: "squeeze a dim of 3", op: .squeeze, dtype: .float32, input: [2, 3], attributes: .squeeze([1]),
      inputs: "(Const)",
      error:
        "Can not squeeze dim[1], expected a dimension of 1, got 3 for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, "
        + "squeeze_dims=[1]](Const)' with input shapes: [2,3]."
    ),
    ShapeInferenceCase(
      name: "squeeze two dims, the first fails", op: .squeeze, dtype: .float32, input: [2, 3],
      attributes: .squeeze([0, 1]), inputs: "(Const)",
      error:
        "Can not squeeze dim[0], expected a dimension of 1, got 2 for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, "
        + "squeeze_dims=[0, 1]](Const)' with input shapes: [2,3]."
    ),
    ShapeInferenceCase(
      name: "squeeze past the end", op: .squeeze, dtype: .float32, input: [2, 3], attributes: .squeeze([3]),
      inputs: "(Const)",
      error:
        "squeeze_dims[0] not in [-2,2). for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, squeeze_dims=[3]](Const)' with "
        + "input shapes: [2,3]."
    ),
    ShapeInferenceCase(
      name: "squeeze before the front", op: .squeeze, dtype: .float32, input: [2, 3], attributes: .squeeze([-3]),
      inputs: "(Const)",
      error:
        "squeeze_dims[0] not in [-2,2). for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, squeeze_dims=[-3]](Const)' with "
        + "input shapes: [2,3]."
    ),
    ShapeInferenceCase(
      name: "squeeze a placeholder's dim of 3", op: .squeeze, dtype: .float32, input: [nil, 3],
      attributes: .squeeze([1]), inputs: "(Placeholder)",
      error:
        "Can not squeeze dim[1], expected a dimension of 1, got 3 for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, "
        + "squeeze_dims=[1]](Placeholder)' with input shapes: [?,3]."
    ),
    ShapeInferenceCase(
      name: "squeeze an int32 dim of 2", op: .squeeze, dtype: .int32, input: [1, 2], attributes: .squeeze([1]),
      inputs: "(Const_2)",
      error:
        "Can not squeeze dim[1], expected a dimension of 1, got 2 for '{{node Squeeze}} = Squeeze[T=DT_INT32, "
        + "squeeze_dims=[1]](Const_2)' with input shapes: [1,2]."
    ),
  ]

  @Test("inference gives TF 2.21's partial shapes and graph-construction messages", arguments: inference)
  func infer(_ testCase: ShapeInferenceCase) {
    do {
      let output = try Op(testCase.op, testCase.attributes).infer([
        TensorSpec(dtype: testCase.dtype, partialShape: testCase.input)
      ])
      #expect(testCase.error == nil, "inferred \(output)")
      #expect(output == [TensorSpec(dtype: testCase.dtype, partialShape: testCase.shape)])
    } catch {
      let message = error.message.replacingOccurrences(of: "$NODE", with: testCase.op.name)
        .replacingOccurrences(of: "$INPUTS", with: testCase.inputs)
      #expect(message == testCase.error)
    }
  }

  @Test("ExpandDims returns a view of the input's buffer with the new dimension")
  func expandDimsKernel() throws {
    let input = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    for (axis, shape) in [(0, [1, 2, 3]), (1, [2, 1, 3]), (2, [2, 3, 1]), (-1, [2, 3, 1]), (-3, [1, 2, 3])] {
      let out = try OpDefinition.expandDims(input, attributes: .expandDims([axis], scalar: true))
      expectTensor(out, Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: shape, dtype: .float32))
      #expect(out.buffer === input.buffer)
    }
    let scalar = Tensor(doubles: [7], shape: [], dtype: .int32)
    let vector = try OpDefinition.expandDims(scalar, attributes: .expandDims([-1], scalar: true))
    #expect(vector.shape == [1])
    #expect(vector.buffer === scalar.buffer)
  }

  @Test("ExpandDims fails with TF 2.21's eager kernel messages")
  func expandDimsErrors() {
    let input = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    #expect(throws: TensorError.invalidArgument("Tried to expand dim index 3 for tensor with 2 dimensions.")) {
      try OpDefinition.expandDims(input, attributes: .expandDims([3], scalar: true))
    }
    #expect(throws: TensorError.invalidArgument("Tried to expand dim index -4 for tensor with 2 dimensions.")) {
      try OpDefinition.expandDims(input, attributes: .expandDims([-4], scalar: true))
    }
    #expect(throws: TensorError.invalidArgument("'dim' must be a tensor with a single value")) {
      try OpDefinition.expandDims(input, attributes: .expandDims([0, 1], scalar: false))
    }
  }

  @Test("Squeeze returns a view of the input's buffer without the listed (or all) dimensions of 1")
  func squeezeKernel() throws {
    let input = Tensor(doubles: [1, 2, 3], shape: [1, 3, 1], dtype: .float64)
    for (dims, shape) in [([], [3]), ([0], [3, 1]), ([0, 2], [3]), ([-1], [1, 3]), ([0, 0], [3, 1])] {
      let out = try OpDefinition.squeeze(input, attributes: .squeeze(dims))
      expectTensor(out, Tensor(doubles: [1, 2, 3], shape: shape, dtype: .float64))
      #expect(out.buffer === input.buffer)
    }
    let ones = Tensor(doubles: [5], shape: [1, 1], dtype: .float32)
    #expect(try OpDefinition.squeeze(ones, attributes: .squeeze([])).shape == [])
  }

  @Test("Squeeze fails with TF 2.21's eager kernel messages")
  func squeezeErrors() {
    let input = Tensor(doubles: [1, 2, 3], shape: [1, 3, 1], dtype: .float32)
    #expect(throws: TensorError.invalidArgument("Can not squeeze dim[1], expected a dimension of 1, got 3")) {
      try OpDefinition.squeeze(input, attributes: .squeeze([1]))
    }
    #expect(throws: TensorError.invalidArgument("Tried to squeeze dim index 3 for tensor with 3 dimensions.")) {
      try OpDefinition.squeeze(input, attributes: .squeeze([3]))
    }
    #expect(throws: TensorError.invalidArgument("Tried to squeeze dim index -4 for tensor with 3 dimensions.")) {
      try OpDefinition.squeeze(input, attributes: .squeeze([2, -4]))
    }
  }
}
