extension StandardLibrary {
  /// `dataclasses`: `@dataclass` (with `init`, `repr`, `eq`, `order`, `frozen`), `field`,
  /// `fields`, `asdict`, `astuple`, `replace`, `is_dataclass` and `FrozenInstanceError`.
  static let dataclassesModule = ModuleDefinition(
    "dataclasses",
    publicNames: """
      Field FrozenInstanceError FunctionType GenericAlias InitVar KW_ONLY MISSING abc asdict astuple builtins copy \
      dataclass field fields functools inspect is_dataclass itertools keyword make_dataclass re replace sys types
      """,
    submodules: "abc builtins copy functools inspect itertools keyword re sys types"
  ) { interpreter in Dataclasses.members(interpreter) }
}

/// One field of a dataclass, and what `field(...)` returns.
final class DataclassField: PyObject {
  var name: String
  var type: PyValue
  var defaultValue: PyValue?
  var defaultFactory: PyValue?
  var initialised = true
  var shownInRepr = true
  var compared = true

  init(name: String = "", type: PyValue = .none) {
    self.name = name
    self.type = type
  }

  var typeName: String { "Field" }
  func repr() -> String { "Field(name=\(PyValue.string(name).repr))" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "name": return .string(self.name)
    case "type": return type
    case "default": return defaultValue ?? Dataclasses.missing
    case "default_factory": return defaultFactory ?? Dataclasses.missing
    case "init": return .bool(initialised)
    case "repr": return .bool(shownInRepr)
    case "compare": return .bool(compared)
    default: throw .exception("AttributeError", "'Field' object has no attribute '\(name)'")
    }
  }
}

/// The fields of a dataclass, kept on the class (as CPython's `__dataclass_fields__`).
final class DataclassInfo: PyObject {
  let fields: [DataclassField]
  let frozen: Bool
  init(fields: [DataclassField], frozen: Bool) {
    self.fields = fields
    self.frozen = frozen
  }
  var typeName: String { "dict" }
}

/// The members of `dataclasses`.
enum Dataclasses {
  /// `dataclasses.MISSING`.
  static let missing = PyValue.object(
    NativeCallable("_MISSING_TYPE", repr: "<dataclasses._MISSING_TYPE object>") { _, _ throws(RuntimeError) in
      throw RuntimeError.typeError("'_MISSING_TYPE' object is not callable")
    })

