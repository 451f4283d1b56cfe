/// A method of a class implemented in Swift: the instance, the other arguments, the call site.
typealias NativeMethod = (PyInstance, Arguments, CallContext) throws(RuntimeError) -> PyValue
/// A read-only property of a class implemented in Swift.
typealias NativeGetter = (PyInstance, CallContext) throws(RuntimeError) -> PyValue

/// A class a standard-library module implements in Swift (`OrderedDict`, `deque`, a
/// namedtuple): made like a program's class, so that `isinstance`, subclassing and the
/// protocol dunders work as for any class, with methods that are Swift functions and
/// instances that keep their Swift state in `PyInstance.native`.
struct NativeClass {
  /// `__name__`.
  var name: String
  /// `__module__` (`collections`).
  var module: String
  /// The methods, dunders included, by name.
  var methods: [String: NativeMethod] = [:]
  /// Read-only attributes computed from the instance.
  var properties: [String: NativeGetter] = [:]
  /// Other class attributes (`_fields`, class methods).
  var attributes: [String: PyValue] = [:]

  init(_ name: String, module: String) {
    self.name = name
    self.module = module
  }

  /// Makes the class for a program's interpreter, deriving from `base` (or `object`).
  func make(_ interpreter: Interpreter, base: PyType? = nil) -> PyType {
    var namespace = attributes
    let typeName = name
    for (methodName, body) in methods {
      namespace[methodName] = .object(
        PyMethodDescriptor(
          BuiltinFunction(methodName) { arguments, context throws(RuntimeError) in
            guard case let .object(instance as PyInstance)? = arguments.positional.first else {
              let given = arguments.positional.first?.typeName ?? "nothing"
              throw .typeError(
                "descriptor '\(methodName)' for '\(typeName)' objects doesn't apply to a '\(given)' object")
            }
            let rest = Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords)
            return try body(instance, rest, context)
          }))
    }
    for (propertyName, getter) in properties {
      let read = BuiltinFunction(propertyName) { arguments, context throws(RuntimeError) in
        guard case let .object(instance as PyInstance)? = arguments.positional.first else {
          throw .typeError("descriptor '\(propertyName)' for '\(typeName)' objects needs an instance")
        }
        return try getter(instance, context)
      }
      namespace[propertyName] = .object(PyProperty(getter: .builtin(read), setter: nil))
    }
    let type: PyType
    do {
      type = try PyType(
        name: name, bases: [base ?? interpreter.types.object], attributes: namespace, isBuiltin: false)
    } catch {
      preconditionFailure("a class with a single base always has a consistent MRO")
    }
    type.interpreter = interpreter
    type.moduleName = module
    return type
  }
}

extension PyInstance {
  /// The Swift state of type `T`, made by `make` when the instance has none yet (a subclass's
  /// `__init__` that did not call the base's).
  func state<T: AnyObject>(_ make: () -> T) throws(RuntimeError) -> T {
    if native == nil { native = make() }
    guard let state = native as? T else {
      throw .typeError("'\(cls.name)' object is not a \(T.self) instance")
    }
    return state
  }
}

/// Argument conversions and calls back into Python that module functions share.
enum Native {
  /// A builtin function value.
  static func function(
    _ name: String, _ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue
  ) -> PyValue {
    .builtin(BuiltinFunction(name, body))
  }

  /// An argument used as an integer (`operator.index`): ints and bools.
  static func integer(_ value: PyValue) throws(RuntimeError) -> Int {
    switch value {
    case let .int(i): return i
    case let .bool(b): return b ? 1 : 0
    default: throw .typeError("'\(value.typeName)' object cannot be interpreted as an integer")
    }
  }

  /// An argument used as a real number: ints, bools, floats and objects with `__float__`.
  static func real(_ value: PyValue, _ context: CallContext) throws(RuntimeError) -> Double {
    switch value {
    case let .int(i): return Double(i)
    case let .bool(b): return b ? 1 : 0
    case let .float(f): return f
    case let .object(object):
      if let f = try object.floatValue(context: context) { return f }
    default: break
    }
    throw .typeError("must be real number, not \(value.typeName)")
  }

  /// `bool(value)`.
  static func truth(_ value: PyValue, _ context: CallContext) throws(RuntimeError) -> Bool {
    try context.interpreter.truthValue(value, at: context.location)
  }

  /// `a < b`, as a bool.
  static func less(_ a: PyValue, _ b: PyValue, _ context: CallContext) throws(RuntimeError) -> Bool {
    try truth(try PyValue.compare(.less, a, b, context: context), context)
  }

  /// The items of an iterable, all at once (for finite arguments).
  static func items(_ value: PyValue, _ context: CallContext) throws(RuntimeError) -> [PyValue] {
    try context.interpreter.iterate(value, at: context.location)
  }

  /// `iter(value)`.
  static func iterator(_ value: PyValue, _ context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.makeIterator(value, at: context.location)
  }

  /// `next(iterator)`, nil when exhausted.
  static func next(_ iterator: PyValue, _ context: CallContext) throws(RuntimeError) -> PyValue? {
    try context.interpreter.next(iterator, at: context.location)
  }

