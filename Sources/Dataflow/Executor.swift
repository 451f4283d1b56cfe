import Operations
import TensorCore

/// Runs a graph's nodes for a set of fetches and targets with fed values: the one executor
/// behind `Session.run` (and, later, function graphs and loops). It plans once per set of
/// fetches, targets and fed endpoints: the nodes they need, each after its control inputs
/// and data inputs, in a fixed order; running the same fetches again reuses the plan.
///
/// A run keeps every value in one flat list of slots (the feeds first, then each step's
/// outputs) and lets go of a value after the last step that reads it, as TF's executor does.
public final class Executor {
  /// The graph it runs.
  public let graph: DataflowGraph
  private var plans: [PlanKey: Plan] = [:]
  /// Storage for a run's slots and a step's inputs, kept empty between uses so that the next
  /// need not allocate.
  private var spareSlots: [Slot] = []
  private var spareInputs: [Tensor] = []

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
    let fed = Array(feeds.keys)
    let callable = callable(fetches: fetches, targets: targets, fed: fed)
    return try run(callable, feeds: fed.map { feeds[$0]! }, resources: resources)
  }

  /// The plan for `fetches` and `targets` with `fed` endpoints fed, made on first use (TF's
  /// `Session::MakeCallable`): `run(_:feeds:resources:)` runs it with fed values in `fed`'s
  /// order, without looking the plan up again.
  public func callable(fetches: [Endpoint], targets: [Node] = [], fed: [Endpoint]) -> Callable {
    let order = fed.indices.sorted { (fed[$0].node.id, fed[$0].index) < (fed[$1].node.id, fed[$1].index) }
    let key = PlanKey(fetches: fetches, targets: targets, fed: order.map { fed[$0] })
    let plan: Plan
    if let cached = plans[key] {
      plan = cached
    } else {
      plan = makePlan(key)
      plans[key] = plan
    }
    // The plan's fed slots are in sorted order; `feedSlots[i]` is the slot of `fed[i]`.
    var feedSlots = [Int](repeating: 0, count: fed.count)
    for (slot, position) in order.enumerated() { feedSlots[position] = slot }
    return Callable(plan: plan, feedSlots: feedSlots)
  }

  /// Runs `callable` with `feeds`, one value per fed endpoint in the order it was made with.
  public func run(_ callable: Callable, feeds: [Tensor], resources: ResourceStore) throws(ExecutionError) -> [Tensor] {
    precondition(
      feeds.count == callable.feedSlots.count, "a callable fed \(feeds.count) values for \(callable.feedSlots.count)")
    let plan = callable.plan
    // The previous run's slot storage, emptied, when no other run holds it.
    var slots: [Slot] = []
    swap(&slots, &spareSlots)
    slots.append(contentsOf: repeatElement(.empty, count: plan.slotCount))
    for (value, slot) in zip(feeds, callable.feedSlots) { slots[slot] = .tensor(value) }
    for step in plan.steps {
      try run(step, slots: &slots, resources: resources)
    }
    defer {
      slots.removeAll(keepingCapacity: true)
      spareSlots = slots
    }
    var results: [Tensor] = []
    results.reserveCapacity(plan.fetches.count)
    for slot in plan.fetches {
      switch slots[slot] {
      case let .tensor(tensor): results.append(tensor)
      case let .reference(name):
        do {
          results.append(try resources.read(name, resource: false))
        } catch {
          throw ExecutionError(error: error, node: plan.key.fetches[results.count].node)
        }
      case .empty: throw ExecutionError(error: Self.missing(slot), node: plan.key.fetches[results.count].node)
      }
    }
    return results
  }

  private func run(_ step: Step, slots: inout [Slot], resources: ResourceStore) throws(ExecutionError) {
    let node = step.node
    switch step.kernel {
    case let .constant(value):
      slots[step.firstOutput] = .tensor(value)
      return
    case .binary:
      let a = try value(at: step.inputs[0], in: slots, for: node, resources: resources)
      let b = try value(at: step.inputs[1], in: slots, for: node, resources: resources)
      for slot in step.releases { slots[slot] = .empty }
      do {
        slots[step.firstOutput] = .tensor(try step.op.definition(a, b))
      } catch {
        throw ExecutionError(error: .tensor(error), node: node)
      }
      return
    case .general:
      break
    }
    // The previous general step's input storage, emptied, when no other step holds it.
    var inputs: [Tensor] = []
    swap(&inputs, &spareInputs)
    defer {
      inputs.removeAll(keepingCapacity: true)
      spareInputs = inputs
    }
    var forwarded: String?
    for slot in step.inputs {
      inputs.append(try value(at: slot, in: slots, for: node, resources: resources))
      // Identity forwards a reference variable rather than its value.
      if step.forwardsReference, case let .reference(name) = slots[slot] { forwarded = name }
    }
    for slot in step.releases { slots[slot] = .empty }
    if let forwarded {
      slots[step.firstOutput] = .reference(forwarded)
      return
    }
    let outputs: [Tensor]
    do {
      outputs = try step.op.compute(inputs, resources: resources)
    } catch {
      throw ExecutionError(error: error, node: node)
    }
    if let variable = step.variable {
      slots[step.firstOutput] = .reference(variable)
      return
    }
    guard outputs.count == node.outputSpecs.count else {
      let message = "\(node.op.definition.name) gave \(outputs.count) outputs for \(node.outputSpecs.count)"
      throw ExecutionError(error: .tensor(.invalidArgument(message)), node: node)
    }
    for (index, output) in outputs.enumerated() { slots[step.firstOutput + index] = .tensor(output) }
  }

  /// The value in `slot` for a step of `node`: a consumer reads a reference variable when it runs.
  private func value(at slot: Int, in slots: [Slot], for node: Node, resources: ResourceStore)
    throws(ExecutionError) -> Tensor
  {
    switch slots[slot] {
    case let .tensor(tensor): return tensor
    case let .reference(name):
      do {
        return try resources.read(name, resource: false)
      } catch {
        throw ExecutionError(error: error, node: node)
      }
    case .empty: throw ExecutionError(error: Self.missing(slot), node: node)
    }
  }

  /// The failure of reading a slot that holds no value: a planning fault, reported rather than trapped.
  private static func missing(_ slot: Int) -> OpError {
    .tensor(.invalidArgument("the executor read slot \(slot) before any step wrote it"))
  }

  // MARK: - Planning

  /// The needed nodes in the order TF's executor tends to run them: each as soon as all its
  /// inputs and control inputs have run, ready nodes first come first served (ties in creation
  /// order). So a fetched value is computed before an update that does not feed it, as when
  /// TF runs `sess.run([loss, train_op])`.
  private func makePlan(_ key: PlanKey) -> Plan {
    var fedIndex: [Endpoint: Int] = [:]
    for (index, endpoint) in key.fed.enumerated() { fedIndex[endpoint] = index }
    // The nodes the fetches and targets need, each with the op and inputs it runs (constant
    // attribute inputs folded), and each node's waiting count and consumers.
    var needed: [Int: Node] = [:]
    var runs: [Int: (op: Op, inputs: [Endpoint])] = [:]
    var stack = key.targets + key.fetches.filter { fedIndex[$0] == nil }.map(\.node)
    while let node = stack.popLast() {
      guard needed[node.id] == nil else { continue }
      needed[node.id] = node
      let run = folded(node, fed: fedIndex)
      runs[node.id] = run
      stack += node.controlInputs
      stack += run.inputs.filter { fedIndex[$0] == nil }.map(\.node)
    }
    var waiting: [Int: Int] = [:]
    var consumers: [Int: [Node]] = [:]
    for node in needed.values {
      let producers = node.controlInputs + runs[node.id]!.inputs.filter { fedIndex[$0] == nil }.map(\.node)
      var distinct = Set<Int>()
      for producer in producers where distinct.insert(producer.id).inserted {
        consumers[producer.id, default: []].append(node)
      }
      waiting[node.id] = distinct.count
    }
    var ready = needed.values.filter { waiting[$0.id] == 0 }.sorted { $0.id < $1.id }
    // Each node's first slot; the fed values take the first slots.
    var firstSlot: [Int: Int] = [:]
    var slotCount = key.fed.count
    var order: [(node: Node, inputs: [Int])] = []
    var next = 0
    while next < ready.count {
      let node = ready[next]
      next += 1
      let inputs = runs[node.id]!.inputs.map { endpoint in
        fedIndex[endpoint] ?? firstSlot[endpoint.node.id]! + endpoint.index
      }
      firstSlot[node.id] = slotCount
      slotCount += max(node.outputSpecs.count, 1)
      order.append((node, inputs))
      for consumer in (consumers[node.id] ?? []).sorted(by: { $0.id < $1.id }) {
        waiting[consumer.id]! -= 1
        if waiting[consumer.id] == 0 { ready.append(consumer) }
      }
    }
    let fetches = key.fetches.map { endpoint in fedIndex[endpoint] ?? firstSlot[endpoint.node.id]! + endpoint.index }
    // The step after which no step reads a slot: it lets go of the value there, unless fetched.
    var lastReader: [Int: Int] = [:]
    for (position, entry) in order.enumerated() {
      for slot in entry.inputs { lastReader[slot] = position }
    }
    for slot in fetches { lastReader[slot] = nil }
    var releases = [[Int]](repeating: [], count: order.count)
    for (slot, position) in lastReader { releases[position].append(slot) }
    let steps = order.enumerated().map { position, entry in
      let definition = entry.node.op.definition
      let variable =
        definition.referenceOutput && definition.isStateful
        ? entry.node.op.attributes.string("shared_name") : nil
      let op = runs[entry.node.id]!.op
      let kernel: Step.Kernel
      if definition === OpDefinition.const, let value = op.attributes.tensor("value") {
        kernel = .constant(value)
      } else if definition.hasBinaryKernel, entry.inputs.count == 2, entry.node.outputSpecs.count == 1 {
        kernel = .binary
      } else {
        kernel = .general
      }
      return Step(
        node: entry.node, op: op, kernel: kernel, inputs: entry.inputs, firstOutput: firstSlot[entry.node.id]!,
        releases: releases[position].sorted(), forwardsReference: definition.referenceOutput && !definition.isStateful,
        variable: variable)
    }
    return Plan(key: key, steps: steps, fetches: fetches, slotCount: slotCount)
  }

  /// The op and data inputs `node` runs with: its inputs past its tensor inputs (axes, a shape)
  /// fold into its attributes once here when each is a `Const` node without control inputs
  /// that is not fed, as they would on every run; otherwise the node as it is.
  private func folded(_ node: Node, fed: [Endpoint: Int]) -> (op: Op, inputs: [Endpoint]) {
    let definition = node.op.definition
    let count = definition.tensorInputCount
    guard !definition.isStateful, node.inputs.count > count else { return (node.op, node.inputs) }
    var values: [Tensor] = []
    for endpoint in node.inputs[count...] {
      let producer = endpoint.node
      guard producer.op.definition === OpDefinition.const, producer.controlInputs.isEmpty, fed[endpoint] == nil,
        let value = producer.op.attributes.tensor("value")
      else { return (node.op, node.inputs) }
      values.append(value)
    }
    return (node.op.folding(attributeInputs: values), Array(node.inputs.prefix(count)))
  }

  /// What a plan is cached by.
  fileprivate struct PlanKey: Hashable {
    let fetches: [Endpoint]
    let targets: [Node]
    let fed: [Endpoint]

    static func == (a: PlanKey, b: PlanKey) -> Bool {
      a.asks(b.fetches, b.targets) && a.fed == b.fed
    }

    /// Whether a run asks for these fetches and targets (the nodes themselves, not equal ones).
    func asks(_ fetches: [Endpoint], _ targets: [Node]) -> Bool {
      self.fetches == fetches && self.targets.elementsEqual(targets, by: { $0 === $1 })
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(fetches)
      for target in targets { hasher.combine(ObjectIdentifier(target)) }
      hasher.combine(fed)
    }
  }

  /// A plan made once for a set of fetches, targets and fed endpoints, and where each fed
  /// value goes: what a session keeps to run the same fetches again.
  public struct Callable {
    fileprivate let plan: Plan
    /// The slot of each fed value, in the order the callable was made with.
    fileprivate let feedSlots: [Int]
  }

  fileprivate final class Plan {
    let key: PlanKey
    let steps: [Step]
    /// The slot of each fetch.
    let fetches: [Int]
    /// The fed values' slots and every step's outputs'.
    let slotCount: Int

    init(key: PlanKey, steps: [Step], fetches: [Int], slotCount: Int) {
      self.key = key
      self.steps = steps
      self.fetches = fetches
      self.slotCount = slotCount
    }
  }

  /// A class, so that running a step retains one reference rather than each of its fields.
  fileprivate final class Step {
    let node: Node
    /// The op it runs: the node's, with constant attribute inputs folded in.
    let op: Op
    /// How it runs the op.
    let kernel: Kernel
    /// The slots of its inputs.
    let inputs: [Int]
    /// The slot of its first output; the others follow.
    let firstOutput: Int
    /// Slots that no later step reads and no fetch names: emptied once its inputs are taken.
    let releases: [Int]
    /// Whether a reference input passes through as this node's output: a stateless
    /// reference op (Identity of a `VariableV2`). An update (`Assign`) reads its reference input.
    let forwardsReference: Bool
    /// The TF1 variable a stateful reference-output op (`VariableV2`) stands for.
    let variable: String?

    /// How a step runs its op: most through `Op.compute` and arrays of tensors; a constant
    /// and a two-input op without attributes (`AddV2`), the commonest steps, without them.
    enum Kernel {
      /// A `Const`: its value, without a kernel call.
      case constant(Tensor)
      /// An op declared by its binary kernel, called with its two inputs.
      case binary
      case general
    }

    init(
      node: Node, op: Op, kernel: Kernel, inputs: [Int], firstOutput: Int, releases: [Int], forwardsReference: Bool,
      variable: String?
    ) {
      self.node = node
      self.op = op
      self.kernel = kernel
      self.inputs = inputs
      self.firstOutput = firstOutput
      self.releases = releases
      self.forwardsReference = forwardsReference
      self.variable = variable
    }
  }

  /// A computed output: a value, or a reference to a TF1 variable read by its consumers.
  fileprivate enum Slot {
    case tensor(Tensor)
    case reference(String)
    /// Not written yet, or let go of after its last reader.
    case empty
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
