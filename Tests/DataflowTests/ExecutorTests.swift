import Dataflow
import Operations
import Testing

@testable import TensorCore

@Suite struct ExecutorTests {
  private func constant(_ values: [Double], _ graph: DataflowGraph) throws -> Endpoint {
    let tensor = Tensor(doubles: values, shape: [values.count], dtype: .float32)
    return try graph.add(.constant(tensor), [], name: graph.uniqueName("Const")).output(0)
  }

  private func variable(_ name: String, resource: Bool) -> OpAttributes {
    OpAttributes(["shared_name": .string(name), "dtype": .type(.float32), "shape": .ints([2])])
  }

  @Test("a fetched sum is computed from its fed placeholder, and the plan is reused")
  func feedAndFetch() throws {
    let graph = DataflowGraph()
    let x = try graph.add(
      Op(.placeholder, OpAttributes(["dtype": .type(.float32), "shape": .ints([2])])), [], name: "x"
    ).output(0)
    let y = try graph.add(Op(.addV2), [x, try constant([10, 20], graph)], name: "add").output(0)
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    for round in 1...2 {
      let fed = Tensor(doubles: [1, Double(round)], shape: [2], dtype: .float32)
      let result = try executor.run(fetches: [y], feeds: [x: fed], resources: store)
      #expect(result[0].scalars(as: Float.self) == [11, 20 + Float(round)])
    }
  }

  @Test("a read after a control-dependent assign sees the new value; a read before sees the old")
  func controlDependencies() throws {
    let graph = DataflowGraph()
    let attributes = variable("v", resource: true)
    let initialize = try graph.add(Op(.assignVariableOp, attributes), [try constant([1, 2], graph)], name: "init")
    let store = ResourceStore()
    let executor = Executor(graph: graph)
    _ = try executor.run(fetches: [], targets: [initialize], feeds: [:], resources: store)
    let before = try graph.add(Op(.readVariableOp, attributes), [], name: "before").output(0)
    let update = try graph.add(Op(.assignAddVariableOp, attributes), [try constant([5, 5], graph)], name: "update")
    let after = try graph.add(Op(.readVariableOp, attributes), [], controlInputs: [update], name: "after").output(0)
    let values = try executor.run(fetches: [before, after], feeds: [:], resources: store)
    #expect(values[0].scalars(as: Float.self) == [1, 2])
    #expect(values[1].scalars(as: Float.self) == [6, 7])
  }

  @Test("a reference variable's consumer reads it when it runs, and fails naming itself when uninitialized")
  func referenceVariables() throws {
    let graph = DataflowGraph()
    let attributes = variable("w", resource: false)
    let reference = try graph.add(Op(.variableV2, attributes), [], name: "w").output(0)
    let read = try graph.add(Op(.identity), [reference], name: "w/read").output(0)
    let doubled = try graph.add(Op(.addV2), [read, read], name: "add").output(0)
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    #expect {
      _ = try executor.run(fetches: [doubled], feeds: [:], resources: store)
    } throws: { error in
      guard let failure = error as? ExecutionError else { return false }
      return failure.nodeName == "w/read"
        && failure.error == .failedPrecondition("Attempting to use uninitialized value w")
    }
    store[variable: "w"] = Tensor(doubles: [1, 2], shape: [2], dtype: .float32)
    #expect(try executor.run(fetches: [doubled], feeds: [:], resources: store)[0].scalars(as: Float.self) == [2, 4])
  }
}

