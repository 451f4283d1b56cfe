import Testing

@testable import Operations
@testable import TensorCore

/// A node TensorFlow 2.21 built in a `tf.compat.v1` graph from placeholders: the output
/// specs it inferred, or its error message verbatim (with `$NODE`/`$INPUTS` for the names).
struct InferenceCase: Sendable, CustomTestStringConvertible {
  let name: String
  let op: Op
  let inputs: [TensorSpec]
  var outputs: [[Int?]?] = []
  var error: String? = nil
  var testDescription: String { name }
}

extension TensorSpec {
  /// A spec of a partly known shape, briefly.
  static func spec(_ dtype: DType, _ shape: [Int?]?) -> TensorSpec { TensorSpec(dtype: dtype, partialShape: shape) }
}

/// Inference of the comparison and shape ops against TF 2.21's graph-construction results.
@Suite struct ComparisonShapeInferenceTests {
  static let cases: [InferenceCase] = [
    InferenceCase(
      name: "Equal of shapes that do not broadcast", op: Op(.equal),
      inputs: [.spec(.float32, [2, 3]), .spec(.float32, [4])],
      error: "Dimensions must be equal, but are 3 and 4 for '{{node $NODE}} = Equal[T=DT_FLOAT, "
        + "incompatible_shape_error=true]$INPUTS' with input shapes: [2,3], [4]."),
    InferenceCase(
      name: "Equal without incompatible_shape_error has an unknown shape",
      op: Op(.equal, OpAttributes(["incompatible_shape_error": .bool(false)])),
      inputs: [.spec(.float32, [2, 3]), .spec(.float32, [4])], outputs: [nil]),
    InferenceCase(
      name: "Greater of shapes that do not broadcast", op: Op(.greater),
      inputs: [.spec(.float32, [2, 3]), .spec(.float32, [4])],
      error: "Dimensions must be equal, but are 3 and 4 for '{{node $NODE}} = Greater[T=DT_FLOAT]$INPUTS' with input "
        + "shapes: [2,3], [4]."),
    InferenceCase(
      name: "Greater of mixed dtypes", op: Op(.greater), inputs: [.spec(.float32, [2, 3]), .spec(.int32, [4])],
      error: "Input 'y' of 'Greater' Op has type int32 that does not match type float32 of argument 'x'."),
    InferenceCase(
      name: "Greater of bools", op: Op(.greater), inputs: [.spec(.bool, [2, 3]), .spec(.bool, [3])],
      error: "Value passed to parameter 'x' has DataType bool not in list of allowed values: float32, float64, int32, "
        + "uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64"),
    InferenceCase(
      name: "Less broadcasts unknown dims", op: Op(.less), inputs: [.spec(.int32, [nil, 1]), .spec(.int32, [3])],
      outputs: [[nil, 3]]),
    InferenceCase(
      name: "SelectV2 condition against t and e", op: Op(.selectV2),
      inputs: [.spec(.bool, [2, 3]), .spec(.float32, [4]), .spec(.float32, [1])],
      error: "Dimensions must be equal, but are 3 and 4 for '{{node $NODE}} = SelectV2[T=DT_FLOAT]$INPUTS' with input "
        + "shapes: [2,3], [4], [1]."),
    InferenceCase(
      name: "SelectV2 t against e", op: Op(.selectV2),
      inputs: [.spec(.bool, [2, 1]), .spec(.float32, [4]), .spec(.float32, [2, 3])],
      error: "Dimensions must be equal, but are 4 and 3 for '{{node $NODE}} = SelectV2[T=DT_FLOAT]$INPUTS' with input "
        + "shapes: [2,1], [4], [2,3]."),
    InferenceCase(
      name: "SelectV2 of a float condition", op: Op(.selectV2),
      inputs: [.spec(.float32, [2, 1]), .spec(.float32, [4]), .spec(.float32, [2, 3])],
      error: "Input 'condition' of 'SelectV2' Op has type float32 that does not match expected type of bool."),
    InferenceCase(
      name: "SelectV2 of mixed dtypes", op: Op(.selectV2),
      inputs: [.spec(.bool, [2, 1]), .spec(.float32, [4]), .spec(.int32, [2, 3])],
      error: "Input 'e' of 'SelectV2' Op has type int32 that does not match type float32 of argument 't'."),
    InferenceCase(
      name: "SelectV2 broadcasts all three", op: Op(.selectV2),
      inputs: [.spec(.bool, [2, 1]), .spec(.float32, [3]), .spec(.float32, [])], outputs: [[2, 3]]),
    InferenceCase(
      name: "BroadcastTo a shorter shape", op: Op(.broadcastTo),
      inputs: [.spec(.float32, [2, 3]), .spec(.int32, [1])],
      error: "Shape must be at most rank 1 but is rank 2 for '{{node $NODE}} = BroadcastTo[T=DT_FLOAT, "
        + "Tidx=DT_INT32]$INPUTS' with input shapes: [2,3], [1]."),
    InferenceCase(
      name: "BroadcastTo an unknown shape keeps the input's dims", op: Op(.broadcastTo),
      inputs: [.spec(.float32, [2, 3]), .spec(.int32, [3])], outputs: [[nil, 2, 3]]),
    InferenceCase(
      name: "Fill of unknown dims", op: Op(.fill), inputs: [.spec(.int32, [3]), .spec(.float32, [])],
      outputs: [[nil, nil, nil]]),
    InferenceCase(
      name: "Fill of a vector value", op: Op(.fill), inputs: [.spec(.int32, [3]), .spec(.float32, [2])],
      error: "Shape must be rank 0 but is rank 1 for '{{node $NODE}} = Fill[T=DT_FLOAT, index_type=DT_INT32]$INPUTS' "
        + "with input shapes: [3], [2]."),
    InferenceCase(
      name: "Fill of matrix dims", op: Op(.fill), inputs: [.spec(.int32, [3, 1]), .spec(.float32, [])],
      error: "Shape must be rank 1 but is rank 2 for '{{node $NODE}} = Fill[T=DT_FLOAT, index_type=DT_INT32]$INPUTS' "
        + "with input shapes: [3,1], []."),
    InferenceCase(
      name: "BroadcastGradientArgs of vectors", op: Op(.broadcastGradientArgs),
      inputs: [.spec(.int32, [3]), .spec(.int32, [2])], outputs: [[nil], [nil]]),
    InferenceCase(
      name: "BroadcastGradientArgs of a matrix", op: Op(.broadcastGradientArgs),
      inputs: [.spec(.int32, [3, 1]), .spec(.int32, [2])],
      error: "Shape must be rank 1 but is rank 2 for '{{node $NODE}} = BroadcastGradientArgs[T=DT_INT32]$INPUTS' with "
        + "input shapes: [3,1], [2]."),
    InferenceCase(
      name: "ReluGrad of different dims", op: Op(.reluGrad), inputs: [.spec(.float32, [2]), .spec(.float32, [3])],
      error: "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3]. for '{{node $NODE}} = "
        + "ReluGrad[T=DT_FLOAT]$INPUTS' with input shapes: [2], [3]."),
    InferenceCase(
      name: "ReluGrad of different ranks", op: Op(.reluGrad), inputs: [.spec(.float32, [2, 3]), .spec(.float32, [3])],
      error: "Shapes must be equal rank, but are 2 and 1 for '{{node $NODE}} = ReluGrad[T=DT_FLOAT]$INPUTS' with input "
        + "shapes: [2,3], [3]."),
    InferenceCase(
      name: "ReluGrad merges unknown dims", op: Op(.reluGrad),
      inputs: [.spec(.float32, [nil, 3]), .spec(.float32, [2, nil])], outputs: [[2, 3]]),
    InferenceCase(
      name: "ReluGrad of mixed dtypes", op: Op(.reluGrad), inputs: [.spec(.float32, [2]), .spec(.int32, [2])],
      error: "Input 'features' of 'ReluGrad' Op has type int32 that does not match type float32 of argument "
        + "'gradients'."),
    InferenceCase(
      name: "SqrtGrad takes y's shape", op: Op(.sqrtGrad),
      inputs: [.spec(.float32, [nil, 3]), .spec(.float32, [2, nil])],
      outputs: [[nil, 3]]),
    InferenceCase(
      name: "SqrtGrad of mixed dtypes", op: Op(.sqrtGrad), inputs: [.spec(.float32, [2]), .spec(.int32, [2])],
      error: "Input 'dy' of 'SqrtGrad' Op has type int32 that does not match type float32 of argument 'y'."),
    InferenceCase(
      name: "Sigmoid of ints", op: Op(.sigmoid), inputs: [.spec(.int32, [2])],
      error: "Value passed to parameter 'x' has DataType int32 not in list of allowed values: bfloat16, float16, "
        + "float32, float64, complex64, complex128"),
    InferenceCase(
      name: "Shape of a partial shape", op: Op(.shape), inputs: [.spec(.float32, [nil, 3])], outputs: [[2]]),
    InferenceCase(name: "Shape of an unknown rank", op: Op(.shape), inputs: [.spec(.float32, nil)], outputs: [[nil]]),
    InferenceCase(
      name: "Prod over a missing axis",
      op: Op(.prod, OpAttributes(["reduction_indices": .ints([2]), "keep_dims": .bool(false)])),
      inputs: [.spec(.int32, [2, 3])],
      error: "Invalid reduction dimension 2 for input with 2 dimensions. for '{{node $NODE}} = Prod[T=DT_INT32, "
        + "Tidx=DT_INT32, keep_dims=false]$INPUTS' with input shapes: [2,3], [1] and with computed input tensors: "
        + "input[1] = <2>."),
  ]

