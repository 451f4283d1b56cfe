extension StandardLibrary {
  /// `itertools`: lazy iterators, so that infinite ones (`count`, `cycle`, `repeat`) work with
  /// `islice`, `zip` and loops that stop.
  static let itertoolsModule = ModuleDefinition(
    "itertools",
    publicNames: """
      accumulate chain combinations combinations_with_replacement compress count cycle dropwhile filterfalse \
      groupby islice pairwise permutations product repeat starmap takewhile tee zip_longest
      """
  ) { _ in Itertools.members.merging(Itertools.combinatorics) { first, _ in first } }
}

/// The members of `itertools`.
enum Itertools {
  static var members: [String: PyValue] {
    [
      "count": Native.function("count") { arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("count", arguments, ["start", "step"], required: 0)
        var current = bound["start"] ?? .int(0)
        let step = bound["step"] ?? .int(1)
        for value in [current, step] where value.number == nil { throw .typeError("a number is required") }
        let display = "count(\(current.repr)\(isOne(step) ? "" : ", \(step.repr)"))"
        let later = Native.later(context)
        return Native.lazy("count", display: display) { () throws(RuntimeError) -> PyValue? in
          let value = current
          current = try PyValue.binary(.add, current, step, context: later)
          return value
        }
      },
      "cycle": Native.function("cycle") { arguments, context throws(RuntimeError) in
        let iterator = try Native.iterator(try Native.expect("cycle", arguments, 1...1)[0], context)
        let later = Native.later(context)
        var saved: [PyValue] = []
        var index: Int?
        return Native.lazy("cycle") { () throws(RuntimeError) -> PyValue? in
          if index == nil {
            if let item = try Native.next(iterator, later) {
              saved.append(item)
              return item
            }
            guard !saved.isEmpty else { return nil }
            index = 0
          }
          let position = index ?? 0
          index = (position + 1) % saved.count
          return saved[position]
        }
      },
      "repeat": Native.function("repeat") { arguments, _ throws(RuntimeError) in
        let bound = try Native.clinic("repeat", arguments, ["object", "times"], required: 1)
        let object = bound["object"] ?? .none
        var remaining = try bound["times"].map { value throws(RuntimeError) in Swift.max(0, try Native.integer(value)) }
        let display = "repeat(\(object.repr)\(remaining.map { ", \($0)" } ?? ""))"
        return Native.lazy("repeat", display: display) { () throws(RuntimeError) -> PyValue? in
          if let left = remaining {
            guard left > 0 else { return nil }
            remaining = left - 1
          }
          return object
        }
      },
      "chain": .object(
        NativeCallable(
          "type", repr: "<class 'itertools.chain'>",
          members: [
            "from_iterable": Native.function("from_iterable") { arguments, context throws(RuntimeError) in
              guard arguments.keywords.isEmpty, arguments.positional.count == 1 else {
                throw .typeError(
                  "chain.from_iterable() takes exactly one argument (\(arguments.positional.count) given)")
              }
              return chain(try Native.iterator(arguments.positional[0], context), context)
            }
          ]
        ) { arguments, context throws(RuntimeError) in
          try Native.noKeywords("chain", arguments)
          return chain(Native.lazy("tuple_iterator", arrayIterator(arguments.positional)), context)
        }),
      "islice": Native.function("islice") { arguments, context throws(RuntimeError) in
        try islice(Native.expect("islice", arguments, 2...4), context)
      },
      "zip_longest": Native.function("zip_longest") { arguments, context throws(RuntimeError) in
        var fill = PyValue.none
        for (name, value) in arguments.keywords {
          guard name == "fillvalue" else { throw .typeError("zip_longest() got an unexpected keyword argument") }
          fill = value
        }
        var iterators: [PyValue?] = []
        for iterable in arguments.positional { iterators.append(try Native.iterator(iterable, context)) }
        let later = Native.later(context)
        return Native.lazy("zip_longest") { () throws(RuntimeError) -> PyValue? in
          guard iterators.contains(where: { $0 != nil }) else { return nil }
          var row: [PyValue] = []
          for index in iterators.indices {
            if let iterator = iterators[index], let item = try Native.next(iterator, later) {
              row.append(item)
            } else {
              iterators[index] = nil
              row.append(fill)
            }
          }
          return iterators.contains(where: { $0 != nil }) ? .tuple(row) : nil
        }
      },
      "accumulate": Native.function("accumulate") { arguments, context throws(RuntimeError) in
        let bound = try Native.clinic(
          "accumulate", arguments, ["iterable", "func"], required: 1, keywordOnly: ["initial"])
        let iterator = try Native.iterator(bound["iterable"] ?? .none, context)
        let function = bound["func"].flatMap { $0.isNone ? nil : $0 }
        var total = bound["initial"].flatMap { $0.isNone ? nil : $0 }
        var pendingInitial = total != nil
        let later = Native.later(context)
        return Native.lazy("accumulate") { () throws(RuntimeError) -> PyValue? in
          if pendingInitial {
            pendingInitial = false
            return total
          }
          guard let item = try Native.next(iterator, later) else { return nil }
          guard let sum = total else {
            total = item
            return item
          }
          let next: PyValue
          if let function {
            next = try later.call(function, Arguments([sum, item]))
          } else {
            next = try PyValue.binary(.add, sum, item, context: later)
          }
          total = next
          return next
        }
      },
      "starmap": Native.function("starmap") { arguments, context throws(RuntimeError) in
        let values = try Native.expect("starmap", arguments, 2...2)
        let iterator = try Native.iterator(values[1], context)
        let later = Native.later(context)
        return Native.lazy("starmap") { () throws(RuntimeError) -> PyValue? in
          guard let item = try Native.next(iterator, later) else { return nil }
          return try later.call(values[0], Arguments(try Native.items(item, later)))
        }
      },
      "takewhile": predicateFilter("takewhile") { predicate, iterator, later in
        var done = false
        return { () throws(RuntimeError) -> PyValue? in
          guard !done, let item = try Native.next(iterator, later) else { return nil }
          if try Native.truth(try later.call(predicate, Arguments([item])), later) { return item }
          done = true
          return nil
        }
      },
      "dropwhile": predicateFilter("dropwhile") { predicate, iterator, later in
        var dropping = true
        return { () throws(RuntimeError) -> PyValue? in
          while let item = try Native.next(iterator, later) {
            if dropping, try Native.truth(try later.call(predicate, Arguments([item])), later) { continue }
            dropping = false
            return item
          }
          return nil
        }
      },
      "filterfalse": predicateFilter("filterfalse") { predicate, iterator, later in
        { () throws(RuntimeError) -> PyValue? in
          while let item = try Native.next(iterator, later) {
            let test = predicate.isNone ? item : try later.call(predicate, Arguments([item]))
            if !(try Native.truth(test, later)) { return item }
          }
          return nil
        }
      },
      "compress": Native.function("compress") { arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("compress", arguments, ["data", "selectors"], required: 2)
        let data = try Native.iterator(bound["data"] ?? .none, context)
        let selectors = try Native.iterator(bound["selectors"] ?? .none, context)
        let later = Native.later(context)
        return Native.lazy("compress") { () throws(RuntimeError) -> PyValue? in
          while let item = try Native.next(data, later), let selector = try Native.next(selectors, later) {
            if try Native.truth(selector, later) { return item }
          }
          return nil
        }
      },
      "pairwise": Native.function("pairwise") { arguments, context throws(RuntimeError) in
        let iterator = try Native.iterator(try Native.expect("pairwise", arguments, 1...1)[0], context)
        let later = Native.later(context)
        var previous: PyValue?
        var started = false
        return Native.lazy("pairwise") { () throws(RuntimeError) -> PyValue? in
          if !started {
            started = true
            previous = try Native.next(iterator, later)
          }
          guard let first = previous, let second = try Native.next(iterator, later) else { return nil }
          previous = second
          return .tuple([first, second])
        }
      },
    ]
  }