@Suite struct ExecutorOrderTests {
  @Test("a fetched value that an update does not feed is computed before the update, as TF runs it")
  func fetchBeforeUnrelatedUpdate() throws {
    let graph = DataflowGraph()
    let attributes = OpAttributes(["shared_name": .string("v"), "dtype": .type(.float32), "shape": .ints([1])])
    let one = Tensor(doubles: [1], shape: [1], dtype: .float32)
    let constant = try graph.add(.constant(one), [], name: "one").output(0)
    let read = try graph.add(Op(.readVariableOp, attributes), [], name: "read").output(0)
    let doubled = try graph.add(Op(.addV2), [read, read], name: "double").output(0)
    let update = try graph.add(Op(.assignAddVariableOp, attributes), [constant], name: "update")
    let store = ResourceStore()
    store[variable: "v"] = one
    let executor = Executor(graph: graph)
    let first = try executor.run(fetches: [doubled], targets: [update], feeds: [:], resources: store)
    #expect(first[0].scalars(as: Float.self) == [2])
    #expect(store[variable: "v"]?.scalars(as: Float.self) == [2])
  }
}

@Suite struct ExecutorSlotTests {
  private func graph() throws -> (DataflowGraph, x: Endpoint, doubled: Endpoint, quadrupled: Endpoint) {
    let graph = DataflowGraph()
    let x = try graph.add(
      Op(.placeholder, OpAttributes(["dtype": .type(.float32), "shape": .ints([2])])), [], name: "x"
    ).output(0)
    let doubled = try graph.add(Op(.addV2), [x, x], name: "double").output(0)
    let quadrupled = try graph.add(Op(.addV2), [doubled, doubled], name: "quadruple").output(0)
    return (graph, x, doubled, quadrupled)
  }

  @Test("a fetched value that a later step also reads is still there at the end, fetched twice or fed")
  func fetchedIntermediates() throws {
    let (graph, x, doubled, quadrupled) = try graph()
    let executor = Executor(graph: graph)
    let fed = Tensor(doubles: [1, 2], shape: [2], dtype: .float32)
    let values = try executor.run(
      fetches: [doubled, quadrupled, doubled, x], feeds: [x: fed], resources: ResourceStore())
    #expect(values.map { $0.scalars(as: Float.self) } == [[2, 4], [4, 8], [2, 4], [1, 2]])
  }

  @Test("the last run's plan serves new fed values; other feeds for the same fetches plan afresh")
  func lastPlanAndOtherFeeds() throws {
    let (graph, x, doubled, quadrupled) = try graph()
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    for round in 1...3 {
      let fed = Tensor(doubles: [Double(round), 0], shape: [2], dtype: .float32)
      let value = try executor.run(fetches: [quadrupled], feeds: [x: fed], resources: store)
      #expect(value[0].scalars(as: Float.self) == [4 * Float(round), 0])
    }
    // Feeding the intermediate instead skips the step that computes it.
    let intermediate = Tensor(doubles: [5, 6], shape: [2], dtype: .float32)
    let fromIntermediate = try executor.run(fetches: [quadrupled], feeds: [doubled: intermediate], resources: store)
    #expect(fromIntermediate[0].scalars(as: Float.self) == [10, 12])
    let again = try executor.run(
      fetches: [quadrupled], feeds: [x: Tensor(doubles: [1, 1], shape: [2], dtype: .float32)], resources: store)
    #expect(again[0].scalars(as: Float.self) == [4, 4])
  }