  @Test("inference matches TF's graph construction", arguments: cases)
  func inference(_ test: InferenceCase) {
    do {
      let specs = try test.op.infer(test.inputs)
      #expect(test.error == nil, "TF raised: \(test.error ?? "")")
      #expect(specs.map(\.shape) == test.outputs)
    } catch {
      #expect(error.message == test.error)
    }
  }

  @Test("Shape's out_type sets the output dtype")
  func shapeOutType() throws {
    let op = Op(.shape, OpAttributes(["out_type": .type(.int64)]))
    #expect(try op.infer([.spec(.float32, [2])]).map(\.dtype) == [.int64])
  }

  @Test("eager kernels raise TF's messages")
  func kernelErrors() {
    let ints = { (values: [Int32]) in Tensor(shape: [values.count], scalars: values) }
    let cases: [(OpDefinition, [Tensor], String)] = [
      (.equal, [ints([2, 3]), ints([1, 2, 3])], "Incompatible shapes: [2] vs. [3]"),
      (.greater, [ints([2, 3]), ints([1, 2, 3])], "Incompatible shapes: [2] vs. [3]"),
      (
        .selectV2, [Tensor(shape: [2], scalars: [true, false]), ints([1, 2, 3]), ints([1]).reshaped(to: [])],
        "condition [2], then [3], and else [] must be broadcastable"
      ),
      (.broadcastTo, [ints([1, 2, 3]), ints([2, 2])], "Incompatible shapes: [3] vs. [2,2]"),
      (.broadcastTo, [ints([1, 2, 3]), ints([2, -3])], "Dimension -3 must be >= 0"),
      (.fill, [ints([2, -1]), Tensor(shape: [], scalars: [Float(1)])], "Dimension -1 must be >= 0"),
      (
        .fill, [ints([2]).reshaped(to: [1, 1]), Tensor(shape: [], scalars: [Float(1)])],
        "dims must represent a vector, got shape [1,1]"
      ),
      (.broadcastGradientArgs, [ints([2, 3]), ints([4, 3])], "Incompatible shapes: [2,3] vs. [4,3]"),
      (
        .fill, [ints([2]), Tensor(shape: [2], scalars: [Float(1), 2])], "value must represent a scalar, got shape [2]"
      ),
      (
        .sqrtGrad, [Tensor(shape: [2], scalars: [Float(1), 2]), Tensor(shape: [3], scalars: [Float(1), 2, 3])],
        "The two arguments to a cwise op must have same number of elements, got 2 and 3"
      ),
      (
        .reluGrad, [Tensor(shape: [2], scalars: [Float(1), 2]), Tensor(shape: [3], scalars: [Float(1), 2, 3])],
        "Inputs to operation ReluGrad of type ReluGrad must have the same size and shape.  Input 0: [2] != input 1: [3]"
      ),
    ]
    for (definition, inputs, message) in cases {
      do {
        _ = try Op(definition).compute(inputs)
        Issue.record("\(definition.name) did not raise \(message)")
      } catch {
        #expect(error.message == message, "\(definition.name)")
      }
    }
  }

