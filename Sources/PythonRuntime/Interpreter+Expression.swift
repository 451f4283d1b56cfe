import PythonSyntax

/// Whether a name is a dunder (`__x__`): those a class may define for Python's protocols are
/// reachable on program objects; every other one reaches the interpreter's machinery.
private func isDunder(_ name: String) -> Bool { name.hasPrefix("__") && name.hasSuffix("__") }

/// The protocol dunders a program class may define and call (`super().__init__()`).
private let protocolDunders: Set<String> = [
  "__init__", "__call__", "__getitem__", "__setitem__", "__len__", "__iter__", "__next__", "__contains__",
  "__enter__", "__exit__", "__repr__", "__str__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
  "__hash__", "__bool__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
  "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
  "__rmatmul__", "__neg__", "__pos__", "__abs__", "__invert__", "__getattr__", "__float__", "__format__",
  "__cause__", "__context__", "__or__", "__ror__", "__and__", "__rand__", "__xor__", "__rxor__", "__lshift__",
  "__rlshift__", "__rshift__", "__rrshift__", "__delitem__", "__delattr__", "__iadd__", "__isub__", "__imul__",
  "__itruediv__", "__ifloordiv__", "__imod__", "__ipow__", "__imatmul__", "__ior__", "__iand__", "__ixor__",
  "__ilshift__", "__irshift__", "__round__",
]

extension Interpreter {
  /// Evaluates an expression.
  func evaluate(_ expression: Expr, in scope: Scope) throws(RuntimeError) -> PyValue {
    do {
      return try evaluateUnlocated(expression, in: scope)
    } catch {
      throw error.located(at: expression.start)
    }
  }

  private func evaluateUnlocated(_ expression: Expr, in scope: Scope) throws(RuntimeError) -> PyValue {
    let at = expression.start
    switch expression.kind {
    case let .name(name):
      switch scope.lookup(name) {
      case let .found(value): return value
      case .unbound:
        throw unboundLocal(name).located(at: at)
      case .unboundFree:
        throw unboundFreeVariable(name).located(at: at)
      case .missing:
        throw missingName(name).located(at: at)
      }
    case let .int(value): return .int(value)
    case let .float(value): return .float(value)
    case let .string(value): return .string(value)
    case let .formatted(parts):
      return try evaluateFormatted(parts, in: scope)
    case let .bool(value): return .bool(value)
    case .none: return .none
    case let .list(items): return .list(PyList(try displayItems(items, in: scope)))
    case let .tuple(items): return .tuple(try displayItems(items, in: scope))
    case let .set(items): return try evaluateSet(items, in: scope)
    case let .dict(entries): return try evaluateDict(entries, in: scope)
    case .starred:
      throw RuntimeError(.exception(type: "SyntaxError", message: "can't use starred expression here"), at: at)
    case let .named(name, value):
      let result = try evaluate(value, in: scope)
      try assignNamed(name, result, in: scope)
      return result
    case let .attribute(base, name):
      return try getAttribute(try evaluate(base, in: scope), name, at: at)
    case let .subscript(base, index):
      return try item(try evaluate(base, in: scope), try evaluate(index, in: scope), at: at)
    case let .slice(lower, upper, step):
      func part(_ expression: Expr?) throws(RuntimeError) -> PyValue {
        guard let expression else { return .none }
        return try evaluate(expression, in: scope)
      }
      return .object(PySlice(lower: try part(lower), upper: try part(upper), step: try part(step)))
    case let .call(callee, arguments):
      return try evaluateCall(callee, arguments, in: scope, at: at)
    case let .binary(op, lhs, rhs):
      return try binary(op, try evaluate(lhs, in: scope), try evaluate(rhs, in: scope), at: at)
    case let .unary(op, operand):
      let value = try evaluate(operand, in: scope)
      if op == .not { return .bool(!(try truthValue(value, at: at))) }
      return try PyValue.unary(op, value, context: CallContext(interpreter: self, location: at))
    case let .compare(first, rest):
      return try evaluateComparison(first, rest, in: scope, at: at)
    case let .and(lhs, rhs):
      let left = try evaluate(lhs, in: scope)
      return try truthValue(left, at: at) ? try evaluate(rhs, in: scope) : left
    case let .or(lhs, rhs):
      let left = try evaluate(lhs, in: scope)
      return try truthValue(left, at: at) ? left : try evaluate(rhs, in: scope)
    case let .conditional(test, body, orElse):
      return try evaluate(try truthValue(try evaluate(test, in: scope), at: at) ? body : orElse, in: scope)
    case .yield, .yieldFrom:
      throw RuntimeError(.exception(type: "SyntaxError", message: "'yield' outside function"), at: at)
    case let .comprehension(.generator, element, _, clauses):
      return try generatorExpression(element: element, clauses: clauses, in: scope, at: at)
    case let .comprehension(kind, element, value, clauses):
      return try evaluateComprehension(kind, element: element, value: value, clauses: clauses, in: scope)
    case let .lambda(parameters, body):
      let function = try makeFunction(
        name: "<lambda>", parameters: parameters, body: [Stmt(.return(body), at: body.start)], in: scope)
      return .function(function)
    }
  }