  static func members(_ interpreter: Interpreter) -> [String: PyValue] {
    let frozenError: PyType
    do {
      frozenError = try PyType(
        name: "FrozenInstanceError", bases: [interpreter.types.exception("AttributeError")], isBuiltin: false)
    } catch {
      preconditionFailure("a class with a single base always has a consistent MRO")
    }
    frozenError.interpreter = interpreter
    frozenError.moduleName = "dataclasses"
    return [
      "MISSING": missing,
      "FrozenInstanceError": .object(frozenError),
      "dataclass": Native.function("dataclass") { arguments, context throws(RuntimeError) in
        let options = try arguments.bind(
          "dataclass",
          [
            .optional("cls"), .optional("init", .bool(true)), .optional("repr", .bool(true)),
            .optional("eq", .bool(true)), .optional("order", .bool(false)), .optional("unsafe_hash", .bool(false)),
            .optional("frozen", .bool(false)),
          ])
        var flags: [String: Bool] = [:]
        for name in ["init", "repr", "eq", "order", "unsafe_hash", "frozen"] {
          flags[name] = try Native.truth(options[name], context)
        }
        if flags["unsafe_hash"] == true { throw .unsupported("dataclass(unsafe_hash=True)") }
        if case let .object(type as PyType) = options["cls"] {
          try DataclassBuilder(type, flags, frozenError).build()
          return options["cls"]
        }
        return Native.function("wrap") { arguments, _ throws(RuntimeError) in
          let cls = try arguments.bind("wrap", [.required("cls")])["cls"]
          guard case let .object(type as PyType) = cls else {
            throw .typeError("dataclass() should be called on a class")
          }
          try DataclassBuilder(type, flags, frozenError).build()
          return cls
        }
      },
      "field": Native.function("field") { arguments, _ throws(RuntimeError) in
        guard arguments.positional.isEmpty else {
          throw .typeError("field() takes 0 positional arguments but \(arguments.positional.count) were given")
        }
        let field = DataclassField()
        for (name, value) in arguments.keywords {
          switch name {
          case "default": field.defaultValue = value
          case "default_factory": field.defaultFactory = value
          case "init": field.initialised = value.isTrue
          case "repr": field.shownInRepr = value.isTrue
          case "compare": field.compared = value.isTrue
          case "hash", "metadata", "kw_only": break
          default: throw .typeError("field() got an unexpected keyword argument '\(name)'")
          }
        }
        if field.defaultValue != nil && field.defaultFactory != nil {
          throw .valueError("cannot specify both default and default_factory")
        }
        return .object(field)
      },
      "fields": Native.function("fields") { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("fields", [.required("class_or_instance")])["class_or_instance"]
        guard let info = info(of: value, context) else {
          throw .typeError("must be called with a dataclass type or instance")
        }
        return .tuple(info.fields.map { .object($0) })
      },
      "is_dataclass": Native.function("is_dataclass") { arguments, context throws(RuntimeError) in
        .bool(info(of: try arguments.bind("is_dataclass", [.required("obj")])["obj"], context) != nil)
      },
      "asdict": Native.function("asdict") { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("asdict", [.required("obj")])["obj"]
        guard info(of: value, context) != nil, context.interpreter.asType(value) == nil else {
          throw .typeError("asdict() should be called on dataclass instances")
        }
        return try converted(value, asDict: true, context)
      },
      "astuple": Native.function("astuple") { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("astuple", [.required("obj")])["obj"]
        guard info(of: value, context) != nil, context.interpreter.asType(value) == nil else {
          throw .typeError("astuple() should be called on dataclass instances")
        }
        return try converted(value, asDict: false, context)
      },
      "replace": Native.function("replace") { arguments, context throws(RuntimeError) in
        guard let object = arguments.positional.first, arguments.positional.count == 1,
          case let .object(instance as PyInstance) = object, let info = info(of: object, context)
        else { throw .typeError("replace() should be called on dataclass instances") }
        var keywords: [(name: String, value: PyValue)] = []
        for field in info.fields where field.initialised {
          if let change = arguments.keywords.first(where: { $0.name == field.name }) {
            keywords.append(change)
          } else {
            keywords.append((field.name, instance.attributes[field.name] ?? .none))
          }
        }
        for change in arguments.keywords
        where !info.fields.contains(where: { $0.name == change.name && $0.initialised }) {
          if info.fields.contains(where: { $0.name == change.name }) {
            throw .valueError("field \(change.name) is declared with init=False, it cannot be specified with replace()")
          }
          keywords.append(change)
        }
        return try context.call(.object(instance.cls), Arguments([], keywords: keywords))
      },
    ]
  }

  /// The dataclass fields of a class or of an instance's class.
  static func info(of value: PyValue, _ context: CallContext) -> DataclassInfo? {
    let type = context.interpreter.asType(value) ?? context.interpreter.typeObject(of: value)
    guard case let .object(info as DataclassInfo)? = type.lookup("__dataclass_fields__") else { return nil }
    return info
  }

  /// `asdict`/`astuple`: dataclasses become dicts (tuples), containers are rebuilt, other
  /// values deep-copied.
  private static func converted(_ value: PyValue, asDict: Bool, _ context: CallContext) throws(RuntimeError)
    -> PyValue
  {
    if case let .object(instance as PyInstance) = value, let info = info(of: value, context) {
      if asDict {
        let dict = PyDict()
        for field in info.fields {
          try dict.set(
            try converted(instance.attributes[field.name] ?? .none, asDict: true, context), for: .string(field.name))
        }
        return .dict(dict)
      }
      var items: [PyValue] = []
      for field in info.fields {
        items.append(try converted(instance.attributes[field.name] ?? .none, asDict: false, context))
      }
      return .tuple(items)
    }
    switch value {
    case let .list(list):
      return .list(
        PyList(try list.items.map { item throws(RuntimeError) in try converted(item, asDict: asDict, context) }))
    case let .tuple(items):
      return .tuple(try items.map { item throws(RuntimeError) in try converted(item, asDict: asDict, context) })
    case let .dict(dict):
      let copy = PyDict()
      for (key, item) in dict.entries {
        try copy.set(try converted(item, asDict: asDict, context), for: try converted(key, asDict: asDict, context))
      }
      return .dict(copy)
    default:
      return try Copier(context).deep(value)
    }
  }
}

extension PyValue {
  /// Whether the value is the bool `True`, or truthy for plain values.
  var isTrue: Bool {
    switch self {
    case let .bool(b): return b
    case let .int(i): return i != 0
    case .none: return false
    default: return true
    }
  }
}
