import Dataflow
import Operations
import PythonRuntime
import TensorCore

/// The ops both `tf` and `tf.compat.v1` provide: constants, arithmetic, reductions, matmul,
/// casts, reshapes, variables and dtypes.
extension TFRuntime {
  func registerCoreOps() {
    /// The two paths of an API both `tf` and `tf.compat.v1` export.
    func both(_ name: String) -> [String] { ["tf.\(name)", "tf.compat.v1.\(name)"] }
    declare(["tf.constant"], [.required("value"), .optional("dtype"), .optional("shape"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      try self.constant(bound)
    }
    declare(
      ["tf.compat.v1.constant"],
      [.required("value"), .optional("dtype"), .optional("shape"), .optional("name"), .optional("verify_shape")]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      try self.constant(bound)
    }
    declareFilled(both("zeros"), value: 0, name: "zeros")
    declareFilled(both("ones"), value: 1, name: "ones")
    declare(both("cast"), [.required("x"), .required("dtype"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      guard let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype") else {
        throw .typeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
      }
      // math_ops.cast converts `x` inside its name scope (`Cast/x`), then returns it as it
      // is when it already has the dtype: no Cast node.
      let graph = try self.graphFor([bound["x"]])
      let scope = self.scopeName("Cast", graph: graph)
      let input = try self.operand(bound["x"], dtype: nil, graph: graph, constName: "\(scope)/x")
      guard input.spec.dtype != dtype else {
        switch input {
        case let .graph(node): return .object(node)
        case let .eager(value): return .object(EagerTensor(value, runtime: self))
        }
      }
      return try self.apply(.cast(to: dtype), [input], name: scope, graph: graph, nameIsUnique: true)
    }
    declare(both("reshape"), [.required("tensor"), .required("shape"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      let dims = try bound.shape("shape", allowUnknown: true) ?? []
      return try self.apply(
        Op(.reshape, OpAttributes(["shape": .ints(dims.map { $0 ?? -1 })])), [bound["tensor"]], name: "Reshape")
    }
    declareMatmul(both("matmul"))
    declareVariable(both("Variable"))
    declare(both("executing_eagerly"), []) { [unowned self] _, _ in .bool(self.currentGraph == nil) }
    for (module, prefix) in [(ModuleName.tf, "tf"), (ModuleName.v1, "tf.compat.v1")] {
      var members: [String: PyValue] = [
        "Graph": .builtin(BuiltinFunction("\(prefix).Graph") { [unowned self] _, _ in .object(Graph(runtime: self)) }),
        "double": .object(TFDType(.float64)),
      ]
      for dtype in DType.modelled {
        members[dtype.name] = .object(TFDType(dtype))
      }
      register(module, members)
    }
    declareMathFunctions()
    declareShapeFunctions()
    declareActivationFunctions()
  }

  /// The functions of `tf.math` that TF also exports at the top level, declared once with
  /// every path (`tf.add`, `tf.math.add`, `tf.compat.v1.add`, `tf.compat.v1.math.add`).
  func declareMathFunctions() {
    /// The four paths of a `tf.math` function that TF also exports at the top level.
    func everywhere(_ name: String) -> [String] {
      ["tf.\(name)", "tf.math.\(name)", "tf.compat.v1.\(name)", "tf.compat.v1.math.\(name)"]
    }
    let binary: [(String, OpDefinition, String, InputConversion)] = [
      ("add", .addV2, "Add", .hinted), ("subtract", .sub, "Sub", .sharedType), ("multiply", .mul, "Mul", .sharedType),
      ("maximum", .maximum, "Maximum", .sharedType), ("minimum", .minimum, "Minimum", .sharedType),
    ]
    for (python, op, name, rule) in binary {
      declare(everywhere(python), [.required("x"), .required("y"), .optional("name")]) {
        [unowned self] bound, _ throws(RuntimeError) in
        try self.binary(op, bound["x"], bound["y"], name: name, rule: rule)
      }
    }
    for python in ["divide", "truediv"] {
      declare(everywhere(python), [.required("x"), .required("y"), .optional("name")]) {
        [unowned self] bound, context throws(RuntimeError) in
        try self.divide(bound["x"], bound["y"], context: context)
      }
    }
    let unary: [(String, OpDefinition, String)] = [
      ("negative", .neg, "Neg"), ("abs", .abs, "Abs"), ("exp", .exp, "Exp"), ("log", .log, "Log"),
    ]
    for (python, op, name) in unary {
      // TF2 keeps `log` only in tf.math; tf.compat.v1 still has it at the top level.
      declare(everywhere(python).filter { $0 != "tf.log" }, [.required("x"), .optional("name")]) {
        [unowned self] bound, _ throws(RuntimeError) in
        try self.apply(Op(op), [bound["x"]], name: name)
      }
    }
    let reductions: [(String, OpDefinition, String)] = [
      ("reduce_sum", .sum, "Sum"), ("reduce_mean", .mean, "Mean"), ("reduce_max", .max, "Max"),
      ("reduce_min", .min, "Min"),
    ]
    for (python, op, name) in reductions {
      declare(
        ["tf.\(python)", "tf.math.\(python)"],
        [.required("input_tensor"), .optional("axis"), .optional("keepdims"), .optional("name")]
      ) { [unowned self] bound, _ throws(RuntimeError) in
        try self.reduce(op, name: name, bound, axes: try bound.axes("axis"), keepDims: try bound.bool("keepdims"))
      }
      // TF1 keeps the deprecated `keep_dims` and `reduction_indices` spellings.
      declare(
        ["tf.compat.v1.\(python)", "tf.compat.v1.math.\(python)"],
        [
          .required("input_tensor"), .optional("axis"), .optional("keepdims"), .optional("name"),
          .optional("reduction_indices"), .optional("keep_dims"),
        ]
      ) { [unowned self] bound, _ throws(RuntimeError) in
        var axes = try bound.axes("axis")
        if let legacy = try bound.axes("reduction_indices") {
          guard axes == nil else { throw .valueError("Can not specify both 'axis' and 'reduction_indices'.") }
          axes = legacy
        }
        let keepDims: Bool
        if case .none = bound["keepdims"] {
          keepDims = try bound.bool("keep_dims")
        } else {
          keepDims = try bound.bool("keepdims")
        }
        return try self.reduce(op, name: name, bound, axes: axes, keepDims: keepDims)
      }
    }
  }

  /// `tf.math.divide`: makes `x` a tensor first, of `y`'s dtype when `y` is one, then uses `/`.
  private func divide(_ xValue: PyValue, _ y: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    var x = xValue
    if x.tensorDType == nil {
      let graph = try graphFor([x, y])
      switch try operand(x, dtype: y.tensorDType, graph: graph) {
      case let .eager(tensor): x = .object(EagerTensor(tensor, runtime: self))
      case let .graph(node): x = .object(node)
      }
    }
    guard let tensor = x.object(as: TensorValue.self),
      let quotient = try tensor.binary(.divide, y, reflected: false, context: context)
    else { return try trueDivide(x, y, name: "truediv") }
    return quotient
  }

  /// A reduction over `axes` (all when nil) of the bound `input_tensor`.
  private func reduce(_ op: OpDefinition, name: String, _ bound: BoundArguments, axes: [Int]?, keepDims: Bool)
    throws(RuntimeError) -> PyValue
  {
    // Without an axis, TF first builds the list of all axes of a tensor of known rank
    // (one or more) as a `Const` node; other inputs get range/Rank nodes instead.
    if axes == nil, let graph = try graphFor([bound["input_tensor"]]),
      let rank = bound["input_tensor"].object(as: TensorValue.self)?.spec.rank, rank > 0
    {
      _ = graph.uniqueName("Const")
    }
    var scalarAxis = false
    if case .int = bound["axis"] { scalarAxis = true }
    if bound.value("reduction_indices").map({ if case .int = $0 { true } else { false } }) == true {
      scalarAxis = true
    }
    return try apply(
      Op(op, .reduction(axes: axes, keepDims: keepDims, scalarAxis: scalarAxis)), [bound["input_tensor"]], name: name)
  }

  private func declareMatmul(_ paths: [String]) {
    declare(
      paths,
      [
        .required("a"), .required("b"), .optional("transpose_a"), .optional("transpose_b"),
        .optional("adjoint_a"), .optional("adjoint_b"), .optional("a_is_sparse"),
        .optional("b_is_sparse"), .optional("output_type"), .optional("grad_a"),
        .optional("grad_b"), .optional("name"),
      ]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      // For real dtypes the adjoint is the transpose.
      let (transposeA, adjointA) = (try bound.bool("transpose_a"), try bound.bool("adjoint_a"))
      let (transposeB, adjointB) = (try bound.bool("transpose_b"), try bound.bool("adjoint_b"))
      let (sparseA, sparseB) = (try bound.bool("a_is_sparse"), try bound.bool("b_is_sparse"))
      if sparseA || sparseB { throw .unsupported("sparse matmul (a_is_sparse/b_is_sparse)") }
      if case .object = bound["output_type"] { throw .unsupported("tf.matmul output_type") }
      return try self.matmul(
        bound["a"], bound["b"], transposeA: transposeA || adjointA, transposeB: transposeB || adjointB, name: "MatMul")
    }
  }

  /// `tf.constant`, both generations.
  private func constant(_ bound: BoundArguments) throws(RuntimeError) -> PyValue {
    let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype")
    var tensor = try self.eagerTensor(bound["value"], dtype: dtype)
    if let requested = try bound.shape("shape", allowUnknown: false) {
      let dims = requested.map { $0! }
      if tensor.scalarCount == 1 && Shape.elementCount(dims) != 1 {
        let scalar = tensor.reshaped(to: [])
        tensor = try Conversion.kernel { () throws(TensorError) in try scalar.broadcasted(to: dims) }
      } else if tensor.scalarCount == Shape.elementCount(dims) {
        tensor = tensor.reshaped(to: dims)
      } else {
        throw .typeError(
          "Eager execution of tf.constant with unsupported shape. Tensor \(bound["value"].repr) (converted from "
            + "\(bound["value"].repr)) has \(tensor.scalarCount) elements, but got `shape` \(Shape.pythonTuple(dims)) "
            + "with \(Shape.elementCount(dims)) elements)."
        )
      }
    }
    guard let graph = self.currentGraph else { return .object(EagerTensor(tensor, runtime: self)) }
    let name: String
    if case let .string(given) = bound["name"] { name = given } else { name = "Const" }
    return .object(self.constantNode(tensor, graph: graph, name: graph.scoped(name)))
  }

  private func declareFilled(_ paths: [String], value: Double, name: String) {
    declare(paths, [.required("shape"), .optional("dtype"), .optional("name")]) {
      [unowned self] bound, _ throws(RuntimeError) in
      guard let dims = try bound.shape("shape", allowUnknown: false)?.map({ $0! }) else {
        throw .valueError("Shape must be specified")
      }
      let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype") ?? .float32
      let tensor = try Conversion.kernel { () throws(TensorError) in
        try Tensor.filled(with: value, shape: dims, dtype: dtype)
      }
      guard let graph = self.currentGraph else { return .object(EagerTensor(tensor, runtime: self)) }
      return .object(self.constantNode(tensor, graph: graph, name: graph.scoped(name)))
    }
  }

  private func declareVariable(_ paths: [String]) {
    declare(
      paths,
      [
        .optional("initial_value"), .optional("trainable"), .optional("validate_shape"),
        .optional("caching_device"), .optional("name"), .optional("variable_def"), .optional("dtype"),
        .optional("import_scope"), .optional("constraint"), .optional("synchronization"), .optional("aggregation"),
        .optional("shape"), .optional("experimental_enable_variable_lifting"),
      ]
    ) { [unowned self] bound, _ throws(RuntimeError) in
      if case .none = bound["initial_value"] { throw .valueError("initial_value must be specified.") }
      for unsupported in ["constraint", "synchronization", "aggregation", "variable_def", "shape"] {
        if case .none = bound[unsupported] { continue }
        throw .unsupported("tf.Variable(\(unsupported)=…)")
      }
      let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype")
      let baseName: String
      if case let .string(given) = bound["name"] { baseName = given } else { baseName = "Variable" }
      guard let graph = self.currentGraph else {
        var trainable = true
        if case .none = bound["trainable"] {} else { trainable = try bound.bool("trainable") }
        return .object(
          EagerVariable(
            try self.eagerTensor(bound["initial_value"], dtype: dtype), name: self.eagerScopeName + baseName,
            trainable: trainable,
            runtime: self))
      }
      let name = graph.uniqueName(baseName)
      let initial: GraphNode
      if case let .object(tensor as TensorValue) = bound["initial_value"], case let .graph(node) = try tensor.operand()
      {
        guard dtype == nil || node.spec.dtype == dtype else {
          throw .unsupported("tf.Variable(dtype=…) casting a graph initial value")
        }
        initial = node
      } else {
        let tensor = try Conversion.tensor(from: bound["initial_value"], dtype: dtype)
        initial = self.constantNode(tensor, graph: graph, name: "\(name)/initial_value")
      }
      guard initial.spec.knownShape != nil else {
        throw .valueError("initial_value must have a shape specified: \(initial.str())")
      }
      let trainable: Bool
      if case .none = bound["trainable"] { trainable = true } else { trainable = try bound.bool("trainable") }
      return .object(
        try self.makeGraphVariable(name: name, initial: initial, graph: graph, trainable: trainable, local: false))
    }
  }
}

/// `tf.compat.v1.GraphKeys`: the standard collection names.
enum GraphKeys {
  static let globalVariables = "variables"
  static let localVariables = "local_variables"
  static let trainableVariables = "trainable_variables"
  static let globalStep = "global_step"
  static let trainOp = "train_op"
  static let all: [String: String] = [
    "GLOBAL_VARIABLES": globalVariables, "LOCAL_VARIABLES": localVariables, "TRAINABLE_VARIABLES": trainableVariables,
    "GLOBAL_STEP": globalStep, "TRAIN_OP": trainOp, "UPDATE_OPS": "update_ops", "LOSSES": "losses",
    "REGULARIZATION_LOSSES": "regularization_losses", "SUMMARIES": "summaries", "METRIC_VARIABLES": "metric_variables",
    "MODEL_VARIABLES": "model_variables", "MOVING_AVERAGE_VARIABLES": "moving_average_variables",
  ]
}

extension TFRuntime {
  /// A graph variable named `name` (unique) initialized from `initial`, added to its collections.
  func makeGraphVariable(name: String, initial: GraphNode, graph: Graph, trainable: Bool, local: Bool)
    throws(RuntimeError) -> GraphVariable
  {
    let variable: GraphVariable
    do {
      variable = try GraphVariable(
        name: name, initialValue: initial.endpoint, graph: graph, isResource: resourceVariables, trainable: trainable)
    } catch {
      throw Self.graphConstructionError(error, nodeName: name, inputNames: [initial.name])
    }
    graph.addToCollection(local ? GraphKeys.localVariables : GraphKeys.globalVariables, .object(variable))
    if trainable && !local { graph.addToCollection(GraphKeys.trainableVariables, .object(variable)) }
    return variable
  }
}