  private static func isOne(_ value: PyValue) -> Bool {
    if case .int(1) = value { return true }
    return false
  }

  /// The items of a fixed array, one at a time.
  static func arrayIterator(_ items: [PyValue]) -> () throws(RuntimeError) -> PyValue? {
    var index = 0
    return { () throws(RuntimeError) -> PyValue? in
      guard index < items.count else { return nil }
      index += 1
      return items[index - 1]
    }
  }

  /// The items of each iterable the iterator `sources` yields, in turn.
  private static func chain(_ sources: PyValue, _ context: CallContext) -> PyValue {
    let later = Native.later(context)
    var current: PyValue?
    return Native.lazy("chain", display: "<itertools.chain object>") { () throws(RuntimeError) -> PyValue? in
      while true {
        if let iterator = current, let item = try Native.next(iterator, later) { return item }
        guard let source = try Native.next(sources, later) else { return nil }
        current = try Native.iterator(source, later)
      }
    }
  }

  /// `islice(iterable, stop)` or `islice(iterable, start, stop[, step])`.
  private static func islice(_ values: [PyValue], _ context: CallContext) throws(RuntimeError) -> PyValue {
    func bound(_ value: PyValue, _ message: String) throws(RuntimeError) -> Int? {
      if value.isNone { return nil }
      guard case let .int(n) = value, n >= 0 else { throw .valueError(message) }
      return n
    }
    let indices = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize."
    let stopMessage = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."
    let start = values.count > 2 ? try bound(values[1], indices) ?? 0 : 0
    let stop = try bound(values.count > 2 ? values[2] : values[1], stopMessage)
    var step = 1
    if values.count > 3, !values[3].isNone {
      guard case let .int(n) = values[3], n > 0 else {
        throw .valueError("Step for islice() must be a positive integer or None.")
      }
      step = n
    }
    let iterator = try Native.iterator(values[0], context)
    let later = Native.later(context)
    var position = 0
    var next = start
    return Native.lazy("islice") { () throws(RuntimeError) -> PyValue? in
      if let stop, next >= stop {
        // CPython consumes up to `stop` before finishing.
        while position < stop, try Native.next(iterator, later) != nil { position += 1 }
        return nil
      }
      while position < next {
        guard try Native.next(iterator, later) != nil else { return nil }
        position += 1
      }
      guard let item = try Native.next(iterator, later) else { return nil }
      position += 1
      next += step
      return item
    }
  }

  /// `name(predicate, iterable)`, whose items `makeAdvance` produces.
  private static func predicateFilter(
    _ name: String,
    _ makeAdvance: @escaping (PyValue, PyValue, CallContext) -> () throws(RuntimeError) -> PyValue?
  ) -> PyValue {
    Native.function(name) { arguments, context throws(RuntimeError) in
      let values = try Native.expect(name, arguments, 2...2)
      let iterator = try Native.iterator(values[1], context)
      return Native.lazy(name, makeAdvance(values[0], iterator, Native.later(context)))
    }
  }
}
