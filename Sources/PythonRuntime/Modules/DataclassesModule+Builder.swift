import PythonSyntax

/// What `@dataclass` does to a class: collects the annotated fields (bases' first), then adds
/// the `__init__`, `__repr__`, `__eq__`, ordering and hashing methods the class does not
/// define itself, and for `frozen=True` fields that refuse assignment.
struct DataclassBuilder {
  let type: PyType
  let flags: [String: Bool]
  let frozenError: PyType

  init(_ type: PyType, _ flags: [String: Bool], _ frozenError: PyType) {
    self.type = type
    self.flags = flags
    self.frozenError = frozenError
  }

  func build() throws(RuntimeError) {
    let frozen = flags["frozen"] ?? false
    let eq = flags["eq"] ?? true
    let order = flags["order"] ?? false
    if order && !eq { throw .valueError("eq must be true if order is true") }
    let fields = try collectFields()
    type.attributes["__dataclass_fields__"] = .object(DataclassInfo(fields: fields, frozen: frozen))
    let own = type.attributes
    func add(_ name: String, _ body: @escaping NativeMethod) {
      guard own[name] == nil else { return }
      type.attributes[name] = .object(
        PyMethodDescriptor(
          BuiltinFunction(name) { arguments, context throws(RuntimeError) in
            guard case let .object(instance as PyInstance)? = arguments.positional.first else {
              throw .typeError("descriptor '\(name)' needs an instance")
            }
            return try body(
              instance, Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords), context)
          }))
    }
    if flags["init"] ?? true { add("__init__", initializer(fields, frozen: frozen)) }
    if flags["repr"] ?? true { add("__repr__", representation(fields)) }
    if eq { add("__eq__", comparison(fields, .equal)) }
    if order {
      for (name, op) in [
        ("__lt__", CompareOperator.less), ("__le__", .lessEqual), ("__gt__", .greater), ("__ge__", .greaterEqual),
      ] {
        guard own[name] == nil else {
          throw .typeError(
            "Cannot overwrite attribute \(name) in class \(type.name). Consider using functools.total_ordering")
        }
        add(name, comparison(fields, op))
      }
    }
    if eq && own["__hash__"] == nil {
      if frozen {
        add(
          "__hash__",
          Native.method { instance, _, context throws(RuntimeError) in
            .int(
              try PyValue.tuple(fields.filter(\.compared).map { instance.attributes[$0.name] ?? .none }).pythonHash())
          })
      } else {
        type.attributes["__hash__"] = PyValue.none
      }
    }
    if frozen {
      for field in fields { type.attributes[field.name] = frozenProperty(field.name) }
    }
  }

  /// The fields of the bases' dataclasses, then this class's annotations in order.
  private func collectFields() throws(RuntimeError) -> [DataclassField] {
    var fields: [DataclassField] = []
    for base in type.mro.dropFirst().reversed() {
      guard case let .object(info as DataclassInfo)? = base.attributes["__dataclass_fields__"] else { continue }
      for field in info.fields {
        if let index = fields.firstIndex(where: { $0.name == field.name }) {
          fields[index] = field
        } else {
          fields.append(field)
        }
      }
    }
    guard case let .dict(annotations)? = type.attributes["__annotations__"] else { return fields }
    for (key, annotation) in annotations.entries {
      guard case let .string(name) = key else { continue }
      if case let .object(form as TypingForm) = annotation, form.display.hasPrefix("typing.ClassVar") { continue }
      let field: DataclassField
      switch type.attributes[name] {
      case let .object(given as DataclassField)?:
        field = given
        field.name = name
        field.type = annotation
        if let value = given.defaultValue { type.attributes[name] = value } else { type.attributes[name] = nil }
      case let value?:
        switch value {
        case .list, .dict:
          throw .valueError(
            "mutable default <class '\(value.typeName)'> for field \(name) is not allowed: use default_factory")
        default: break
        }
        field = DataclassField(name: name, type: annotation)
        field.defaultValue = value
      case nil:
        field = DataclassField(name: name, type: annotation)
      }
      if let index = fields.firstIndex(where: { $0.name == name }) {
        fields[index] = field
      } else {
        fields.append(field)
      }
    }
    var sawDefault = false
    for field in fields where field.initialised {
      if field.defaultValue != nil || field.defaultFactory != nil {
        sawDefault = true
      } else if sawDefault {
        throw .typeError("non-default argument '\(field.name)' follows default argument")
      }
    }
    return fields
  }

  private func initializer(_ fields: [DataclassField], frozen: Bool) -> NativeMethod {
    let qualifiedName = type.qualifiedName
    let signature: [Arguments.Parameter] =
      [.required("self")]
      + fields.filter(\.initialised).map { field in
        field.defaultValue.map { .optional(field.name, $0) }
          ?? (field.defaultFactory != nil ? .optional(field.name, Dataclasses.missing) : .required(field.name))
      }
    return Native.method { instance, arguments, context throws(RuntimeError) in
      let bound = try Arguments([.object(instance)] + arguments.positional, keywords: arguments.keywords)
        .bind("\(qualifiedName).__init__", signature)
      for field in fields {
        var value = field.initialised ? bound[field.name] : (field.defaultValue ?? Dataclasses.missing)
        if case let .object(marker) = value, case let .object(missing) = Dataclasses.missing, marker === missing {
          guard let factory = field.defaultFactory else { continue }
          value = try context.call(factory, Arguments())
        }
        if frozen {
          instance.attributes[field.name] = value
        } else {
          try context.interpreter.setAttribute(.object(instance), field.name, value, at: context.location)
        }
      }
      if let postInit = instance.cls.lookupDefined("__post_init__") {
        _ = try context.interpreter.callMethod(postInit, on: .object(instance), Arguments(), at: context.location)
      }
      return .none
    }
  }

  private func representation(_ fields: [DataclassField]) -> NativeMethod {
    Native.method { instance, _, context throws(RuntimeError) in
      var parts: [String] = []
      for field in fields where field.shownInRepr {
        parts.append("\(field.name)=\(try Native.repr(instance.attributes[field.name] ?? .none, context))")
      }
      return .string("\(instance.cls.qualifiedName)(\(parts.joined(separator: ", ")))")
    }
  }

  private func comparison(_ fields: [DataclassField], _ op: CompareOperator) -> NativeMethod {
    Native.method { instance, arguments, context throws(RuntimeError) in
      guard case let .object(other as PyInstance)? = arguments.positional.first, other.cls === instance.cls else {
        return .object(context.interpreter.types.notImplemented)
      }
      let compared = fields.filter(\.compared)
      let mine = PyValue.tuple(compared.map { instance.attributes[$0.name] ?? .none })
      let theirs = PyValue.tuple(compared.map { other.attributes[$0.name] ?? .none })
      return try PyValue.compare(op, mine, theirs, context: context)
    }
  }

  /// A frozen field: read from the instance, assignment raises FrozenInstanceError.
  private func frozenProperty(_ name: String) -> PyValue {
    let frozenError = frozenError
    let getter = Native.function(name) { arguments, _ throws(RuntimeError) in
      guard case let .object(instance as PyInstance)? = arguments.positional.first,
        let value = instance.attributes[name]
      else { throw .exception("AttributeError", "'\(name)'") }
      return value
    }
    let setter = Native.function(name) { _, _ throws(RuntimeError) in
      let exception = PyInstance(frozenError)
      let message = "cannot assign to field '\(name)'"
      exception.exception = PyInstance.ExceptionState(args: [.string(message)], message: message)
      var error = RuntimeError.exception(frozenError.name, message)
      error.raised = RaisedObject(value: exception)
      throw error
    }
    return .object(PyProperty(getter: getter, setter: setter))
  }
}