  @Test("a two-input op runs by its binary kernel: its value, and its failure named by its node")
  func binaryKernelSteps() throws {
    let graph = DataflowGraph()
    let x = try graph.add(Op(.placeholder, OpAttributes(["dtype": .type(.float32)])), [], name: "x").output(0)
    let one = try graph.add(.constant(Tensor(doubles: [1, 2], shape: [2], dtype: .float32)), [], name: "one")
    let sum = try graph.add(Op(.addV2), [x, one.output(0)], name: "add").output(0)
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    let two = Tensor(doubles: [10, 20], shape: [2], dtype: .float32)
    #expect(try executor.run(fetches: [sum], feeds: [x: two], resources: store)[0].scalars(as: Float.self) == [11, 22])
    let three = Tensor(doubles: [1, 2, 3], shape: [3], dtype: .float32)
    #expect {
      _ = try executor.run(fetches: [sum], feeds: [x: three], resources: store)
    } throws: { error in
      guard let failure = error as? ExecutionError else { return false }
      return failure.nodeName == "add" && failure.error == .tensor(.incompatibleShapes(op: "AddV2", lhs: [3], rhs: [2]))
    }
  }

  @Test("a callable takes its fed values in the order it was made with, whatever the graph's order")
  func callableFeedOrder() throws {
    let graph = DataflowGraph()
    let spec = OpAttributes(["dtype": .type(.float32), "shape": .ints([2])])
    let a = try graph.add(Op(.placeholder, spec), [], name: "a").output(0)
    let b = try graph.add(Op(.placeholder, spec), [], name: "b").output(0)
    let difference = try graph.add(Op(.sub), [a, b], name: "sub").output(0)
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    let ten = Tensor(doubles: [10, 20], shape: [2], dtype: .float32)
    let one = Tensor(doubles: [1, 2], shape: [2], dtype: .float32)
    let reversed = executor.callable(fetches: [difference], fed: [b, a])
    let inOrder = executor.callable(fetches: [difference], fed: [a, b])
    for _ in 1...2 {
      #expect(try executor.run(reversed, feeds: [one, ten], resources: store)[0].scalars(as: Float.self) == [9, 18])
      #expect(try executor.run(inOrder, feeds: [one, ten], resources: store)[0].scalars(as: Float.self) == [-9, -18])
    }
  }
}

@Suite struct ExecutorFoldingTests {
  private func constant(_ values: [Double], _ dtype: DType, _ graph: DataflowGraph, controls: [Node] = []) throws
    -> Endpoint
  {
    let tensor = Tensor(doubles: values, shape: [values.count], dtype: dtype)
    return try graph.add(.constant(tensor), [], controlInputs: controls, name: graph.uniqueName("Const")).output(0)
  }

  /// A 2×3 float matrix, and its sum over the axes held by `axes`.
  private func sum(_ graph: DataflowGraph, axes: Endpoint) throws -> Endpoint {
    let x = Tensor(doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32)
    let matrix = try graph.add(.constant(x), [], name: "x").output(0)
    return try graph.add(Op(.sum, OpAttributes(["keep_dims": .bool(false)])), [matrix, axes], name: "sum").output(0)
  }

  @Test("constant axes fold into the plan; fed axes replace them")
  func constantAndFedAxes() throws {
    let graph = DataflowGraph()
    let axes = try constant([1], .int32, graph)
    let total = try sum(graph, axes: axes)
    let executor = Executor(graph: graph)
    let store = ResourceStore()
    #expect(try executor.run(fetches: [total], feeds: [:], resources: store)[0].scalars(as: Float.self) == [6, 15])
    let fed = Tensor(doubles: [0], shape: [1], dtype: .int32)
    let columns = try executor.run(fetches: [total], feeds: [axes: fed], resources: store)
    #expect(columns[0].scalars(as: Float.self) == [5, 7, 9])
  }

  @Test("a constant axis under a control dependency still waits for it")
  func controlledConstant() throws {
    let graph = DataflowGraph()
    let attributes = OpAttributes(["shared_name": .string("v"), "dtype": .type(.float32), "shape": .ints([1])])
    let store = ResourceStore()
    store[variable: "v"] = Tensor(doubles: [1], shape: [1], dtype: .float32)
    let update = try graph.add(Op(.assignAddVariableOp, attributes), [try constant([1], .float32, graph)], name: "add")
    let total = try sum(graph, axes: try constant([0, 1], .int32, graph, controls: [update]))
    let value = try Executor(graph: graph).run(fetches: [total], feeds: [:], resources: store)
    #expect(value[0].scalars(as: Float.self) == [21])
    #expect(store[variable: "v"]?.scalars(as: Float.self) == [2])
  }
}
