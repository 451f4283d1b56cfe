import PythonSyntax

/// `collections.namedtuple`: a class whose instances hold a fixed tuple of values, reachable by
/// index, unpacking and field name, and equal to the plain tuple of the same values.
enum NamedTupleClass {
  /// The values of one instance.
  final class Values {
    let items: [PyValue]
    init(_ items: [PyValue]) { self.items = items }
  }

  /// `namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)`.
  static func factory(_ arguments: Arguments, _ context: CallContext) throws(RuntimeError) -> PyValue {
    let bound = try Native.clinic(
      "namedtuple", arguments, ["typename", "field_names"], required: 2, keywordOnly: ["rename", "defaults", "module"])
    guard case let .string(typeName) = bound["typename"] ?? .none else {
      throw .typeError("namedtuple() typename must be a string")
    }
    var names: [String]
    if case let .string(text) = bound["field_names"] ?? .none {
      names = text.split { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }.map(String.init)
    } else {
      names = try Native.items(bound["field_names"] ?? .none, context).map { $0.str }
    }
    if try bound["rename"].map({ value throws(RuntimeError) in try Native.truth(value, context) }) ?? false {
      var seen: Set<String> = []
      for (index, name) in names.enumerated() {
        if !isIdentifier(name) || pythonKeywords.contains(name) || name.hasPrefix("_") || seen.contains(name) {
          names[index] = "_\(index)"
        }
        seen.insert(name)
      }
    }
    for name in [typeName] + names {
      guard isIdentifier(name) else {
        throw .valueError("Type names and field names must be valid identifiers: \(PyValue.string(name).repr)")
      }
      guard !pythonKeywords.contains(name) else {
        throw .valueError("Type names and field names cannot be a keyword: \(PyValue.string(name).repr)")
      }
    }
    var seen: Set<String> = []
    let renaming = try bound["rename"].map { value throws(RuntimeError) in try Native.truth(value, context) } ?? false
    for name in names {
      if name.hasPrefix("_") && !renaming {
        throw .valueError("Field names cannot start with an underscore: \(PyValue.string(name).repr)")
      }
      guard seen.insert(name).inserted else {
        throw .valueError("Encountered duplicate field name: \(PyValue.string(name).repr)")
      }
    }
    var defaults: [PyValue] = []
    if let given = bound["defaults"], !given.isNone { defaults = try Native.items(given, context) }
    guard defaults.count <= names.count else { throw .typeError("Got more default values than field names") }
    var module = "__main__"
    if case let .string(name)? = bound["module"] { module = name }
    return make(context.interpreter, name: typeName, fields: names, defaults: defaults, module: module).value
  }

  /// Makes a namedtuple class; `defaults` apply to the rightmost fields.
  static func make(
    _ interpreter: Interpreter, name: String, fields: [String], defaults: [PyValue] = [], module: String = "__main__"
  ) -> PyType {
    var cls = NativeClass(name, module: module)
    let signature: [Arguments.Parameter] =
      [.required("_cls")]
      + fields.enumerated().map { index, field in
        let defaultIndex = index - (fields.count - defaults.count)
        return defaultIndex >= 0 ? .optional(field, defaults[defaultIndex]) : .required(field)
      }
    cls.methods = tupleMethods(fields)
    cls.methods["__init__"] = Native.method { instance, arguments, _ throws(RuntimeError) in
      let bound = try Arguments([.none] + arguments.positional, keywords: arguments.keywords)
        .bind("\(name).__new__", signature)
      instance.native = Values(fields.map { bound[$0] })
      return .none
    }
    cls.methods["__repr__"] = Native.method { instance, _, context throws(RuntimeError) in
      let values = try items(of: instance)
      var parts: [String] = []
      for (field, value) in zip(fields, values) { parts.append("\(field)=\(try Native.repr(value, context))") }
      return .string("\(instance.cls.name)(\(parts.joined(separator: ", ")))")
    }
    cls.methods["_asdict"] = Native.method { instance, _, _ throws(RuntimeError) in
      let dict = PyDict()
      for (field, value) in zip(fields, try items(of: instance)) { try dict.set(value, for: .string(field)) }
      return .dict(dict)
    }
    cls.methods["_replace"] = Native.method { instance, arguments, context throws(RuntimeError) in
      var values = try items(of: instance)
      var unknown: [PyValue] = []
      for (keyword, value) in arguments.keywords {
        if let index = fields.firstIndex(of: keyword) {
          values[index] = value
        } else {
          unknown.append(.string(keyword))
        }
      }
      guard unknown.isEmpty else {
        throw .valueError("Got unexpected field names: \(PyValue.list(PyList(unknown)).repr)")
      }
      let copy = PyInstance(instance.cls)
      copy.native = Values(values)
      return .object(copy)
    }
    let fieldDefaults = PyDict()
    for (field, value) in zip(fields.suffix(defaults.count), defaults) {
      try? fieldDefaults.set(value, for: .string(field))
    }
    cls.attributes["_fields"] = .tuple(fields.map { .string($0) })
    cls.attributes["_field_defaults"] = .dict(fieldDefaults)
    cls.attributes["_make"] = .object(
      PyClassMethod(
        Native.function("_make") { arguments, context throws(RuntimeError) in
          let bound = try arguments.bind("_make", [.required("cls"), .required("iterable")])
          let values = try Native.items(bound["iterable"], context)
          guard values.count == fields.count else {
            throw .typeError("Expected \(fields.count) arguments, got \(values.count)")
          }
          return try context.call(bound["cls"], Arguments(values))
        }))
    for (index, field) in fields.enumerated() {
      let getter = Native.function(field) { arguments, _ throws(RuntimeError) in
        guard case let .object(instance as PyInstance)? = arguments.positional.first else { return .none }
        return try items(of: instance)[index]
      }
      let setter = Native.function(field) { _, _ throws(RuntimeError) in
        throw .exception("AttributeError", "can't set attribute")
      }
      cls.attributes[field] = .object(PyProperty(getter: getter, setter: setter))
    }
    return cls.make(interpreter, base: interpreter.types.tuple)
  }