  /// A call: `instance.method(…)` without a bound-method object, `*` and `**` spread out.
  @inline(never)
  private func evaluateCall(_ callee: Expr, _ arguments: [Argument], in scope: Scope, at: SourcePosition)
    throws(RuntimeError) -> PyValue
  {
    if arguments.isEmpty, case .name("super") = callee.kind { return try zeroArgumentSuper(in: scope, at: at) }
    let function: PyValue
    var positional: [PyValue] = []
    var keywords: [(name: String, value: PyValue)] = []
    // `instance.method(…)`: the function and the instance go straight to the call, without
    // a bound-method object in between.
    if case let .attribute(base, name) = callee.kind {
      let receiver = try evaluate(base, in: scope)
      if case let .object(instance as PyInstance) = receiver, instance.attributes[name] == nil,
        case let .function(method)? = instance.cls.lookup(name)
      {
        function = .function(method)
        positional.append(receiver)
      } else {
        function = try getAttribute(receiver, name, at: callee.start)
      }
    } else {
      function = try evaluate(callee, in: scope)
    }
    for argument in arguments {
      let value = try evaluate(argument.value, in: scope)
      switch argument.unpacking {
      case .none:
        if let keyword = argument.keyword {
          keywords.append((keyword, value))
        } else {
          positional.append(value)
        }
      case .iterable:
        positional += try unpackedArguments(value, for: function, at: argument.value.start)
      case .mapping:
        try unpackKeywords(value, into: &keywords, for: function, at: argument.value.start)
      }
    }
    return try call(function, Arguments(positional, keywords: keywords), at: at)
  }

  /// A comparison chain, stopping at the first false link.
  @inline(never)
  private func evaluateComparison(_ first: Expr, _ rest: [Comparison], in scope: Scope, at: SourcePosition)
    throws(RuntimeError) -> PyValue
  {
    var lhs = try evaluate(first, in: scope)
    var result: PyValue = .bool(true)
    for link in rest {
      let (op, rhsExpression) = (link.op, link.rhs)
      let rhs = try evaluate(rhsExpression, in: scope)
      result = try PyValue.compare(op, lhs, rhs, context: CallContext(interpreter: self, location: at))
      // A chain stops at the first false link; tensors' element-wise results end a chain.
      if rest.count > 1, !(try truthValue(result, at: at)) { return result }
      lhs = rhs
    }
    return result
  }

  /// An f-string: literal text and formatted fields.
  @inline(never)
  private func evaluateFormatted(_ parts: [FormattedPart], in scope: Scope) throws(RuntimeError) -> PyValue {
    var text = ""
    for part in parts {
      switch part {
      case let .literal(literal): text += literal
      case let .field(value, conversion, spec):
        let converted = Formatting.converted(try evaluate(value, in: scope), conversion)
        text += try Formatting.format(
          converted, spec: spec, context: CallContext(interpreter: self, location: value.start))
      }
    }
    return .string(text)
  }

