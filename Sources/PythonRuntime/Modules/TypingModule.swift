extension StandardLibrary {
  /// `typing`: the names programs write in annotations. They can be subscripted and printed;
  /// Lockstep does not check annotations, as CPython does not.
  static let typingModule = ModuleDefinition(
    "typing",
    publicNames: """
      ABCMeta AbstractSet Annotated Any AnyStr AsyncContextManager AsyncGenerator AsyncIterable AsyncIterator \
      Awaitable BinaryIO ByteString CT_co Callable ChainMap ClassVar Collection Concatenate Container \
      ContextManager Coroutine Counter DefaultDict Deque Dict EXCLUDED_ATTRIBUTES Final ForwardRef FrozenSet \
      Generator Generic GenericAlias Hashable IO ItemsView Iterable Iterator KT KeysView List Literal \
      LiteralString Mapping MappingView Match MethodDescriptorType MethodWrapperType MutableMapping \
      MutableSequence MutableSet NamedTuple NamedTupleMeta Never NewType NoReturn NotRequired Optional \
      OrderedDict ParamSpec ParamSpecArgs ParamSpecKwargs Pattern Protocol Required Reversible Self Sequence Set \
      Sized SupportsAbs SupportsBytes SupportsComplex SupportsFloat SupportsIndex SupportsInt SupportsRound T \
      TYPE_CHECKING T_co T_contra Text TextIO Tuple Type TypeAlias TypeGuard TypeVar TypeVarTuple TypedDict Union \
      Unpack VT VT_co V_co ValuesView WrapperDescriptorType abstractmethod assert_never assert_type cast \
      clear_overloads collections contextlib dataclass_transform defaultdict final functools get_args get_origin \
      get_overloads get_type_hints io is_typeddict no_type_check no_type_check_decorator operator overload re \
      reveal_type runtime_checkable stdlib_re sys types warnings
      """,
    submodules: "collections contextlib functools io operator re stdlib_re sys types warnings"
  ) { interpreter in TypingNames.members(interpreter) }
}

/// The members of `typing`.
enum TypingNames {
  static func members(_ interpreter: Interpreter) -> [String: PyValue] {
    var members: [String: PyValue] = ["TYPE_CHECKING": .bool(false)]
    let forms = """
      Any Callable ClassVar Final Generic Literal NoReturn Optional Protocol Tuple Type Union List Dict Set \
      FrozenSet DefaultDict OrderedDict Counter Deque Sequence MutableSequence Mapping MutableMapping Iterable \
      Iterator Generator Collection Container Hashable Sized Reversible AbstractSet MutableSet KeysView ItemsView \
      ValuesView Awaitable Coroutine AsyncIterable AsyncIterator ContextManager Annotated Text Never Self \
      SupportsInt SupportsFloat SupportsAbs SupportsIndex SupportsRound
      """
    for name in forms.split(separator: " ").map(String.init) { members[name] = .object(TypingForm("typing.\(name)")) }
    members["Text"] = .object(TypingForm("<class 'str'>"))
    for name in ["AnyStr", "T", "KT", "VT", "T_co", "T_contra", "VT_co", "V_co", "CT_co"] {
      members[name] = .object(TypingForm("~\(name)"))
    }
    members["TypeVar"] = Native.function("TypeVar") { arguments, _ throws(RuntimeError) in
      guard case let .string(name)? = arguments.positional.first else {
        throw .typeError("TypeVar() missing required argument 'name'")
      }
      return .object(TypingForm("~\(name)"))
    }
    members["cast"] = Native.function("cast") { arguments, _ throws(RuntimeError) in
      try arguments.bind("cast", [.required("typ"), .required("val")])["val"]
    }
    for name in ["overload", "final", "no_type_check", "runtime_checkable"] {
      members[name] = Native.function(name) { arguments, _ throws(RuntimeError) in
        try arguments.bind(name, [.required("arg")])["arg"]
      }
    }
    members["NamedTuple"] = Native.function("NamedTuple") { arguments, context throws(RuntimeError) in
      let bound = try arguments.bind("NamedTuple", [.required("typename"), .optional("fields")])
      guard case let .string(name) = bound["typename"], !bound["fields"].isNone else {
        throw .unsupported("typing.NamedTuple without a list of (name, type) fields")
      }
      var fields: [String] = []
      for pair in try Native.items(bound["fields"], context) {
        fields.append(try Native.items(pair, context).first?.str ?? "")
      }
      return NamedTupleClass.make(context.interpreter, name: name, fields: fields).value
    }
    return members
  }
}

/// A `typing` name (`List`, `Optional[int]`): subscriptable, printed as CPython prints it.
final class TypingForm: PyObject {
  let display: String

  init(_ display: String) {
    self.display = display
  }

  var typeName: String { "_GenericAlias" }
  func repr() -> String { display }

  func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    var arguments: [PyValue]
    if case let .tuple(items) = index { arguments = items } else { arguments = [index] }
    switch display {
    case "typing.Optional":
      return .object(TypingForm("typing.Optional[\(Self.describe(arguments[0], context))]"))
    case "typing.Union":
      let hasNone = arguments.contains { $0.isNone }
      arguments.removeAll { $0.isNone }
      if hasNone && arguments.count == 1 {
        return .object(TypingForm("typing.Optional[\(Self.describe(arguments[0], context))]"))
      }
      let parts = arguments.map { Self.describe($0, context) } + (hasNone ? ["NoneType"] : [])
      return .object(TypingForm("typing.Union[\(parts.joined(separator: ", "))]"))
    default:
      return .object(TypingForm("\(display)[\(arguments.map { Self.describe($0, context) }.joined(separator: ", "))]"))
    }
  }

  /// How a type argument prints inside brackets (`int`, `__main__.Model`, `[int, str]`).
  private static func describe(_ value: PyValue, _ context: CallContext) -> String {
    switch value {
    case .none: return "None"
    case let .list(list): return "[" + list.items.map { describe($0, context) }.joined(separator: ", ") + "]"
    case let .object(form as TypingForm): return form.display
    default:
      guard let type = context.interpreter.asType(value) else { return value.repr }
      return type.isBuiltin ? type.name : "\(type.moduleName).\(type.qualifiedName)"
    }
  }
}