  @Test("strings compare equal by their bytes and select element-wise")
  func strings() throws {
    let a = Tensor(shape: [3], strings: ["é", "b", ""])
    let b = Tensor(shape: [1], strings: ["é"])
    #expect(try OpDefinition.equal(a, b) == Tensor(shape: [3], scalars: [true, false, false]))
    #expect(try OpDefinition.notEqual(a, b) == Tensor(shape: [3], scalars: [false, true, true]))
    // "é" precomposed and decomposed are different bytes, so TF calls them unequal.
    let decomposed = Tensor(shape: [], strings: ["e\u{301}"])
    #expect(try OpDefinition.equal(a, decomposed) == Tensor(shape: [3], scalars: [false, false, false]))
    let condition = Tensor(shape: [3], scalars: [true, false, true])
    let picked = try Op(.selectV2).compute([condition, a, Tensor(shape: [], strings: ["x"])])[0]
    #expect(picked.strings == ["é", "x", ""])
    #expect(try OpDefinition.zerosLike(a, attributes: OpAttributes()).strings == ["", "", ""])
  }

  @Test("identities return their input; StopGradient and comparisons declare no gradient")
  func identities() throws {
    let x = Tensor(shape: [2], scalars: [Float(1), -2])
    for definition in [OpDefinition.identity, .stopGradient, .preventGradient] {
      #expect(try Op(definition).compute([x]) == [x])
      #expect(try Op(definition).infer([TensorSpec(of: x)]) == [TensorSpec(of: x)])
    }
    for definition in [OpDefinition.stopGradient, .equal, .less, .shape, .zerosLike, .broadcastGradientArgs] {
      guard case .notDifferentiable = definition.gradient else {
        Issue.record("\(definition.name) should not be differentiable")
        continue
      }
    }
  }
}