  /// A list, set or dict comprehension. The clauses' targets live in a scope of their own,
  /// as in Python 3.
  @inline(never)
  private func evaluateComprehension(
    _ kind: ComprehensionKind, element: Expr, value: Expr?, clauses: [ComprehensionClause], in scope: Scope
  ) throws(RuntimeError) -> PyValue {
    let inner = Scope(parent: scope)
    switch kind {
    case .dict:
      let dict = PyDict()
      try runClauses(clauses[...], in: inner) { () throws(RuntimeError) in
        let key = try evaluate(element, in: inner)
        try dict.set(try evaluate(value ?? element, in: inner), for: key)
      }
      return .dict(dict)
    case .set:
      let set = PySet()
      try runClauses(clauses[...], in: inner) { () throws(RuntimeError) in try set.add(try evaluate(element, in: inner))
      }
      return .object(set)
    case .list, .generator:
      var items: [PyValue] = []
      try runClauses(clauses[...], in: inner) { () throws(RuntimeError) in
        items.append(try evaluate(element, in: inner))
        if items.count > PyValue.maxSequenceLength {
          throw RuntimeError(
            .limitExceeded(
              "a comprehension of more than \(PyValue.maxSequenceLength) elements exceeds Lockstep's limit"))
        }
      }
      return .list(PyList(items))
    }
  }

  /// A set display. Out of line, like the other displays, to keep `evaluate`'s stack frame
  /// small for deep recursion.
  @inline(never)
  private func evaluateSet(_ items: [Expr], in scope: Scope) throws(RuntimeError) -> PyValue {
    let set = PySet()
    for item in try displayItems(items, in: scope) { try set.add(item) }
    return .object(set)
  }

  /// A dict display: `key: value` entries and `**mapping` unpacked, keys evaluated first.
  @inline(never)
  private func evaluateDict(_ entries: [DictEntry], in scope: Scope) throws(RuntimeError) -> PyValue {
    let dict = PyDict()
    for entry in entries {
      guard let key = entry.key else {
        let mapping = try evaluate(entry.value, in: scope)
        guard case let .dict(other) = mapping else {
          throw RuntimeError(
            .exception(type: "TypeError", message: "'\(mapping.typeName)' object is not a mapping"),
            at: entry.value.start)
        }
        for (key, value) in other.entries { try dict.set(value, for: key) }
        continue
      }
      let keyValue = try evaluate(key, in: scope)
      try dict.set(try evaluate(entry.value, in: scope), for: keyValue)
    }
    return .dict(dict)
  }

  /// The values of a list, tuple or set display, with `*iterable` items spread out.
  @inline(never)
  private func displayItems(_ items: [Expr], in scope: Scope) throws(RuntimeError) -> [PyValue] {
    var values: [PyValue] = []
    values.reserveCapacity(items.count)
    for item in items {
      guard case let .starred(inner) = item.kind else {
        values.append(try evaluate(item, in: scope))
        continue
      }
      let iterable = try evaluate(inner, in: scope)
      switch iterable {
      case .none, .bool, .int, .float, .function, .builtin:
        throw RuntimeError(
          .exception(type: "TypeError", message: "Value after * must be an iterable, not \(iterable.typeName)"),
          at: item.start)
      default: values += try iterate(iterable, at: inner.start)
      }
    }
    return values
  }

  /// The items of `*value` in a call.
  private func unpackedArguments(_ value: PyValue, for function: PyValue, at location: SourcePosition)
    throws(RuntimeError) -> [PyValue]
  {
    switch value {
    case .list, .tuple, .string, .dict, .object: return try iterate(value, at: location)
    default:
      throw RuntimeError(
        .exception(
          type: "TypeError",
          message: "\(calleeName(function))() argument after * must be an iterable, not \(value.typeName)"),
        at: location)
    }
  }

  /// The entries of `**value` in a call, appended as keywords.
  private func unpackKeywords(
    _ value: PyValue, into keywords: inout [(name: String, value: PyValue)], for function: PyValue,
    at location: SourcePosition
  ) throws(RuntimeError) {
    guard case let .dict(dict) = value else {
      throw RuntimeError(
        .exception(
          type: "TypeError",
          message: "\(calleeName(function))() argument after ** must be a mapping, not \(value.typeName)"),
        at: location)
    }
    for (key, item) in dict.entries {
      guard case let .string(name) = key else {
        throw RuntimeError(.exception(type: "TypeError", message: "keywords must be strings"), at: location)
      }
      if keywords.contains(where: { $0.name == name }) {
        throw RuntimeError(
          .exception(
            type: "TypeError", message: "\(calleeName(function))() got multiple values for keyword argument '\(name)'"),
          at: location)
      }
      keywords.append((name, item))
    }
  }

