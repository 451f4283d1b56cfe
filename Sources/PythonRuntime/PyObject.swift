import PythonSyntax

/// An object implemented in Swift that a program can hold: a module, tensor, session …
///
/// Every requirement has a default that raises what Python raises for an object without
/// that capability, so a conforming type implements only what it supports.
public protocol PyObject: AnyObject {
  /// `type(x).__name__`.
  var typeName: String { get }
  /// `x.name`.
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue
  /// `x.name = value`.
  func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError)
  /// `x(…)`.
  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue
  /// `x op other` (or `other op x` when `reflected`); nil means NotImplemented.
  func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  /// `-x`, `+x`, `~x`.
  func unary(_ op: PythonOperator, context: CallContext) throws(RuntimeError) -> PyValue
  /// `x[index]`.
  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue
  /// `iter(x)`, as the values a `for` loop sees.
  func iterate(context: CallContext) throws(RuntimeError) -> [PyValue]
  /// `bool(x)`.
  func truthValue(context: CallContext) throws(RuntimeError) -> Bool
  /// `len(x)`.
  func length(context: CallContext) throws(RuntimeError) -> Int
  /// `with x as y:` — returns `y`.
  func enter(context: CallContext) throws(RuntimeError) -> PyValue
  /// The end of a `with` block.
  func exit(context: CallContext) throws(RuntimeError)
  /// `float(x)`, or nil when it has no float value.
  func floatValue(context: CallContext) throws(RuntimeError) -> Double?
  /// `format(x, spec)`, as f-strings and `str.format` call it.
  func formatted(spec: String, context: CallContext) throws(RuntimeError) -> String
  /// `repr(x)`.
  func repr() -> String
  /// `str(x)`; `print` uses it.
  func str() -> String
}

/// The arithmetic and comparison operators objects can implement.
public enum PythonOperator: String, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
  case modulo = "%", power = "**", matmul = "@"
  case bitOr = "|", bitXor = "^", bitAnd = "&", leftShift = "<<", rightShift = ">>"
  case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
  case negate = "unary -", plus = "unary +", invert = "~", absolute = "abs()"
}

extension PyObject {
  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .exception("AttributeError", "'\(typeName)' object has no attribute '\(name)'")
  }
  public func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError) {
    throw .exception("AttributeError", "'\(typeName)' object attribute '\(name)' is read-only")
  }
  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .typeError("'\(typeName)' object is not callable")
  }
  public func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    nil
  }
  public func unary(_ op: PythonOperator, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .typeError("bad operand type for \(op.rawValue): '\(typeName)'")
  }
  public func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .typeError("'\(typeName)' object is not subscriptable")
  }
  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    throw .typeError("'\(typeName)' object is not iterable")
  }
  public func truthValue(context: CallContext) throws(RuntimeError) -> Bool { true }
  public func length(context: CallContext) throws(RuntimeError) -> Int {
    throw .typeError("object of type '\(typeName)' has no len()")
  }
  public func enter(context: CallContext) throws(RuntimeError) -> PyValue {
    throw .typeError("'\(typeName)' object does not support the context manager protocol")
  }
  public func exit(context: CallContext) throws(RuntimeError) {}
  public func floatValue(context: CallContext) throws(RuntimeError) -> Double? { nil }
  public func formatted(spec: String, context: CallContext) throws(RuntimeError) -> String {
    guard spec.isEmpty else { throw .typeError("unsupported format string passed to \(typeName).__format__") }
    return str()
  }
  public func repr() -> String { "<\(typeName) object>" }
  public func str() -> String { repr() }
}

extension PythonOperator {
  /// The operator a binary expression applies (a switch, not a string lookup: it runs for
  /// every `+` a program evaluates).
  public init(_ op: BinaryOperator) {
    switch op {
    case .add: self = .add
    case .subtract: self = .subtract
    case .multiply: self = .multiply
    case .divide: self = .divide
    case .floorDivide: self = .floorDivide
    case .modulo: self = .modulo
    case .power: self = .power
    case .matmul: self = .matmul
    case .bitOr: self = .bitOr
    case .bitXor: self = .bitXor
    case .bitAnd: self = .bitAnd
    case .leftShift: self = .leftShift
    case .rightShift: self = .rightShift
    }
  }

  /// The operator a comparison applies, or nil for `in`, `not in`, `is` and `is not`.
  public init?(_ op: CompareOperator) {
    switch op {
    case .equal: self = .equal
    case .notEqual: self = .notEqual
    case .less: self = .less
    case .lessEqual: self = .lessEqual
    case .greater: self = .greater
    case .greaterEqual: self = .greaterEqual
    case .in, .notIn, .is, .isNot: return nil
    }
  }
}
