extension Itertools {
  /// `product`, `permutations`, `combinations`, `combinations_with_replacement`, `groupby` and
  /// `tee`, yielding in CPython's orders.
  static var combinatorics: [String: PyValue] {
    [
      "product": Native.function("product") { arguments, context throws(RuntimeError) in
        var repeatCount = 1
        for (name, value) in arguments.keywords {
          guard name == "repeat" else { throw .typeError("product() got an unexpected keyword argument '\(name)'") }
          repeatCount = try Native.integer(value)
        }
        guard repeatCount >= 0 else { throw .valueError("repeat argument cannot be negative") }
        var pools: [[PyValue]] = []
        for iterable in arguments.positional { pools.append(try Native.items(iterable, context)) }
        pools = Array(repeating: pools, count: repeatCount).flatMap { $0 }
        var indices: [Int]? = pools.contains(where: \.isEmpty) ? nil : Array(repeating: 0, count: pools.count)
        return Native.lazy("product") { () throws(RuntimeError) -> PyValue? in
          guard let current = indices else { return nil }
          let row = PyValue.tuple(zip(pools, current).map { $0[$1] })
          var next = current
          var position = next.count - 1
          while position >= 0 {
            next[position] += 1
            if next[position] < pools[position].count { break }
            next[position] = 0
            position -= 1
          }
          indices = position < 0 ? nil : next
          return row
        }
      },
      "permutations": Native.function("permutations") { arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("permutations", arguments, ["iterable", "r"], required: 1)
        let pool = try Native.items(bound["iterable"] ?? .none, context)
        let n = pool.count
        let r =
          try bound["r"].flatMap { $0.isNone ? nil : $0 }.map { value throws(RuntimeError) in try Native.integer(value)
          } ?? n
        guard r >= 0 else { throw .valueError("r must be non-negative") }
        var indices = Array(0..<n)
        var cycles = Array(stride(from: n, to: n - r, by: -1))
        var first = r <= n
        var done = r > n
        return Native.lazy("permutations") { () throws(RuntimeError) -> PyValue? in
          guard !done else { return nil }
          if first {
            first = false
            return .tuple(indices.prefix(r).map { pool[$0] })
          }
          guard n > 0 else {
            done = true
            return nil
          }
          for i in stride(from: r - 1, through: 0, by: -1) {
            cycles[i] -= 1
            if cycles[i] == 0 {
              let moved = indices[i]
              indices.remove(at: i)
              indices.append(moved)
              cycles[i] = n - i
            } else {
              indices.swapAt(i, n - cycles[i])
              return .tuple(indices.prefix(r).map { pool[$0] })
            }
          }
          done = true
          return nil
        }
      },
      "combinations": combinations("combinations", withReplacement: false),
      "combinations_with_replacement": combinations("combinations_with_replacement", withReplacement: true),
      "groupby": Native.function("groupby") { arguments, context throws(RuntimeError) in
        let bound = try Native.clinic("groupby", arguments, ["iterable", "key"], required: 1)
        let state = GroupBy(
          iterator: try Native.iterator(bound["iterable"] ?? .none, context),
          key: bound["key"].flatMap { $0.isNone ? nil : $0 }, context: Native.later(context))
        return Native.lazy("groupby") { () throws(RuntimeError) -> PyValue? in try state.nextGroup() }
      },
      "tee": Native.function("tee") { arguments, context throws(RuntimeError) in
        let values = try Native.expect("tee", arguments, 1...2)
        let count = values.count > 1 ? try Native.integer(values[1]) : 2
        guard count >= 0 else { throw .valueError("n must be >= 0") }
        let iterator = try Native.iterator(values[0], context)
        let later = Native.later(context)
        let buffer = PyList([])
        var finished = false
        var copies: [PyValue] = []
        for _ in 0..<count {
          var position = 0
          copies.append(
            Native.lazy("_tee") { () throws(RuntimeError) -> PyValue? in
              if position == buffer.items.count {
                guard !finished, let item = try Native.next(iterator, later) else {
                  finished = true
                  return nil
                }
                buffer.items.append(item)
              }
              position += 1
              return buffer.items[position - 1]
            })
        }
        return .tuple(copies)
      },
    ]
  }

  /// `combinations(iterable, r)` or `combinations_with_replacement(iterable, r)`.
  private static func combinations(_ name: String, withReplacement: Bool) -> PyValue {
    Native.function(name) { arguments, context throws(RuntimeError) in
      let bound = try Native.clinic(name, arguments, ["iterable", "r"], required: 2)
      let pool = try Native.items(bound["iterable"] ?? .none, context)
      let r = try Native.integer(bound["r"] ?? .none)
      guard r >= 0 else { throw .valueError("r must be non-negative") }
      let n = pool.count
      var indices: [Int]? =
        withReplacement
        ? (n == 0 && r > 0 ? nil : Array(repeating: 0, count: r)) : (r > n ? nil : Array(0..<r))
      return Native.lazy(name) { () throws(RuntimeError) -> PyValue? in
        guard var current = indices else { return nil }
        let row = PyValue.tuple(current.map { pool[$0] })
        // The rightmost index that can still move up.
        let limit: (Int) -> Int = withReplacement ? { _ in n - 1 } : { $0 + n - r }
        guard let i = current.indices.last(where: { current[$0] != limit($0) }) else {
          indices = nil
          return row
        }
        current[i] += 1
        for j in (i + 1)..<Swift.max(i + 1, r) { current[j] = withReplacement ? current[i] : current[j - 1] + 1 }
        indices = current
        return row
      }
    }
  }
}

/// The shared state of a `groupby` and the group iterators it hands out (CPython's
/// `_grouper`): advancing the outer iterator ends the previous group.
private final class GroupBy {
  let iterator: PyValue
  let key: PyValue?
  let context: CallContext
  var currentKey: PyValue?
  var targetKey: PyValue?
  var currentValue: PyValue = .none
  var group = 0

  init(iterator: PyValue, key: PyValue?, context: CallContext) {
    self.iterator = iterator
    self.key = key
    self.context = context
  }

  private func keyOf(_ value: PyValue) throws(RuntimeError) -> PyValue {
    guard let key else { return value }
    return try context.call(key, Arguments([value]))
  }

  /// Whether the current key is the target one (both unset at the start counts as equal).
  private func atTarget(_ target: PyValue?) throws(RuntimeError) -> Bool {
    switch (currentKey, target) {
    case (nil, nil): return true
    case let (current?, target?): return try PyValue.equal(current, target)
    default: return false
    }
  }

  /// Advances to the next value; false when the input is exhausted.
  private func advance() throws(RuntimeError) -> Bool {
    guard let value = try Native.next(iterator, context) else { return false }
    currentValue = value
    currentKey = try keyOf(value)
    return true
  }

  func nextGroup() throws(RuntimeError) -> PyValue? {
    group += 1
    while try atTarget(targetKey) {
      guard try advance() else { return nil }
    }
    targetKey = currentKey
    let target = currentKey
    let id = group
    var first = true
    let grouper = Native.lazy("_grouper") { [self] () throws(RuntimeError) -> PyValue? in
      guard group == id, try atTarget(target) else { return nil }
      if first {
        first = false
        return currentValue
      }
      guard try advance(), group == id, try atTarget(target) else { return nil }
      return currentValue
    }
    return .tuple([currentKey ?? .none, grouper])
  }
}
