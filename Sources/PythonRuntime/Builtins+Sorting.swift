/// Python's sort: stable, ordering by `<` alone (so comparison errors are CPython's
/// TypeError), keys computed once per item, `reverse` keeping equal items in their order.
enum Sorting {
  /// The items sorted as `sorted(items, key=key, reverse=reverse)` sorts them.
  static func sorted(_ items: [PyValue], key: PyValue, reverse: Bool, context: CallContext) throws(RuntimeError)
    -> [PyValue]
  {
    var keys = items
    if case .none = key {
    } else {
      keys = []
      keys.reserveCapacity(items.count)
      for item in items { keys.append(try context.call(key, Arguments([item]))) }
    }
    let order = try sortedIndices(keys, reverse: reverse, context: context)
    return order.map { items[$0] }
  }

  /// The positions of `keys` in sorted order; ties keep their original order.
  private static func sortedIndices(_ keys: [PyValue], reverse: Bool, context: CallContext) throws(RuntimeError)
    -> [Int]
  {
    var order = Array(keys.indices)
    if let fast = fastOrder(keys, reverse: reverse) { return fast }
    // A bottom-up merge sort: stable, and a comparison error simply propagates.
    func less(_ a: Int, _ b: Int) throws(RuntimeError) -> Bool {
      let (x, y) = reverse ? (keys[b], keys[a]) : (keys[a], keys[b])
      return try context.interpreter.truthValue(
        try PyValue.compare(.less, x, y, context: context), at: context.location)
    }
    var buffer = order
    var width = 1
    while width < order.count {
      var start = 0
      while start < order.count {
        let middle = min(start + width, order.count)
        let end = min(start + 2 * width, order.count)
        var (i, j, k) = (start, middle, start)
        while i < middle && j < end {
          // Take from the right run only when strictly less: equal items keep their order.
          if try less(order[j], order[i]) {
            buffer[k] = order[j]
            j += 1
          } else {
            buffer[k] = order[i]
            i += 1
          }
          k += 1
        }
        while i < middle {
          buffer[k] = order[i]
          i += 1
          k += 1
        }
        while j < end {
          buffer[k] = order[j]
          j += 1
          k += 1
        }
        start = end
      }
      swap(&order, &buffer)
      width *= 2
    }
    return order
  }

  /// Sorting all-int, all-str or all-float (no NaN) keys natively, where `<` is a total order.
  private static func fastOrder(_ keys: [PyValue], reverse: Bool) -> [Int]? {
    func ordered<T: Comparable>(_ values: [T]) -> [Int] {
      Array(values.indices).sorted { a, b in
        if values[a] == values[b] { return a < b }
        return reverse ? values[b] < values[a] : values[a] < values[b]
      }
    }
    var ints: [Int] = []
    var strings: [String] = []
    var floats: [Double] = []
    for key in keys {
      switch key {
      case let .int(value) where strings.isEmpty && floats.isEmpty: ints.append(value)
      case let .string(value) where ints.isEmpty && floats.isEmpty: strings.append(value)
      case let .float(value) where ints.isEmpty && strings.isEmpty && !value.isNaN: floats.append(value)
      default: return nil
      }
    }
    if !ints.isEmpty { return ordered(ints) }
    if !strings.isEmpty { return ordered(strings) }
    return ordered(floats)
  }
}