  /// How errors about a call name the callee.
  func calleeName(_ callee: PyValue) -> String {
    switch callee {
    case let .function(function): "__main__." + function.qualifiedName
    case let .builtin(function): function.name
    default: callee.typeName
    }
  }

  /// Runs `body` once per combination the comprehension clauses produce.
  private func runClauses(
    _ clauses: ArraySlice<ComprehensionClause>, in scope: Scope, _ body: () throws(RuntimeError) -> Void
  ) throws(RuntimeError) {
    guard let clause = clauses.first else { return try body() }
    switch clause {
    case let .for(target, iterable):
      try forEach(try evaluate(iterable, in: scope), at: iterable.start) { item throws(RuntimeError) in
        try step(at: iterable.start)
        try assign(item, to: target, in: scope)
        try runClauses(clauses.dropFirst(), in: scope, body)
        return true
      }
    case let .if(condition):
      if try truthValue(try evaluate(condition, in: scope), at: condition.start) {
        try runClauses(clauses.dropFirst(), in: scope, body)
      }
    }
  }

  /// Refuses a dunder attribute unless it is a protocol dunder of a program object.
  func checkDunder(_ name: String, on value: PyValue, at location: SourcePosition) throws(RuntimeError) {
    guard isDunder(name) else { return }
    if protocolDunders.contains(name) {
      switch value {
      case .object(is PyInstance), .object(is PySuper), .object(is PyType), .object(is HostClass): return
      case let .builtin(function) where function.typeObject != nil: return
      default: break
      }
    }
    throw RuntimeError(
      .forbidden("access to '\(name)' is refused: scenarios cannot reach the interpreter's internals"), at: location)
  }

  /// `value.name`.
  func getAttribute(_ value: PyValue, _ name: String, at location: SourcePosition) throws(RuntimeError) -> PyValue {
    if isDunder(name) {
      if name == "__name__" {
        switch value {
        case let .function(function): return .string(function.name)
        case let .builtin(function):
          // A module function's name without its module path: `np.max.__name__` is `max`.
          return .string(function.typeObject?.name ?? String(function.name.split(separator: ".").last ?? ""))
        case let .object(type as PyType): return .string(type.name)
        case let .object(host as HostClass): return .string(host.name)
        default: break
        }
      }
      try checkDunder(name, on: value, at: location)
    } else if case let .object(instance as PyInstance) = value {
      return try instanceAttribute(instance, name)
    }
    let context = CallContext(interpreter: self, location: location)
    if case let .object(object) = value { return try object.attribute(name, context: context) }
    if case let .builtin(function) = value, let type = function.typeObject { return try classAttribute(type, name) }
    if let method = try PyValue.method(of: value, name) { return .builtin(method) }
    throw RuntimeError(
      .exception(type: "AttributeError", message: "'\(value.typeName)' object has no attribute '\(name)'"), at: location
    )
  }

  /// The values a `for` loop over `value` sees.
  public func iterate(_ value: PyValue, at location: SourcePosition) throws(RuntimeError) -> [PyValue] {
    switch value {
    case let .list(list): return list.items
    case let .tuple(items): return items
    case let .string(text): return text.map { .string(String($0)) }
    case let .dict(dict): return dict.entries.map(\.key)
    case let .object(object): return try object.iterate(context: CallContext(interpreter: self, location: location))
    default:
      throw RuntimeError(
        .exception(type: "TypeError", message: "'\(value.typeName)' object is not iterable"), at: location)
    }
  }

