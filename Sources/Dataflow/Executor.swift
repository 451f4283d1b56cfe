import Operations
import TensorCore

/// Runs a graph's nodes for a set of fetches and targets with fed values: the one executor
/// behind `Session.run` (and, later, function graphs and loops). It plans once per set of
/// fetches, targets and fed endpoints: the nodes they need, each after its control inputs
/// and data inputs, in a fixed order; running the same fetches again reuses the plan.
public final class Executor {
  /// The graph it runs.
  public let graph: DataflowGraph
  private var plans: [PlanKey: Plan] = [:]

  /// An executor for `graph`.
  public init(graph: DataflowGraph) {
    self.graph = graph
  }

  /// Runs what `fetches` and `targets` need, with `feeds` in place of the endpoints they
  /// key, reading and writing `resources`; the fetched values, in order. A fetched reference
  /// variable is read after every node has run.
  public func run(
    fetches: [Endpoint], targets: [Node] = [], feeds: [Endpoint: Tensor], resources: ResourceStore
  ) throws(ExecutionError) -> [Tensor] {
    let fed = feeds.keys.sorted { ($0.node.id, $0.index) < ($1.node.id, $1.index) }
    let key = PlanKey(fetches: fetches, targets: targets.map(\.id), fed: fed)
    let plan: Plan
    if let cached = plans[key] {
      plan = cached
    } else {
      plan = makePlan(key)
      plans[key] = plan
    }
    let feedValues = fed.map { feeds[$0]! }
    var slots: [[Slot]] = []
    slots.reserveCapacity(plan.steps.count)
    for step in plan.steps {
      slots.append(try run(step, slots: slots, feeds: feedValues, resources: resources))
    }
    var results: [Tensor] = []
    for source in plan.fetches {
      let slot = value(of: source, slots: slots, feeds: feedValues)
      switch slot {
      case let .tensor(tensor): results.append(tensor)
      case let .reference(name):
        do {
          results.append(try resources.read(name, resource: false))
        } catch {
          throw ExecutionError(error: error, node: source.node(in: plan) ?? fetches[results.count].node)
        }
      }
    }
    return results
  }

  private func run(_ step: Step, slots: [[Slot]], feeds: [Tensor], resources: ResourceStore)
    throws(ExecutionError) -> [Slot]
  {
    let node = step.node
    let definition = node.op.definition
    var inputs: [Tensor] = []
    inputs.reserveCapacity(step.inputs.count)
    var forwarded: String?
    for source in step.inputs {
      switch value(of: source, slots: slots, feeds: feeds) {
      case let .tensor(tensor): inputs.append(tensor)
      case let .reference(name):
        // A consumer reads a reference variable when it runs; Identity forwards the reference.
        do {
          inputs.append(try resources.read(name, resource: false))
        } catch {
          throw ExecutionError(error: error, node: node)
        }
        if definition.referenceOutput { forwarded = name }
      }
    }
    if let forwarded { return [.reference(forwarded)] }
    let outputs: [Tensor]
    do {
      outputs = try node.op.compute(inputs, resources: resources)
    } catch {
      throw ExecutionError(error: error, node: node)
    }
    if definition.referenceOutput && definition.isStateful, let name = node.op.attributes.string("shared_name") {
      return [.reference(name)]
    }
    return outputs.map { .tensor($0) }
  }

  private func value(of source: Source, slots: [[Slot]], feeds: [Tensor]) -> Slot {
    switch source {
    case let .output(step, index): slots[step][index]
    case let .feed(index): .tensor(feeds[index])
    }
  }

  // MARK: - Planning

  /// The needed nodes in the order TF's executor tends to run them: each as soon as all its
  /// inputs and control inputs have run, ready nodes first come first served (ties in creation
  /// order). So a fetched value is computed before an update that does not feed it, as when
  /// TF runs `sess.run([loss, train_op])`.
  private func makePlan(_ key: PlanKey) -> Plan {
    var fedIndex: [Endpoint: Int] = [:]
    for (index, endpoint) in key.fed.enumerated() { fedIndex[endpoint] = index }
    // The nodes the fetches and targets need, and each node's waiting count and consumers.
    var needed: [Int: Node] = [:]
    var stack = key.targets.map { graph.nodes[$0] } + key.fetches.filter { fedIndex[$0] == nil }.map(\.node)
    while let node = stack.popLast() {
      guard needed[node.id] == nil else { continue }
      needed[node.id] = node
      stack += node.controlInputs
      stack += node.inputs.filter { fedIndex[$0] == nil }.map(\.node)
    }
    var waiting: [Int: Int] = [:]
    var consumers: [Int: [Node]] = [:]
    for node in needed.values {
      let producers = node.controlInputs + node.inputs.filter { fedIndex[$0] == nil }.map(\.node)
      var distinct = Set<Int>()
      for producer in producers where distinct.insert(producer.id).inserted {
        consumers[producer.id, default: []].append(node)
      }
      waiting[node.id] = distinct.count
    }
    var ready = needed.values.filter { waiting[$0.id] == 0 }.sorted { $0.id < $1.id }
    var position: [Int: Int] = [:]
    var steps: [Step] = []
    var next = 0
    while next < ready.count {
      let node = ready[next]
      next += 1
      let inputs = node.inputs.map { endpoint -> Source in
        if let fed = fedIndex[endpoint] { return .feed(fed) }
        return .output(step: position[endpoint.node.id]!, index: endpoint.index)
      }
      position[node.id] = steps.count
      steps.append(Step(node: node, inputs: inputs))
      for consumer in (consumers[node.id] ?? []).sorted(by: { $0.id < $1.id }) {
        waiting[consumer.id]! -= 1
        if waiting[consumer.id] == 0 { ready.append(consumer) }
      }
    }
    let fetches = key.fetches.map { endpoint -> Source in
      if let fed = fedIndex[endpoint] { return .feed(fed) }
      return .output(step: position[endpoint.node.id]!, index: endpoint.index)
    }
    return Plan(steps: steps, fetches: fetches)
  }

  /// What a plan is cached by.
  private struct PlanKey: Hashable {
    let fetches: [Endpoint]
    let targets: [Int]
    let fed: [Endpoint]
  }

  private struct Plan {
    let steps: [Step]
    let fetches: [Source]
  }

  private struct Step {
    let node: Node
    let inputs: [Source]
  }

  private enum Source {
    case output(step: Int, index: Int)
    case feed(Int)

    func node(in plan: Plan) -> Node? {
      guard case let .output(step, _) = self else { return nil }
      return plan.steps[step].node
    }
  }

  /// A computed output: a value, or a reference to a TF1 variable read by its consumers.
  private enum Slot {
    case tensor(Tensor)
    case reference(String)
  }
}

/// A node's failure while it ran.
public struct ExecutionError: Error {
  /// What went wrong.
  public let error: OpError
  /// The name of the node that failed (TF names it in `[[{{node …}}]]`).
  public let nodeName: String
  /// The failed node's op.
  public let op: Op

  init(error: OpError, node: Node) {
    self.error = error
    nodeName = node.name
    op = node.op
  }
}