  /// A lazy iterator object whose items come from `advance`.
  static func lazy(
    _ typeName: String, display: String? = nil, _ advance: @escaping () throws(RuntimeError) -> PyValue?
  ) -> PyValue {
    .object(PyIterator(typeName, display: display ?? "<\(typeName) object>", advance))
  }

  /// Refuses keyword arguments, with CPython's message.
  static func noKeywords(_ name: String, _ arguments: Arguments) throws(RuntimeError) {
    guard arguments.keywords.isEmpty else { throw .typeError("\(name)() takes no keyword arguments") }
  }

  /// `repr(value)`, through a class's `__repr__`.
  static func repr(_ value: PyValue, _ context: CallContext) throws(RuntimeError) -> String {
    try context.interpreter.repr(value)
  }
}

extension PyValue {
  /// Whether the value is `None`.
  var isNone: Bool {
    if case .none = self { return true }
    return false
  }
}

/// A callable object a module hands out that is neither a function nor a class:
/// `operator.itemgetter(1)`, or `itertools.chain` with its `chain.from_iterable`.
final class NativeCallable: PyObject {
  let typeName: String
  private let display: String
  private let members: [String: PyValue]
  private let body: (Arguments, CallContext) throws(RuntimeError) -> PyValue

  init(
    _ typeName: String, repr display: String, members: [String: PyValue] = [:],
    _ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue
  ) {
    self.typeName = typeName
    self.display = display
    self.members = members
    self.body = body
  }

  func repr() -> String { display }

  func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try body(arguments, context)
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    guard let value = members[name] else {
      throw .exception("AttributeError", "'\(typeName)' object has no attribute '\(name)'")
    }
    return value
  }
}

extension Native {
  /// A stable merge sort with a comparison that may call Python (and throw).
  static func stableSorted(_ items: [PyValue], by before: (PyValue, PyValue) throws(RuntimeError) -> Bool)
    throws(RuntimeError) -> [PyValue]
  {
    guard items.count > 1 else { return items }
    let middle = items.count / 2
    let left = try stableSorted(Array(items[..<middle]), by: before)
    let right = try stableSorted(Array(items[middle...]), by: before)
    var merged: [PyValue] = []
    merged.reserveCapacity(items.count)
    var (i, j) = (0, 0)
    while i < left.count && j < right.count {
      // Take from the right only when strictly before, so equal items keep their order.
      if try before(right[j], left[i]) {
        merged.append(right[j])
        j += 1
      } else {
        merged.append(left[i])
        i += 1
      }
    }
    return merged + left[i...] + right[j...]
  }

  /// A context for calls made later, when a lazy iterator advances: errors then take the
  /// place of the expression that asked for the item.
  static func later(_ context: CallContext) -> CallContext {
    CallContext(interpreter: context.interpreter, location: context.interpreter.currentLocation)
  }
}

extension Native {
  /// Binds arguments as CPython's Argument Clinic does, with its messages: `positional`
  /// parameters (the first `required` of them required), then keyword-only ones; absent
  /// optional arguments are missing from the result.
  static func clinic(
    _ name: String, _ arguments: Arguments, _ positional: [String], required: Int, keywordOnly: [String] = []
  ) throws(RuntimeError) -> [String: PyValue] {
    let given = arguments.positional.count
    guard given <= positional.count else {
      let kind = keywordOnly.isEmpty ? "" : "positional "
      throw .typeError("\(name)() takes at most \(positional.count) \(kind)arguments (\(given) given)")
    }
    var values: [String: PyValue] = [:]
    for (parameter, value) in zip(positional, arguments.positional) { values[parameter] = value }
    for (keyword, value) in arguments.keywords {
      guard positional.contains(keyword) || keywordOnly.contains(keyword) else {
        throw .typeError("'\(keyword)' is an invalid keyword argument for \(name)()")
      }
      values[keyword] = value
    }
    for (position, parameter) in positional.prefix(required).enumerated() where values[parameter] == nil {
      throw .typeError("\(name)() missing required argument '\(parameter)' (pos \(position + 1))")
    }
    return values
  }

  /// Checks a positional-only call's arity with CPython's `name expected N arguments, got M`.
  static func expect(_ name: String, _ arguments: Arguments, _ range: ClosedRange<Int>) throws(RuntimeError)
    -> [PyValue]
  {
    guard arguments.keywords.isEmpty else { throw .typeError("\(name)() takes no keyword arguments") }
    let given = arguments.positional.count
    func plural(_ n: Int) -> String { n == 1 ? "\(n) argument" : "\(n) arguments" }
    if range.lowerBound == range.upperBound, given != range.lowerBound {
      throw .typeError("\(name) expected \(plural(range.lowerBound)), got \(given)")
    }
    if given < range.lowerBound {
      throw .typeError("\(name) expected at least \(plural(range.lowerBound)), got \(given)")
    }
    if given > range.upperBound {
      throw .typeError("\(name) expected at most \(plural(range.upperBound)), got \(given)")
    }
    return arguments.positional
  }
}

extension Native {
  /// A method closure, typed (assigning a closure literal straight into an optional
  /// dictionary slot crashes Swift 6.3's SIL generation for typed-throws closures).
  static func method(_ body: @escaping NativeMethod) -> NativeMethod { body }

  /// A property getter closure, typed (see `method`).
  static func getter(_ body: @escaping NativeGetter) -> NativeGetter { body }
}
