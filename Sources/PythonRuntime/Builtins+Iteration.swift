import PythonSyntax

/// The builtins that walk iterables: `sorted`, `min`, `max`, `sum`, `any`, `all`, and the
/// lazy iterators `enumerate`, `zip`, `reversed`, `map`, `filter`.
extension Builtins {
  static var iteration: [BuiltinFunction] {
    [
      BuiltinFunction("sorted") { arguments, context throws(RuntimeError) in
        guard arguments.positional.count == 1 else {
          throw .typeError("sorted expected 1 argument, got \(arguments.positional.count)")
        }
        let bound = try sortArguments(arguments.keywords)
        let items = try context.interpreter.iterate(arguments.positional[0], at: context.location)
        let reverse = try context.interpreter.truthValue(bound["reverse"], at: context.location)
        return .list(PyList(try Sorting.sorted(items, key: bound["key"], reverse: reverse, context: context)))
      },
      extremum("min", .less),
      extremum("max", .greater),
      BuiltinFunction("sum") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("sum", [.required("iterable"), .optional("start", .int(0))])
        var total = bound["start"]
        if case .string = total { throw .typeError("sum() can't sum strings [use ''.join(seq) instead]") }
        try context.interpreter.forEach(bound["iterable"], at: context.location) { item throws(RuntimeError) in
          total = try PyValue.binary(.add, total, item, context: context)
          return true
        }
        return total
      },
      truthScan("any", stopsAt: true),
      truthScan("all", stopsAt: false),
      BuiltinFunction("enumerate") { arguments, context throws(RuntimeError) in
        let bound = try arguments.bind("enumerate", [.required("iterable"), .optional("start", .int(0))])
        var count = try PyValue.intArgument(bound["start"])
        let iterator = try context.interpreter.makeIterator(bound["iterable"], at: context.location)
        return .object(
          PyIterator("enumerate") { () throws(RuntimeError) -> PyValue? in
            guard let item = try context.interpreter.next(iterator, at: context.location) else { return nil }
            count += 1
            return .tuple([.int(count - 1), item])
          })
      },
      BuiltinFunction("zip") { arguments, context throws(RuntimeError) in
        let bound = try Arguments(keywords: arguments.keywords).bind("zip", [.optional("strict", .bool(false))])
        let strict = try context.interpreter.truthValue(bound["strict"], at: context.location)
        var iterators: [PyValue] = []
        for value in arguments.positional {
          iterators.append(try context.interpreter.makeIterator(value, at: context.location))
        }
        var finished = iterators.isEmpty
        return .object(
          PyIterator("zip") { () throws(RuntimeError) -> PyValue? in
            guard !finished else { return nil }
            var items: [PyValue] = []
            for (index, iterator) in iterators.enumerated() {
              if let item = try context.interpreter.next(iterator, at: context.location) {
                items.append(item)
                continue
              }
              finished = true
              guard strict else { return nil }
              if index > 0 {
                let plural = index == 1 ? "argument 1" : "arguments 1-\(index)"
                throw .valueError("zip() argument \(index + 1) is shorter than \(plural)")
              }
              for (later, other) in iterators.enumerated().dropFirst()
              where try context.interpreter.next(other, at: context.location) != nil {
                let plural = later == 1 ? "argument 1" : "arguments 1-\(later)"
                throw .valueError("zip() argument \(later + 1) is longer than \(plural)")
              }
              return nil
            }
            return .tuple(items)
          })
      },
      BuiltinFunction("reversed") { arguments, context throws(RuntimeError) in
        let sequence = try arguments.bind("reversed", [.required("sequence")])["sequence"]
        let typeName: String
        switch sequence {
        case .list: typeName = "list_reverseiterator"
        case .dict: typeName = "dict_reversekeyiterator"
        case .tuple, .string: typeName = "reversed"
        case let .object(view as PyDictView):
          typeName = "dict_reverse\(view.kind == .items ? "item" : view.kind == .keys ? "key" : "value")iterator"
        case .object(is PyInstance): typeName = "reversed"
        case let .object(range as PyRange): return .object(range.iterator(reversed: true))
        default: throw .typeError("'\(sequence.typeName)' object is not reversible")
        }
        let items = try context.interpreter.iterate(sequence, at: context.location)
        return .object(PyIterator(typeName, items: items.reversed()))
      },
      BuiltinFunction("map") { arguments, context throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("map() takes no keyword arguments") }
        guard arguments.positional.count >= 2 else { throw .typeError("map() must have at least two arguments.") }
        let function = arguments.positional[0]
        var iterators: [PyValue] = []
        for value in arguments.positional.dropFirst() {
          iterators.append(try context.interpreter.makeIterator(value, at: context.location))
        }
        return .object(
          PyIterator("map") { () throws(RuntimeError) -> PyValue? in
            var items: [PyValue] = []
            for iterator in iterators {
              guard let item = try context.interpreter.next(iterator, at: context.location) else { return nil }
              items.append(item)
            }
            return try context.call(function, Arguments(items))
          })
      },
      BuiltinFunction("filter") { arguments, context throws(RuntimeError) in
        guard arguments.keywords.isEmpty else { throw .typeError("filter() takes no keyword arguments") }
        guard arguments.positional.count == 2 else {
          throw .typeError("filter expected 2 arguments, got \(arguments.positional.count)")
        }
        let function = arguments.positional[0]
        let iterator = try context.interpreter.makeIterator(arguments.positional[1], at: context.location)
        return .object(
          PyIterator("filter") { () throws(RuntimeError) -> PyValue? in
            while let item = try context.interpreter.next(iterator, at: context.location) {
              let verdict: PyValue
              if case .none = function {
                verdict = item
              } else {
                verdict = try context.call(function, Arguments([item]))
              }
              if try context.interpreter.truthValue(verdict, at: context.location) { return item }
            }
            return nil
          })
      },
    ]
  }

  /// The `key` and `reverse` keywords of `sorted` and `list.sort`, with CPython's message for
  /// any other keyword.
  static func sortArguments(_ keywords: [(name: String, value: PyValue)]) throws(RuntimeError) -> BoundArguments {
    if let other = keywords.first(where: { $0.name != "key" && $0.name != "reverse" }) {
      throw .typeError("'\(other.name)' is an invalid keyword argument for sort()")
    }
    return try Arguments(keywords: keywords).bind("sort", [.optional("key"), .optional("reverse", .bool(false))])
  }

  /// `any` (stops at the first true item) and `all` (at the first false one), lazily.
  private static func truthScan(_ name: String, stopsAt stop: Bool) -> BuiltinFunction {
    BuiltinFunction(name) { arguments, context throws(RuntimeError) in
      let iterable = try arguments.bind(name, [.required("iterable")])["iterable"]
      var result = !stop
      try context.interpreter.forEach(iterable, at: context.location) { item throws(RuntimeError) in
        guard try context.interpreter.truthValue(item, at: context.location) == stop else { return true }
        result = stop
        return false
      }
      return .bool(result)
    }
  }

  /// `min` and `max`: over one iterable or several arguments, with `key=` and `default=`;
  /// the first of equal items wins, compared with `<` (min) or `>` (max) as CPython does.
  private static func extremum(_ name: String, _ op: CompareOperator) -> BuiltinFunction {
    BuiltinFunction(name) { arguments, context throws(RuntimeError) in
      guard !arguments.positional.isEmpty else {
        throw .typeError("\(name) expected at least 1 argument, got 0")
      }
      let bound = try Arguments(keywords: arguments.keywords).bind(name, [.optional("key"), .optional("default")])
      let hasDefault = arguments.keywords.contains { $0.name == "default" }
      if hasDefault && arguments.positional.count > 1 {
        throw .typeError("Cannot specify a default for \(name)() with multiple positional arguments")
      }
      let key = bound["key"]
      var best: (item: PyValue, key: PyValue)?
      func consider(_ item: PyValue) throws(RuntimeError) {
        let itemKey: PyValue
        if case .none = key { itemKey = item } else { itemKey = try context.call(key, Arguments([item])) }
        guard let current = best else {
          best = (item, itemKey)
          return
        }
        let better = try PyValue.compare(op, itemKey, current.key, context: context)
        if try context.interpreter.truthValue(better, at: context.location) { best = (item, itemKey) }
      }
      if arguments.positional.count == 1 {
        try context.interpreter.forEach(arguments.positional[0], at: context.location) { item throws(RuntimeError) in
          try consider(item)
          return true
        }
      } else {
        for item in arguments.positional { try consider(item) }
      }
      guard let best else {
        if hasDefault { return bound["default"] }
        throw .valueError("\(name)() arg is an empty sequence")
      }
      return best.item
    }
  }
}
