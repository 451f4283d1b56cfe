import Foundation

/// Python's built-in functions that the subset provides (`print` lives in the interpreter,
/// which owns the output).
enum Builtins {
  /// Built-in names that reach the machine or run arbitrary code; a program using one is
  /// refused, never run.
  static let forbidden: Set<String> = [
    "open", "eval", "exec", "compile", "__import__", "input", "globals", "locals", "vars",
    "delattr", "breakpoint", "exit", "quit", "memoryview", "help", "__builtins__",
  ]

  /// Python builtins outside the subset: using one is `unsupported`, never a NameError.
  static let unsupported: Set<String> = [
    "id", "hex", "bin", "oct", "slice", "bytes",
    "bytearray", "complex", "ascii", "aiter", "anext", "dir", "Ellipsis",
  ]

  static var all: [BuiltinFunction] {
    iteration + numbers + [
      BuiltinFunction("len") { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("len", [.required("obj")])["obj"]
        switch value {
        case let .list(list): return .int(list.items.count)
        case let .tuple(items): return .int(items.count)
        case let .string(text): return .int(text.count)
        case let .dict(dict): return .int(dict.count)
        case let .object(object): return .int(try object.length(context: context))
        default: throw .typeError("object of type '\(value.typeName)' has no len()")
        }
      },
      BuiltinFunction("range", instanceCheck: { $0.object(as: PyRange.self) != nil }) {
        arguments, _ throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("range() takes no keyword arguments") }
        var bounds: [Int] = []
        for value in arguments.positional {
          guard case let .int(i) = value else {
            throw .typeError("'\(value.typeName)' object cannot be interpreted as an integer")
          }
          bounds.append(i)
        }
        let (start, end, step): (Int, Int, Int)
        switch bounds.count {
        case 1: (start, end, step) = (0, bounds[0], 1)
        case 2: (start, end, step) = (bounds[0], bounds[1], 1)
        case 3: (start, end, step) = (bounds[0], bounds[1], bounds[2])
        default: throw .typeError("range expected at most 3 arguments, got \(bounds.count)")
        }
        guard step != 0 else { throw .valueError("range() arg 3 must not be zero") }
        return .object(try PyRange(start: start, stop: end, step: step))
      },
      BuiltinFunction("list", instanceCheck: { if case .list = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("list", [.optional("iterable", .tuple([]))])
        return .list(PyList(try context.interpreter.iterate(bound["iterable"], at: context.location)))
      },
      BuiltinFunction("tuple", instanceCheck: { if case .tuple = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("tuple", [.optional("iterable", .tuple([]))])
        return .tuple(try context.interpreter.iterate(bound["iterable"], at: context.location))
      },
      BuiltinFunction("dict", instanceCheck: { if case .dict = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        guard arguments.positional.count <= 1 else {
          throw .typeError("dict expected at most 1 argument, got \(arguments.positional.count)")
        }
        let dict = PyDict()
        if let source = arguments.positional.first {
          if let entries = DictClasses.mappingEntries(source) {
            // A dict class of `collections` (OrderedDict, Counter …).
            for (key, value) in entries { try dict.set(value, for: key) }
          } else {
            try PyValue.updateDict(dict, from: source, context: context)
          }
        }
        for (name, value) in arguments.keywords { try dict.set(value, for: .string(name)) }
        return .dict(dict)
      },
      BuiltinFunction("float", instanceCheck: { if case .float = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        let value = try arguments.bind("float", [.optional("x", .float(0))])["x"]
        switch value {
        case let .bool(b): return .float(b ? 1 : 0)
        case let .int(i): return .float(Double(i))
        case let .float(f): return .float(f)
        case let .string(s):
          let trimmed = s.trimmingCharacters(in: .whitespaces).lowercased()
          if let parsed = Double(trimmed) { return .float(parsed) }
          if ["inf", "+inf", "infinity"].contains(trimmed) { return .float(.infinity) }
          if trimmed == "-inf" || trimmed == "-infinity" { return .float(-.infinity) }
          if trimmed == "nan" { return .float(.nan) }
          throw .valueError("could not convert string to float: \(value.repr)")
        case let .object(object):
          if let f = try object.floatValue(context: context) { return .float(f) }
          fallthrough
        default:
          throw .typeError("float() argument must be a string or a real number, not '\(value.typeName)'")
        }
      },
      BuiltinFunction(
        "int", instanceCheck: { if case .int = $0 { true } else if case .bool = $0 { true } else { false } }
      ) { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("int", [.optional("x", .int(0))])["x"]
        func truncate(_ f: Double) throws(RuntimeError) -> PyValue { .int(try PyValue.integer(truncating: f)) }
        switch value {
        case let .bool(b): return .int(b ? 1 : 0)
        case let .int(i): return .int(i)
        case let .float(f): return try truncate(f)
        case let .string(s):
          guard let parsed = Int(s.trimmingCharacters(in: .whitespaces)) else {
            throw .valueError("invalid literal for int() with base 10: \(value.repr)")
          }
          return .int(parsed)
        case let .object(object):
          if let f = try object.floatValue(context: context) { return try truncate(f) }
          fallthrough
        default:
          throw .typeError(
            "int() argument must be a string, a bytes-like object or a real number, not '\(value.typeName)'")
        }
      },
      BuiltinFunction("bool", instanceCheck: { if case .bool = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        let value = try arguments.bind("bool", [.optional("x", .bool(false))])["x"]
        return .bool(try context.interpreter.truthValue(value, at: context.location))
      },
      BuiltinFunction("str", instanceCheck: { if case .string = $0 { true } else { false } }) {
        arguments, context throws(RuntimeError) in
        .string(try context.interpreter.str(try arguments.bind("str", [.optional("object", .string(""))])["object"]))
      },
      BuiltinFunction("format") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("format", [.required("value"), .optional("format_spec", .string(""))])
        guard case let .string(spec) = bound["format_spec"] else {
          throw .typeError("format() argument 2 must be str, not \(bound["format_spec"].typeName)")
        }
        return .string(try Formatting.format(bound["value"], spec: spec, context: context))
      },
      BuiltinFunction("repr") { arguments, _ throws(RuntimeError) in
        .string(try arguments.bind("repr", [.required("obj")])["obj"].repr)
      },
      BuiltinFunction("abs") { arguments, context throws(RuntimeError) in
        let value = try arguments.bind("abs", [.required("x")])["x"]
        switch value {
        case let .bool(b): return .int(b ? 1 : 0)
        case let .int(i):
          guard i != .min else { throw .unsupported("integers beyond 64 bits") }
          return .int(Swift.abs(i))
        case let .float(f): return .float(Swift.abs(f))
        case let .object(object): return try object.unary(.absolute, context: context)
        default: throw .typeError("bad operand type for abs(): '\(value.typeName)'")
        }
      },
      BuiltinFunction("isinstance") { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("isinstance", [.required("obj"), .required("class_or_tuple")])
        let types: [PyValue]
        if case let .tuple(items) = bound["class_or_tuple"] { types = items } else { types = [bound["class_or_tuple"]] }
        for type in types {
          guard case let .builtin(function) = type, let check = function.instanceCheck else {
            throw .typeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
          }
          if check(bound["obj"]) { return .bool(true) }
        }
        return .bool(false)
      },
    ]
  }
}