  /// The values of a namedtuple instance.
  static func items(of instance: PyInstance) throws(RuntimeError) -> [PyValue] {
    guard let values = instance.native as? Values else {
      throw .typeError("'\(instance.cls.name)' object was not initialised as a namedtuple")
    }
    return values.items
  }

  /// The tuple an operand of a comparison stands for: a tuple, or a namedtuple's values.
  private static func tupleOperand(_ value: PyValue?) -> [PyValue]? {
    switch value {
    case let .tuple(items)?: return items
    case let .object(instance as PyInstance)?: return (instance.native as? Values)?.items
    default: return nil
    }
  }

  /// The tuple behaviour: indexing, length, iteration, hashing, comparisons, concatenation.
  private static func tupleMethods(_ fields: [String]) -> [String: NativeMethod] {
    var methods: [String: NativeMethod] = [
      "__getitem__": { instance, arguments, _ throws(RuntimeError) in
        let index = try Native.expect("__getitem__", arguments, 1...1)[0]
        return try PyValue.sequenceItem(try items(of: instance), index, typeName: "tuple") { .tuple($0) }
      },
      "__len__": { instance, _, _ throws(RuntimeError) in .int(try items(of: instance).count) },
      "__iter__": { instance, _, _ throws(RuntimeError) in
        Native.lazy("tuple_iterator", Itertools.arrayIterator(try items(of: instance)))
      },
      "__contains__": { instance, arguments, _ throws(RuntimeError) in
        let value = try Native.expect("__contains__", arguments, 1...1)[0]
        for item in try items(of: instance) where try PyValue.equal(item, value) { return .bool(true) }
        return .bool(false)
      },
      "__hash__": { instance, _, context throws(RuntimeError) in
        .int(try PyValue.tuple(try items(of: instance)).pythonHash())
      },
      "__add__": { instance, arguments, context throws(RuntimeError) in
        guard let other = tupleOperand(arguments.positional.first) else {
          return .object(context.interpreter.types.notImplemented)
        }
        return .tuple(try items(of: instance) + other)
      },
      "__radd__": { instance, arguments, context throws(RuntimeError) in
        guard let other = tupleOperand(arguments.positional.first) else {
          return .object(context.interpreter.types.notImplemented)
        }
        return .tuple(other + (try items(of: instance)))
      },
      "count": { instance, arguments, _ throws(RuntimeError) in
        let value = try Native.expect("count", arguments, 1...1)[0]
        var count = 0
        for item in try items(of: instance) where try PyValue.equal(item, value) { count += 1 }
        return .int(count)
      },
      "index": { instance, arguments, _ throws(RuntimeError) in
        let value = try Native.expect("index", arguments, 1...1)[0]
        for (index, item) in try items(of: instance).enumerated() where try PyValue.equal(item, value) {
          return .int(index)
        }
        throw .valueError("tuple.index(x): x not in tuple")
      },
    ]
    let comparisons: [(String, CompareOperator)] = [
      ("__eq__", .equal), ("__ne__", .notEqual), ("__lt__", .less), ("__le__", .lessEqual), ("__gt__", .greater),
      ("__ge__", .greaterEqual),
    ]
    for (name, op) in comparisons { methods[name] = comparison(op) }
    return methods
  }

  private static func comparison(_ op: CompareOperator) -> NativeMethod {
    let method: NativeMethod = { instance, arguments, context throws(RuntimeError) in
      guard let other = tupleOperand(arguments.positional.first) else {
        return .object(context.interpreter.types.notImplemented)
      }
      return try PyValue.compare(op, .tuple(try items(of: instance)), .tuple(other), context: context)
    }
    return method
  }

  /// Whether a name is a Python identifier (ASCII letters, digits and underscores here).
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.first, first == "_" || first.isLetter else { return false }
    return name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
  }

  static let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
  ]
}
