import Foundation
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

@Suite struct GradientRuleSpecialisationTests {
  /// Each Swift file under Sources/Operations, with its lines.
  static func operationsSources() throws -> [(name: String, lines: [Substring])] {
    let operations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Operations")
    let files =
      FileManager.default.enumerator(at: operations, includingPropertiesForKeys: nil)?
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
    return try files.map { file in
      (
        file.lastPathComponent,
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      )
    }
  }

  /// Every rule is called through the rule table with the eager tape's emitter; without its
  /// `@_specialize` it runs unspecialised, looking up type metadata for each array it builds.
  @Test("every gradient rule is specialised for the eager tape's emitter")
  func rulesAreSpecialised() throws {
    var rules = 0
    // The protocol's own requirement, in GradientSlot.swift, has no body to specialise.
    for (name, lines) in try Self.operationsSources() where name != "GradientSlot.swift" {
      for (index, line) in lines.enumerated() where line.contains("static func gradients<E: GradientEmitter>") {
        rules += 1
        #expect(
          index > 0 && lines[index - 1].contains("@_specialize(where E == EagerEmitter)"),
          "\(name):\(index + 1) needs @_specialize(where E == EagerEmitter)")
      }
    }
    #expect(rules >= 40)
  }

  /// The tape replays a traced backward pass (`GradientTrace`) on the promise that a rule sees
  /// only ops, attributes, dtypes and shapes: no rule may reach an eager tensor's elements.
  @Test("no gradient rule reaches the eager tape's values")
  func rulesSeeNoValues() throws {
    for (name, lines) in try Self.operationsSources() where name != "EagerEmitter.swift" {
      for (index, line) in lines.enumerated() where line.contains("TapeTensor") || line.contains("EagerEmitter(") {
        Issue.record("\(name):\(index + 1) names the eager tape's tensors: \(line)")
      }
    }
  }
}
