/// An instance of a class the program defined (or of `object`, or of an exception class):
/// its attributes live here, its behaviour in the class's dunder methods.
public final class PyInstance: PyObject {
  /// The instance's class.
  public let cls: PyType
  /// The instance's own attributes (`self.x = …`).
  @exclusivity(unchecked) var attributes = AttributeTable()
  /// For an exception: `args`, `__cause__`, `__context__`, and the message of an error that
  /// Lockstep raised (whose `args` hold that message).
  @exclusivity(unchecked) var exception: ExceptionState?
  /// The Swift state of an instance of a class a standard-library module implements (a
  /// deque's items, a namedtuple's values); nil for instances of program classes.
  var native: AnyObject?

  /// What an exception instance carries beyond its attributes.
  struct ExceptionState {
    var args: [PyValue]
    var cause: PyValue = .none
    var context: PyValue = .none
    var message: String?
  }

  init(_ cls: PyType) {
    self.cls = cls
  }

  public var typeName: String { cls.name }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.instanceAttribute(self, name)
  }

  public func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError) {
    guard let interpreter = cls.interpreter else {
      attributes[name] = value
      return
    }
    try interpreter.setInstanceAttribute(self, name, value, at: interpreter.currentLocation)
  }

  /// Calls the dunder `name` the class defines, or returns nil when it defines none.
  func dunder(_ name: String, _ arguments: [PyValue], context: CallContext) throws(RuntimeError) -> PyValue? {
    guard let method = cls.lookupDefined(name) else { return nil }
    return try context.interpreter.callMethod(method, on: .object(self), Arguments(arguments), at: context.location)
  }

  private func required(_ name: String, _ arguments: [PyValue], context: CallContext, orElse error: RuntimeError)
    throws(RuntimeError) -> PyValue
  {
    guard let result = try dunder(name, arguments, context: context) else { throw error }
    return result
  }

  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    guard let method = cls.lookupDefined("__call__") else {
      throw .typeError("'\(cls.name)' object is not callable")
    }
    return try context.interpreter.callMethod(method, on: .object(self), arguments, at: context.location)
  }

  public func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext)
    throws(RuntimeError) -> PyValue?
  {
    guard let names = op.dunderNames else { return nil }
    let name = reflected ? names.reflected : names.forward
    if op == .notEqual, cls.lookupDefined("__ne__") == nil {
      guard let equal = try dunder("__eq__", [other], context: context), !isNotImplemented(equal, context) else {
        return nil
      }
      return .bool(!(try context.interpreter.truthValue(equal, at: context.location)))
    }
    guard let result = try dunder(name, [other], context: context), !isNotImplemented(result, context) else {
      return nil
    }
    return result
  }

  /// `self op= other` through a class's in-place dunder (`__iadd__` …); nil when the class
  /// does not define it or it returns NotImplemented, so the binary operator is tried next.
  func inPlace(_ op: PythonOperator, _ other: PyValue, context: CallContext) throws(RuntimeError) -> PyValue? {
    guard let name = op.inPlaceDunderName,
      let result = try dunder(name, [other], context: context), !isNotImplemented(result, context)
    else { return nil }
    return result
  }

  /// `self == other` through a class's `__eq__`; nil when the class does not define it or
  /// declines the operand.
  func equals(_ other: PyValue) throws(RuntimeError) -> Bool? {
    guard let interpreter = cls.interpreter, cls.lookupDefined("__eq__") != nil else { return nil }
    let context = CallContext(interpreter: interpreter, location: interpreter.currentLocation)
    guard let result = try dunder("__eq__", [other], context: context), !isNotImplemented(result, context) else {
      return nil
    }
    return try interpreter.truthValue(result, at: context.location)
  }

  private func isNotImplemented(_ value: PyValue, _ context: CallContext) -> Bool {
    if case let .object(object) = value { return object === context.interpreter.types.notImplemented }
    return false
  }

  public func unary(_ op: PythonOperator, context: CallContext) throws(RuntimeError) -> PyValue {
    let name: String
    switch op {
    case .negate: name = "__neg__"
    case .plus: name = "__pos__"
    case .invert: name = "__invert__"
    default: name = "__abs__"
    }
    let symbol = op == .absolute ? "abs()" : "unary \(op.rawValue.replacingOccurrences(of: "unary ", with: ""))"
    return try required(name, [], context: context, orElse: .typeError("bad operand type for \(symbol): '\(cls.name)'"))
  }

  public func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    try required(
      "__getitem__", [index], context: context, orElse: .typeError("'\(cls.name)' object is not subscriptable"))
  }

  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    var items: [PyValue] = []
    try context.interpreter.forEach(.object(self), at: context.location) { item throws(RuntimeError) in
      items.append(item)
      return true
    }
    return items
  }

  public func truthValue(context: CallContext) throws(RuntimeError) -> Bool {
    if let result = try dunder("__bool__", [], context: context) {
      guard case let .bool(flag) = result else {
        throw .typeError("__bool__ should return bool, returned \(result.typeName)")
      }
      return flag
    }
    if cls.lookupDefined("__len__") != nil { return try length(context: context) != 0 }
    return true
  }

  public func length(context: CallContext) throws(RuntimeError) -> Int {
    let result = try required(
      "__len__", [], context: context, orElse: .typeError("object of type '\(cls.name)' has no len()"))
    guard case let .int(count) = result else {
      throw .typeError("'\(result.typeName)' object cannot be interpreted as an integer")
    }
    guard count >= 0 else { throw .valueError("__len__() should return >= 0") }
    return count
  }

  public func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    try required(
      "__enter__", [], context: context,
      orElse: .typeError("'\(cls.name)' object does not support the context manager protocol"))
  }

  public func exit(context: CallContext) throws(RuntimeError) {
    _ = try dunder("__exit__", [.none, .none, .none], context: context)
  }

  public func floatValue(context: CallContext) throws(RuntimeError) -> Double? {
    guard let result = try dunder("__float__", [], context: context) else { return nil }
    guard case let .float(value) = result else {
      throw .typeError("\(cls.name).__float__ returned non-float (type \(result.typeName))")
    }
    return value
  }

  public func formatted(spec: String, context: CallContext) throws(RuntimeError) -> String {
    if let result = try dunder("__format__", [.string(spec)], context: context) { return result.str }
    guard spec.isEmpty else { throw .typeError("unsupported format string passed to \(cls.name).__format__") }
    return try context.interpreter.str(.object(self))
  }

  public func repr() -> String {
    guard let interpreter = cls.interpreter, let text = try? interpreter.repr(.object(self)) else {
      return defaultRepr
    }
    return text
  }

  public func str() -> String {
    guard let interpreter = cls.interpreter, let text = try? interpreter.str(.object(self)) else {
      return exception == nil ? repr() : exceptionText
    }
    return text
  }

  /// `object.__repr__`, without the address CPython adds.
  var defaultRepr: String {
    if cls.isBuiltin && cls.name == "NotImplementedType" { return "NotImplemented" }
    if let exception {
      let arguments = exception.args.map(\.repr).joined(separator: ", ")
      return "\(cls.name)(\(arguments))"
    }
    if let host = cls.host { return "<\(host.module).\(host.name) object>" }
    return cls.isBuiltin ? "<\(cls.name) object>" : "<__main__.\(cls.qualifiedName) object>"
  }

  /// `BaseException.__str__`: the one argument, or the tuple of them.
  var exceptionText: String {
    guard let exception else { return defaultRepr }
    if let message = exception.message { return message }
    switch exception.args.count {
    case 0: return ""
    case 1:
      if cls.mro.contains(where: { $0.isBuiltin && $0.name == "KeyError" }) { return exception.args[0].repr }
      return exception.args[0].str
    default: return PyValue.tuple(exception.args).repr
    }
  }
}

