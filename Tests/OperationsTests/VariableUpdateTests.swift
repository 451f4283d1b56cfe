import Operations
import TensorCore
import Testing

/// `assign_add` / `assign_sub` into a variable's own buffer: the values `AddV2` and `Sub`
/// compute, in place only while no other tensor shares the buffer.
@Suite struct VariableUpdateTests {
  @Test("an unshared buffer is updated in place, with the values Sub and AddV2 compute")
  func inPlace() throws {
    let values: [Float] = [1.5, -2.25, 3e-39, .infinity, 0.1]
    let step: [Float] = [0.5, 0.75, 1e-39, 1, 0.2]
    var variable = Tensor(shape: [5], scalars: values)
    let delta = Tensor(shape: [5], scalars: step)
    let buffer = ObjectIdentifier(variable.buffer)
    let expected = try OpDefinition.sub(Tensor(shape: [5], scalars: values), delta)
    try VariableUpdate.subtract(&variable, delta)
    #expect(ObjectIdentifier(variable.buffer) == buffer)
    #expect(variable.scalars(as: Float.self).map(\.bitPattern) == expected.scalars(as: Float.self).map(\.bitPattern))
    let sum = try OpDefinition.addV2(variable, delta)
    try VariableUpdate.add(&variable, delta)
    #expect(variable.scalars(as: Float.self).map(\.bitPattern) == sum.scalars(as: Float.self).map(\.bitPattern))
  }

  @Test("a shared buffer is left as it was: the update goes to a new buffer")
  func shared() throws {
    var variable = Tensor(shape: [2], scalars: [Int32(5), 7])
    let read = variable
    try VariableUpdate.subtract(&variable, Tensor(shape: [2], scalars: [Int32(1), 2]))
    #expect(read.scalars(as: Int32.self) == [5, 7])
    #expect(variable.scalars(as: Int32.self) == [4, 5])
    #expect(variable.buffer !== read.buffer)
  }

  @Test("a broadcast or mismatched operand takes the ops' own path and errors")
  func fallback() throws {
    var variable = Tensor(shape: [2], scalars: [Float(1), 2])
    try VariableUpdate.add(&variable, Tensor(shape: [], scalars: [Float(0.5)]))
    #expect(variable.scalars(as: Float.self) == [1.5, 2.5])
    #expect(throws: TensorError.self) {
      try VariableUpdate.add(&variable, Tensor(shape: [2], scalars: [1.0, 2.0]))
    }
    var flags = Tensor(shape: [1], scalars: [true])
    #expect(throws: TensorError.self) { try VariableUpdate.subtract(&flags, Tensor(shape: [1], scalars: [true])) }
  }
}