  /// `bool(value)`.
  public func truthValue(_ value: PyValue, at location: SourcePosition) throws(RuntimeError) -> Bool {
    switch value {
    case .none: return false
    case let .bool(b): return b
    case let .int(i): return i != 0
    case let .float(f): return f != 0
    case let .string(s): return !s.isEmpty
    case let .list(list): return !list.items.isEmpty
    case let .tuple(items): return !items.isEmpty
    case let .dict(dict): return !dict.entries.isEmpty
    case .function, .builtin: return true
    case let .object(object): return try object.truthValue(context: CallContext(interpreter: self, location: location))
    }
  }

  func binary(_ op: BinaryOperator, _ lhs: PyValue, _ rhs: PyValue, at location: SourcePosition) throws(RuntimeError)
    -> PyValue
  {
    try PyValue.binary(PythonOperator(op), lhs, rhs, context: CallContext(interpreter: self, location: location))
  }

  /// The KeyError for a missing key, carrying the key itself as its argument.
  func keyError(_ key: PyValue) -> RuntimeError {
    let instance = PyInstance(types.exception("KeyError"))
    instance.exception = PyInstance.ExceptionState(args: [key])
    var error = RuntimeError.exception("KeyError", key.repr)
    error.raised = RaisedObject(value: instance)
    return error
  }

  /// `container[index]`.
  func item(_ container: PyValue, _ index: PyValue, at location: SourcePosition) throws(RuntimeError) -> PyValue {
    switch container {
    case let .list(list): return try PyValue.sequenceItem(list.items, index, typeName: "list") { .list(PyList($0)) }
    case let .tuple(items): return try PyValue.sequenceItem(items, index, typeName: "tuple") { .tuple($0) }
    case let .string(text):
      return try PyValue.sequenceItem(text.map { .string(String($0)) }, index, typeName: "string") { parts in
        .string(parts.map(\.str).joined())
      }
    case let .dict(dict):
      guard let value = try dict.value(for: index) else { throw keyError(index) }
      return value
    case let .object(object):
      return try object.item(index, context: CallContext(interpreter: self, location: location))
    case let .builtin(function) where function.typeObject != nil:
      if ["list", "dict", "tuple", "set", "frozenset", "type"].contains(function.name) {
        var arguments = [index]
        if case let .tuple(items) = index { arguments = items }
        return .object(PyGenericAlias(origin: function, arguments: arguments))
      }
      throw .typeError("type '\(function.name)' is not subscriptable")
    default:
      throw .typeError("'\(container.typeName)' object is not subscriptable")
    }
  }
}

/// A `lower:upper:step` slice, as passed to `__getitem__`.
public final class PySlice: PyObject {
  /// The bounds and step; `.none` where omitted.
  public let lower: PyValue, upper: PyValue, step: PyValue

  init(lower: PyValue, upper: PyValue, step: PyValue) {
    self.lower = lower
    self.upper = upper
    self.step = step
  }

  public var typeName: String { "slice" }
  public func repr() -> String { "slice(\(lower.repr), \(upper.repr), \(step.repr))" }

  /// The indices this slice selects from a sequence of `count` elements, as Python computes them.
  public func indices(count: Int) throws(RuntimeError) -> [Int] {
    let (start, stop, step) = try adjusted(count: count)
    return Array(Swift.stride(from: start, to: stop, by: step))
  }

  /// CPython's `PySlice_AdjustIndices`: start, stop and step clamped to a sequence of `count`.
  func adjusted(count: Int) throws(RuntimeError) -> (start: Int, stop: Int, step: Int) {
    func integer(_ value: PyValue) throws(RuntimeError) -> Int? {
      switch value {
      case .none: return nil
      case let .int(i): return i
      case let .bool(b): return b ? 1 : 0
      default: throw .typeError("slice indices must be integers or None or have an __index__ method")
      }
    }
    let stride = try integer(step) ?? 1
    guard stride != 0 else { throw .valueError("slice step cannot be zero") }
    func clamp(_ value: Int?, _ defaultValue: Int) -> Int {
      guard var v = value else { return defaultValue }
      if v < 0 { v += count }
      return stride > 0 ? min(max(v, 0), count) : min(max(v, -1), count - 1)
    }
    return (
      clamp(try integer(lower), stride > 0 ? 0 : count - 1), clamp(try integer(upper), stride > 0 ? count : -1), stride
    )
  }

}