extension PythonOperator {
  /// The dunder an augmented assignment calls first (`__iadd__` for `+=`); nil for comparisons
  /// and unary operators, which have none.
  var inPlaceDunderName: String? {
    switch self {
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: nil
    default: dunderNames.map { "__i" + $0.forward.dropFirst(2) }
    }
  }

  /// The dunder a binary operator calls on its left operand, and the reflected one on its right.
  var dunderNames: (forward: String, reflected: String)? {
    switch self {
    case .add: ("__add__", "__radd__")
    case .subtract: ("__sub__", "__rsub__")
    case .multiply: ("__mul__", "__rmul__")
    case .divide: ("__truediv__", "__rtruediv__")
    case .floorDivide: ("__floordiv__", "__rfloordiv__")
    case .modulo: ("__mod__", "__rmod__")
    case .power: ("__pow__", "__rpow__")
    case .matmul: ("__matmul__", "__rmatmul__")
    case .bitOr: ("__or__", "__ror__")
    case .bitXor: ("__xor__", "__rxor__")
    case .bitAnd: ("__and__", "__rand__")
    case .leftShift: ("__lshift__", "__rlshift__")
    case .rightShift: ("__rshift__", "__rrshift__")
    case .less: ("__lt__", "__gt__")
    case .lessEqual: ("__le__", "__ge__")
    case .greater: ("__gt__", "__lt__")
    case .greaterEqual: ("__ge__", "__le__")
    case .equal: ("__eq__", "__eq__")
    case .notEqual: ("__ne__", "__ne__")
    case .negate, .plus, .invert, .absolute: nil
    }
  }
}
