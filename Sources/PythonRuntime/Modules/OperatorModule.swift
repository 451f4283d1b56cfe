import PythonSyntax

extension StandardLibrary {
  /// `operator`: Python's operators as functions, and the `itemgetter`, `attrgetter` and
  /// `methodcaller` callables. Bitwise and in-place operators are outside the subset.
  static let operatorModule = ModuleDefinition(
    "operator",
    publicNames: """
      abs add and_ attrgetter call concat contains countOf delitem eq floordiv ge getitem gt iadd iand iconcat \
      ifloordiv ilshift imatmul imod imul index indexOf inv invert ior ipow irshift is_ is_not isub itemgetter \
      itruediv ixor le length_hint lshift lt matmul methodcaller mod mul ne neg not_ or_ pos pow rshift setitem \
      sub truediv truth xor
      """
  ) { _ in OperatorFunctions.members }
}

/// The members of `operator`.
enum OperatorFunctions {
  static var members: [String: PyValue] {
    var members: [String: PyValue] = [:]
    let binaries: [(String, PythonOperator)] = [
      ("add", .add), ("sub", .subtract), ("mul", .multiply), ("truediv", .divide), ("floordiv", .floorDivide),
      ("mod", .modulo), ("pow", .power), ("matmul", .matmul),
    ]
    for (name, op) in binaries {
      members[name] = two(name) { a, b, context throws(RuntimeError) in try PyValue.binary(op, a, b, context: context) }
    }
    let comparisons: [(String, CompareOperator)] = [
      ("eq", .equal), ("ne", .notEqual), ("lt", .less), ("le", .lessEqual), ("gt", .greater), ("ge", .greaterEqual),
      ("is_", .is), ("is_not", .isNot),
    ]
    for (name, op) in comparisons {
      members[name] = two(name) { a, b, context throws(RuntimeError) in try PyValue.compare(op, a, b, context: context)
      }
    }
    members["contains"] = two("contains") { a, b, context throws(RuntimeError) in
      try PyValue.compare(.in, b, a, context: context)
    }
    members["getitem"] = two("getitem") { a, b, context throws(RuntimeError) in
      try context.interpreter.item(a, b, at: context.location)
    }
    members["concat"] = two("concat") { a, b, context throws(RuntimeError) in
      switch a {
      case .list, .tuple, .string: return try PyValue.binary(.add, a, b, context: context)
      default: throw .typeError("'\(a.typeName)' object can't be concatenated")
      }
    }
    members["countOf"] = two("countOf") { a, b, context throws(RuntimeError) in
      var count = 0
      for item in try Native.items(a, context) where try PyValue.equal(item, b) { count += 1 }
      return .int(count)
    }
    members["indexOf"] = two("indexOf") { a, b, context throws(RuntimeError) in
      for (index, item) in try Native.items(a, context).enumerated() where try PyValue.equal(item, b) {
        return .int(index)
      }
      throw .valueError("sequence.index(x): x not in sequence")
    }
    for (name, op) in [("neg", UnaryOperator.negate), ("pos", .plus), ("invert", .invert), ("inv", .invert)] {
      members[name] = one(name) { a, context throws(RuntimeError) in try PyValue.unary(op, a, context: context) }
    }
    members["not_"] = one("not_") { a, context throws(RuntimeError) in .bool(!(try Native.truth(a, context))) }
    members["truth"] = one("truth") { a, context throws(RuntimeError) in .bool(try Native.truth(a, context)) }
    members["index"] = one("index") { a, _ throws(RuntimeError) in .int(try Native.integer(a)) }
    members["abs"] = one("abs") { a, context throws(RuntimeError) in
      switch a {
      case let .object(object): return try object.unary(.absolute, context: context)
      case .float(let f): return .float(Swift.abs(f))
      default:
        let n = try Native.integer(a)
        guard n != .min else { throw .unsupported("integers beyond 64 bits") }
        return .int(Swift.abs(n))
      }
    }
    members["setitem"] = Native.function("setitem") { arguments, context throws(RuntimeError) in
      let values = try Native.expect("setitem", arguments, 3...3)
      try context.interpreter.setItem(values[0], values[1], values[2], at: context.location)
      return .none
    }
    members["call"] = Native.function("call") { arguments, context throws(RuntimeError) in
      guard let callee = arguments.positional.first else {
        throw .typeError("call() missing 1 required positional argument: 'obj'")
      }
      return try context.call(callee, Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords))
    }
    for (name, value) in getters { members[name] = value }
    return members
  }

  /// `itemgetter`, `attrgetter` and `methodcaller`.
  private static var getters: [String: PyValue] {
    [
      "itemgetter": Native.function("itemgetter") { arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("itemgetter() takes no keyword arguments") }
        let items = arguments.positional
        guard !items.isEmpty else { throw .typeError("itemgetter expected 1 argument, got 0") }
        let display = "operator.itemgetter(\(items.map(\.repr).joined(separator: ", ")))"
        return .object(
          NativeCallable("operator.itemgetter", repr: display) { arguments, context throws(RuntimeError) in
            let target = try Native.expect("itemgetter", arguments, 1...1)[0]
            let values = try items.map { item throws(RuntimeError) in
              try context.interpreter.item(target, item, at: context.location)
            }
            return values.count == 1 ? values[0] : .tuple(values)
          })
      },
      "attrgetter": Native.function("attrgetter") { arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("attrgetter() takes no keyword arguments") }
        var paths: [[String]] = []
        for name in arguments.positional {
          guard case let .string(text) = name else { throw .typeError("attribute name must be a string") }
          paths.append(text.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
        }
        guard !paths.isEmpty else { throw .typeError("attrgetter expected 1 argument, got 0") }
        let display = "operator.attrgetter(\(arguments.positional.map(\.repr).joined(separator: ", ")))"
        return .object(
          NativeCallable("operator.attrgetter", repr: display) { arguments, context throws(RuntimeError) in
            let target = try Native.expect("attrgetter", arguments, 1...1)[0]
            var values: [PyValue] = []
            for path in paths {
              var value = target
              for name in path { value = try context.interpreter.getAttribute(value, name, at: context.location) }
              values.append(value)
            }
            return values.count == 1 ? values[0] : .tuple(values)
          })
      },
      "methodcaller": Native.function("methodcaller") { arguments, _ throws(RuntimeError) in
        guard let first = arguments.positional.first else {
          throw .typeError("methodcaller needs at least one argument, the method name")
        }
        guard case let .string(name) = first else { throw .typeError("method name must be a string") }
        let bound = Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords)
        let parts = arguments.positional.map(\.repr) + arguments.keywords.map { "\($0.name)=\($0.value.repr)" }
        return .object(
          NativeCallable("operator.methodcaller", repr: "operator.methodcaller(\(parts.joined(separator: ", ")))") {
            arguments, context throws(RuntimeError) in
            let target = try Native.expect("methodcaller", arguments, 1...1)[0]
            return try context.call(try context.interpreter.getAttribute(target, name, at: context.location), bound)
          })
      },
    ]
  }

  private static func one(_ name: String, _ body: @escaping (PyValue, CallContext) throws(RuntimeError) -> PyValue)
    -> PyValue
  {
    Native.function(name) { arguments, context throws(RuntimeError) in
      guard arguments.keywords.isEmpty else { throw .typeError("_operator.\(name)() takes no keyword arguments") }
      guard arguments.positional.count == 1 else {
        throw .typeError("_operator.\(name)() takes exactly one argument (\(arguments.positional.count) given)")
      }
      return try body(arguments.positional[0], context)
    }
  }

  private static func two(
    _ name: String, _ body: @escaping (PyValue, PyValue, CallContext) throws(RuntimeError) -> PyValue
  ) -> PyValue {
    Native.function(name) { arguments, context throws(RuntimeError) in
      guard arguments.keywords.isEmpty else { throw .typeError("_operator.\(name)() takes no keyword arguments") }
      let values = try Native.expect(name, arguments, 2...2)
      return try body(values[0], values[1], context)
    }
  }
}
