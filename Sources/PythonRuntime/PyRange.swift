/// `range(start, stop, step)`: a lazy arithmetic sequence, as CPython's range object is. It
/// holds its bounds, not its elements: `range(10**12)` is as cheap as `range(3)`.
public final class PyRange: PyObject {
  public let start: Int
  public let stop: Int
  public let step: Int
  /// The number of elements.
  public let count: Int

  /// A range; `step` is not zero. Raises OverflowError when it holds more than `Int.max`
  /// elements (CPython raises it from `len()`).
  init(start: Int, stop: Int, step: Int) throws(RuntimeError) {
    self.start = start
    self.stop = stop
    self.step = step
    // CPython's compute_range_length, in unsigned arithmetic so extreme bounds cannot overflow.
    let (low, high, magnitude) =
      step > 0 ? (start, stop, UInt(step)) : (stop, start, UInt(bitPattern: 0 &- step))
    guard low < high else {
      count = 0
      return
    }
    let span = UInt(bitPattern: high &- low) &- 1
    let elements = span / magnitude + 1
    guard elements <= UInt(Int.max) else {
      throw .exception("OverflowError", "Python int too large to convert to C ssize_t")
    }
    count = Int(elements)
  }

  public var typeName: String { "range" }

  /// The element at `index` (in `0..<count`).
  public func element(_ index: Int) -> Int { start &+ index &* step }

  /// The elements one at a time, first to last or last to first (`iter` and `reversed`; CPython
  /// calls both iterators `range_iterator`).
  func iterator(reversed: Bool) -> PyIterator {
    var position = 0
    return PyIterator("range_iterator") { [self] () throws(RuntimeError) -> PyValue? in
      guard position < count else { return nil }
      position += 1
      return .int(element(reversed ? count - position : position - 1))
    }
  }

  /// Whether the int `value` is one of the elements.
  func contains(_ value: Int) -> Bool {
    guard count > 0 else { return false }
    let last = element(count - 1)
    guard step > 0 ? (value >= start && value <= last) : (value <= start && value >= last) else { return false }
    return (value &- start) % step == 0
  }

  public func repr() -> String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }

  public func length(context: CallContext) throws(RuntimeError) -> Int { count }

  public func truthValue(context: CallContext) throws(RuntimeError) -> Bool { count > 0 }

  public func iterate(context: CallContext) throws(RuntimeError) -> [PyValue] {
    guard count <= PyValue.maxSequenceLength else {
      throw RuntimeError(
        .limitExceeded("an iteration of more than \(PyValue.maxSequenceLength) items exceeds Lockstep's limit"))
    }
    return (0..<count).map { .int(element($0)) }
  }

  public func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    if let slice = index.object(as: PySlice.self) {
      // As CPython's compute_slice: the slice's indices mapped through the range.
      let (first, end, stride) = try slice.adjusted(count: count)
      return .object(try PyRange(start: element(first), stop: element(end), step: step &* stride))
    }
    let position: Int
    switch index {
    case let .int(i): position = i
    case let .bool(b): position = b ? 1 : 0
    default: throw .typeError("range indices must be integers or slices, not \(index.typeName)")
    }
    let adjusted = position < 0 ? position + count : position
    guard adjusted >= 0 && adjusted < count else { throw .exception("IndexError", "range object index out of range") }
    return .int(element(adjusted))
  }

  public func binary(_ op: PythonOperator, _ other: PyValue, reflected: Bool, context: CallContext)
    throws(RuntimeError) -> PyValue?
  {
    guard op == .equal || op == .notEqual, let other = other.object(as: PyRange.self) else { return nil }
    // Ranges are equal when they hold the same elements (CPython's range_equals).
    let same =
      count == other.count
      && (count == 0 || (start == other.start && (count == 1 || step == other.step)))
    return .bool(op == .equal ? same : !same)
  }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    switch name {
    case "start": return .int(start)
    case "stop": return .int(stop)
    case "step": return .int(step)
    case "count":
      return .builtin(
        BuiltinFunction("count") { [self] arguments, _ throws(RuntimeError) in
          let value = try arguments.bind("count", [.required("value")])["value"]
          if case let .int(i) = value { return .int(contains(i) ? 1 : 0) }
          return .int(0)
        })
    case "index":
      return .builtin(
        BuiltinFunction("index") { [self] arguments, _ throws(RuntimeError) in
          let value = try arguments.bind("index", [.required("value")])["value"]
          guard case let .int(i) = value, contains(i) else { throw .valueError("\(value.repr) is not in range") }
          return .int((i &- start) / step)
        })
    default:
      throw .exception("AttributeError", "'range' object has no attribute '\(name)'")
    }
  }
}
