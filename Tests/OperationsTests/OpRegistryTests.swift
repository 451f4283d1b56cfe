import TensorCore
import Testing

@testable import Operations

@Suite struct OpRegistryTests {
  @Test("every declared op is in TensorFlow's registry, with its inputs named as TF names them")
  func signatures() {
    #expect(OpRegistry.byName.count >= 14)
    for (name, op) in OpRegistry.byName {
      #expect(op.name == name)
      #expect(op.tensorInputCount <= op.signature.inputs.count, "\(name)")
    }
    #expect(OpDefinition.matMul.inputNames == ["a", "b"])
    #expect(OpDefinition.sum.inputNames == ["input"])
    #expect(OpDefinition.sum.attributeInputNames == ["reduction_indices"])
  }

  @Test("type constraints come from the registry, in TF's order")
  func typeConstraints() {
    let op = Op(.addV2)
    #expect(throws: OpError.self) { try op.checkTypes([.bool, .bool]) }
    let constraint = OpDefinition.addV2.signature.typeConstraints[0]
    #expect(constraint.parameter == "x")
    #expect(
      constraint.graphMessage(.bool).hasPrefix(
        "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, float32"))
  }

  @Test("ops return every output: sparse softmax cross entropy gives the loss and its gradient")
  func multipleOutputs() throws {
    let logits = Tensor(shape: [1, 3], scalars: [1, 2, 3] as [Float])
    let labels = Tensor(shape: [1], scalars: [2] as [Int32])
    let outputs = try Op(.sparseSoftmaxCrossEntropyWithLogits).compute([logits, labels])
    #expect(outputs.count == 2)
    #expect(outputs[0].shape == [1])
    #expect(outputs[1].shape == [1, 3])
    let specs = try Op(.sparseSoftmaxCrossEntropyWithLogits).infer([TensorSpec(of: logits), TensorSpec(of: labels)])
    #expect(specs.map(\.shape) == [[1], [1, 3]])
  }
}
